/**
 * Prints JSON-like values as TypeScript source laid out the way Biome formats them (objects expanded,
 * arrays inline when they fit, long strings moved after the `:`/`=`), so the generated module passes
 * `biome check` unchanged and `sync --check` and the linter never fight over its bytes.
 */
import { type LiteralValue, NumberLiteral, RawCode } from './literal.js';
import { countOf, escapedString } from './string-escape.js';

export const LINE_WIDTH = 110;

type PrintValue = LiteralValue;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Biome's quote choice: single quotes unless the text holds more `'` than `"`. */
export function tsString(text: string): string {
  const quote = countOf(text, "'") > countOf(text, '"') ? '"' : "'";
  return escapedString(text, quote, (code) => {
    if (code < 0x20 || (code >= 0x7f && code <= 0xffff)) return `\\u${hex4(code)}`;
    if (code > 0xffff) return `\\u{${code.toString(16)}}`;
    return undefined;
  });
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}

function tsNumber(raw: string, value: number, isIntegral: boolean): string {
  if (isIntegral) return raw;
  // Biome normalises non-integral literals (lower-case exponent, no `+`, no trailing zeros).
  return String(value).toLowerCase().replace('e+', 'e');
}

function tsKey(key: string): string {
  if (key === '__proto__') return `['__proto__']`;
  return IDENTIFIER.test(key) ? key : tsString(key);
}

/** The value printed on one line, or undefined when it must span several (non-empty objects). */
function inline(value: PrintValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return tsString(value);
  if (value instanceof RawCode) return value.code;
  if (value instanceof NumberLiteral) return tsNumber(value.raw, value.value, value.isIntegral);
  if (Array.isArray(value)) {
    const parts = value.map(inline);
    if (parts.some((p) => p === undefined)) return undefined;
    return `[${parts.join(', ')}]`;
  }
  return (value as ReadonlyMap<string, LiteralValue>).size === 0 ? '{}' : undefined;
}

/**
 * Prints `value` starting at column `column` of a line indented by `indent`, followed by `suffix` on the
 * same line. Returns the text without the leading part of the first line.
 */
export function printValue(value: PrintValue, indent: string, column: number, suffix: string): string {
  const one = inline(value);
  if (one !== undefined && column + one.length + suffix.length <= LINE_WIDTH) return one + suffix;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => inner + printValue(item, inner, inner.length, ','));
    return `[\n${items.join('\n')}\n${indent}]${suffix}`;
  }
  if (one !== undefined) return one + suffix; // a long scalar: nowhere better to put it
  const object = value as ReadonlyMap<string, LiteralValue>;
  const lines = [...object].map(([key, item]) => {
    const head = `${inner}${tsKey(key)}: `;
    const flat = inline(item);
    if (typeof item === 'string' && flat !== undefined && head.length + flat.length + 1 > LINE_WIDTH) {
      return `${head.trimEnd()}\n${inner}  ${flat},`;
    }
    return head + printValue(item, inner, head.length, ',');
  });
  return `{\n${lines.join('\n')}\n${indent}}${suffix}`;
}

/** `export const NAME = value;` (with ` as const` when asked), broken after `=` for long strings. */
export function printConst(name: string, value: PrintValue, asConst: boolean): string {
  const head = `export const ${name} = `;
  const suffix = asConst ? ' as const;' : ';';
  const flat = inline(value);
  if (
    typeof value === 'string' &&
    flat !== undefined &&
    head.length + flat.length + suffix.length > LINE_WIDTH
  ) {
    return `${head.trimEnd()}\n  ${flat}${suffix}`;
  }
  return head + printValue(value, '', head.length, suffix);
}
