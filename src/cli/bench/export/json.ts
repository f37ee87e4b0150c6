/**
 * hyperfine's JSON export (`src/export/json.rs`: serde_json's pretty printer over
 * `BenchmarkResult`), field for field and byte for byte: two-space indent, floats as ryu writes
 * them, `stddev` null after one run, `parameters` only when there are some. `memory_usage_byte`
 * holds each run's own peak memory.
 * @module
 */
import type { BenchmarkResult } from "../result.ts";
import { jsonNumber } from "../rust-format.ts";

/** A value serde_json's pretty printer writes. */
type Value = string | number | null | { float: number } | Value[] | [key: string, value: Value][] | { object: [string, Value][] };

const isObject = (v: Value): v is { object: [string, Value][] } => typeof v === "object" && v !== null && "object" in v;
const isFloat = (v: Value): v is { float: number } => typeof v === "object" && v !== null && "float" in v;

/** serde_json's `to_vec_pretty` layout. */
function pretty(value: Value, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value); // integers
  if (isFloat(value)) return jsonNumber(value.float);
  const inner = `${indent}  `;
  if (isObject(value)) {
    if (value.object.length === 0) return "{}";
    return `{\n${value.object.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(",\n")}\n${indent}}`;
  }
  const items = value as Value[];
  if (items.length === 0) return "[]";
  return `[\n${items.map((v) => `${inner}${pretty(v, inner)}`).join(",\n")}\n${indent}]`;
}

function resultValue(r: BenchmarkResult): Value {
  const fields: [string, Value][] = [
    ["command", r.command],
    ["mean", { float: r.mean }],
    ["stddev", r.stddev === undefined ? null : { float: r.stddev }],
    ["median", { float: r.median }],
    ["user", { float: r.user }],
    ["system", { float: r.system }],
    ["min", { float: r.min }],
    ["max", { float: r.max }],
    ["times", r.times.map((t) => ({ float: t }))],
    ["memory_usage_byte", [...r.memoryUsageBytes]],
    ["exit_codes", [...r.exitCodes]],
  ];
  if (r.parameters.length > 0) fields.push(["parameters", { object: r.parameters.map(([k, v]) => [k, v]) }]);
  return { object: fields };
}

/** The `--export-json` text. */
export function jsonExport(results: readonly BenchmarkResult[]): string {
  return `${pretty({ object: [["results", results.map(resultValue)]] }, "")}\n`;
}
