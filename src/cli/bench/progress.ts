/**
 * hyperfine's progress bar (indicatif, template ` {spinner} {msg:<30} {wide_bar} ETA
 * {eta_precise} `) on stderr, only on a terminal and only with `--style full` or `nocolor`;
 * cleared when its phase ends.
 * @module
 */
import { writeSync } from "node:fs";

const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const TICK_MS = 80;

/** A progress bar, or one that draws nothing. */
export interface Progress {
  setLength(n: number): void;
  setMessage(text: string): void;
  inc(): void;
  finishAndClear(): void;
}

const HIDDEN: Progress = { setLength() {}, setMessage() {}, inc() {}, finishAndClear() {} };

/** Visible width of a text without its colour escapes. */
const width = (text: string) => [...text.replace(/\x1b\[[0-9;]*m/g, "")].length;

function hms(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** A bar of `length` steps labelled `message`; hidden unless `visible` (a terminal and a full style). */
export function progressBar(length: number, message: string, visible: boolean): Progress {
  if (!visible) return HIDDEN;
  let total = length;
  let done = 0;
  let msg = message;
  let tick = 0;
  const started = performance.now();
  const draw = () => {
    const columns = process.stderr.columns || 80;
    const eta = done === 0 ? 0 : ((performance.now() - started) / 1000 / done) * (total - done);
    const label = msg + " ".repeat(Math.max(0, 30 - width(msg)));
    const fixed = ` ${SPINNER[tick % SPINNER.length]} ${label}  ETA ${hms(eta)} `;
    const barWidth = Math.max(0, columns - width(fixed) - 1);
    const filled = total === 0 ? 0 : Math.min(barWidth, Math.floor((barWidth * done) / total));
    writeSync(2, `\r\x1b[2K ${SPINNER[tick % SPINNER.length]} ${label} ${"█".repeat(filled)}${"░".repeat(barWidth - filled)} ETA ${hms(eta)} `);
  };
  const timer = setInterval(() => {
    tick++;
    draw();
  }, TICK_MS);
  draw();
  return {
    setLength(n) {
      total = n;
    },
    setMessage(text) {
      msg = text;
    },
    inc() {
      done++;
    },
    finishAndClear() {
      clearInterval(timer);
      writeSync(2, "\r\x1b[2K");
    },
  };
}
