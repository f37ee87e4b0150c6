/**
 * Terminal colours as the `colored` crate writes them for hyperfine: `ESC[<styles>;<colour>m`
 * before the text and `ESC[0m` after, or the bare text when colours are off.
 * @module
 */

/** SGR codes used by hyperfine's texts. */
export const SGR = { bold: "1", dimmed: "2", red: "31", green: "32", yellow: "33", blue: "34", magenta: "35", cyan: "36" } as const;

/** A painter: `paint(text, "bold", "green")` → `ESC[1;32mtext ESC[0m` when colours are on. */
export type Paint = (text: string, ...styles: (keyof typeof SGR)[]) => string;

/** The painter for colours on or off. */
export function painter(colors: boolean): Paint {
  if (!colors) return (text) => text;
  return (text, ...styles) => {
    // colored puts the styles (bold, dimmed) before the colour.
    const ordered = [...styles].sort((a, b) => Number(SGR[a]) - Number(SGR[b]));
    return `\x1b[${ordered.map((s) => SGR[s]).join(";")}m${text}\x1b[0m`;
  };
}
