/** How every case's tables print numbers; a figure that could not be measured prints as "–". */

const shown = Number.isFinite;

/** `n` with thousands separators and `digits` decimals. */
export const grouped = (n: number, digits = 0): string =>
  shown(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";

/** Nanoseconds as milliseconds. */
export const ms = (ns: number, digits = 2): string => (shown(ns) ? `${(ns / 1e6).toFixed(digits)} ms` : "–");

/** Nanoseconds as microseconds, whole unless `digits` asks for decimals. */
export const us = (ns: number, digits = 0): string => (shown(ns) ? `${grouped(ns / 1000, digits)} µs` : "–");

/** Nanoseconds: two decimals below 10, one below 100, whole from there. */
export const ns = (n: number): string => (shown(n) ? `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : grouped(n)} ns` : "–");

/** Nanoseconds per event as events per second. */
export const rate = (n: number): string => (shown(n) ? `${grouped(1e9 / n)}/s` : "–");

/** `x` with its sign always shown (a real minus sign). */
export const signed = (x: number, digits: number, unit = ""): string =>
  shown(x) ? `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}${unit}` : "–";

/** Nanoseconds as signed milliseconds. */
export const signedMs = (ns: number, digits = 2): string => signed(ns / 1e6, digits, " ms");

/** A size in KiB. */
export const kib = (n: number): string => (shown(n) ? `${grouped(Math.round(n))} KiB` : "–");

/** A size in KiB, shown in MB of 1,024 KiB. */
export const mb = (kib: number): string => (shown(kib) ? `${grouped(kib / 1024, 2)} MB` : "–");

/** A ratio. */
export const times = (x: number, digits = 2): string => (shown(x) ? `${x.toFixed(digits)}x` : "–");

/** "1 round", "7 rounds". */
export const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
