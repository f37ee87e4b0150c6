/**
 * The `shell_words` crate's `split` and `quote`, which hyperfine uses to turn a command line
 * into argv with `--shell=none` and to parse `--shell`: POSIX-shell-like words with single
 * quotes, double quotes (where `\` escapes only `$`, `` ` ``, `"`, `\` and a newline), a
 * backslash outside quotes, and `#` comments at the start of a word. No expansion of any kind.
 * @module
 */

/** shell_words's error text for an unterminated quote. */
export const MISSING_CLOSING_QUOTE = "missing closing quote";

type State = "delimiter" | "backslash" | "unquoted" | "unquotedBackslash" | "single" | "double" | "doubleBackslash" | "comment";

/**
 * Splits a command line into words as `shell_words::split` does.
 *
 * @returns the words, or undefined when a quote is not closed (shell_words's only error).
 */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let state: State = "delimiter";
  for (const c of [...line, undefined]) {
    switch (state) {
      case "delimiter":
        if (c === undefined) return words;
        if (c === "'") state = "single";
        else if (c === '"') state = "double";
        else if (c === "\\") state = "backslash";
        else if (c === "\t" || c === " " || c === "\n") state = "delimiter";
        else if (c === "#") state = "comment";
        else {
          word += c;
          state = "unquoted";
        }
        break;
      case "backslash":
      case "unquotedBackslash":
        if (c === undefined) {
          words.push(`${word}\\`);
          return words;
        }
        if (c === "\n") state = state === "backslash" ? "delimiter" : "unquoted";
        else {
          word += c;
          state = "unquoted";
        }
        break;
      case "unquoted":
        if (c === undefined) {
          words.push(word);
          return words;
        }
        if (c === "'") state = "single";
        else if (c === '"') state = "double";
        else if (c === "\\") state = "unquotedBackslash";
        else if (c === "\t" || c === " " || c === "\n") {
          words.push(word);
          word = "";
          state = "delimiter";
        } else word += c;
        break;
      case "single":
        if (c === undefined) return undefined;
        if (c === "'") state = "unquoted";
        else word += c;
        break;
      case "double":
        if (c === undefined) return undefined;
        if (c === '"') state = "unquoted";
        else if (c === "\\") state = "doubleBackslash";
        else word += c;
        break;
      case "doubleBackslash":
        if (c === undefined) return undefined;
        if (c === "$" || c === "`" || c === '"' || c === "\\") word += c;
        else if (c !== "\n") word += `\\${c}`;
        state = "double";
        break;
      case "comment":
        if (c === undefined) return words;
        if (c === "\n") state = "delimiter";
        break;
    }
  }
  return words;
}

/** Characters that make `shell_words::quote` quote a word (its list, `˜` U+02DC included). */
const SPECIAL = new Set([..."|&;<>()$`\\\" \t*?[#˜=%"]);

/** `shell_words::quote`: the word as is, in single quotes, or with `'\''` for each quote. */
function quoteWord(word: string): string {
  if (word === "") return "''";
  const chars = [...word];
  const newline = chars.includes("\n");
  const singleQuote = chars.includes("'");
  if (!newline && !singleQuote && !chars.some((c) => SPECIAL.has(c))) return word;
  if (newline && !singleQuote) return `'${word}'`;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** `shell_words::join`: each word quoted, joined by spaces. */
export function joinWords(words: readonly string[]): string {
  return words.map(quoteWord).join(" ");
}
