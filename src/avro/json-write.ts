/**
 * JSON text out: Jackson's string escaping and, for the canonical forms, numbers the way Jackson writes
 * a tree back after Java parsed it (`1.50` -> `1.5`, `1e7` -> `1.0E7`).
 */
import { integralText, isJsonNumber, jsonEntries } from './json.js';
import type { JsonNumber, JsonObject, JsonValue } from './types.js';

/** Jackson's string escaping: `"`, `\` and control characters; everything else (non-ASCII too) as is. */
export function quoteJson(s: string): string {
  // Fast path: nothing to escape.
  if (!/["\\\u0000-\u001f]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k] as string;
    const code = s.charCodeAt(k);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * Compact JSON text. Numbers are written by their literal text unless `formatNumber` says otherwise
 * (the canonical form writes them the way Jackson would after reading them into a tree).
 */
export function stringifyJson(v: JsonValue, formatNumber: (n: JsonNumber) => string = rawNumber): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quoteJson(v);
  if (Array.isArray(v)) return `[${v.map((x) => stringifyJson(x, formatNumber)).join(',')}]`;
  if (isJsonNumber(v)) return formatNumber(v);
  const parts = jsonEntries(v as JsonObject).map(
    ([k, x]) => `${quoteJson(k)}:${stringifyJson(x, formatNumber)}`,
  );
  return `{${parts.join(',')}}`;
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/** A number by its literal; the non-finite values a float default may carry are quoted, as Jackson does. */
function rawNumber(n: JsonNumber): string {
  return NON_FINITE.has(n.raw) ? `"${n.raw}"` : n.raw;
}

/**
 * A number the way Jackson writes it back after reading it into a tree: integral literals as written
 * (`-0` as `0`), others as Java `Double.toString` prints the double (`1.50` -> `1.5`, `1e2` -> `100.0`,
 * `1e7` -> `1.0E7`), non-finite ones quoted.
 */
export function javaNumberText(n: JsonNumber): string {
  if (n.isIntegral) return integralText(n.raw);
  if (!Number.isFinite(n.value)) return `"${n.value > 0 ? 'Infinity' : n.value < 0 ? '-Infinity' : 'NaN'}"`;
  return javaDoubleString(n.value);
}

/** Java `Double.toString`: shortest round-trip digits, plain between 1e-3 and 1e7, else `d.dddE±n`. */
export function javaDoubleString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(v).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}
