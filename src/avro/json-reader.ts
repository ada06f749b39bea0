/**
 * A strict RFC 8259 reader into the lossless model of `json.ts`. It never recurses, so a 100k-deep
 * `[[[[` is a clean error rather than a stack overflow, and syntax errors say where (`line 3, column 7`).
 */
import { JsonSyntaxError, noteKeyOrder, notePosition, type SourcePosition } from './json.js';
import type { JsonNumber, JsonValue } from './types.js';

export interface JsonParseOptions {
  /** Max nesting of arrays/objects; default 1000 (Jackson's default limit). */
  readonly maxDepth?: number;
}

type Frame =
  | { kind: 'array'; value: JsonValue[] }
  | {
      kind: 'object';
      value: Record<string, JsonValue>;
      order: string[] | undefined;
      key: string | undefined;
    };

/** Parses JSON text (RFC 8259, strict). Throws JsonSyntaxError with line and column. */
export function parseJson(text: string, options: JsonParseOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? 1000;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const stack: Frame[] = [];

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, line, at - lineStart + 1);
  };
  const describe = (at: number): string => {
    if (at >= n) return 'end of input';
    const c = text[at] as string;
    return c < ' ' ? `character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `'${c}'`;
  };
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) i++;
      else if (c === 0x0a) {
        i++;
        line++;
        lineStart = i;
      } else break;
    }
  };

  const readString = (): string => {
    // Caller checked text[i] === '"'.
    i++;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(runStart, i);
        i++;
        return out;
      }
      if (c < 0x20) fail(`unescaped ${describe(i)} in string`);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(runStart, i);
      const e = text[i + 1];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail(`invalid escape ${e === undefined ? 'at end of input' : `'\\${e}'`}`);
      }
      i += 2;
      runStart = i;
    }
  };

  const readNumber = (): JsonNumber => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (isDigit(text, i)) while (isDigit(text, i)) i++;
    else fail(`invalid number: expected a digit, got ${describe(i)}`);
    let isIntegral = true;
    if (text[i] === '.') {
      i++;
      isIntegral = false;
      if (!isDigit(text, i)) fail(`invalid number: expected a digit after '.', got ${describe(i)}`);
      while (isDigit(text, i)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      isIntegral = false;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text, i)) fail(`invalid number: expected an exponent digit, got ${describe(i)}`);
      while (isDigit(text, i)) i++;
    }
    const raw = text.slice(start, i);
    return { kind: 'number', raw, value: Number(raw), isIntegral };
  };

  const readLiteral = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail(`unexpected ${describe(i)}`);
  };

  let result: JsonValue | undefined;
  let done = false;
  skipWs();
  while (!done) {
    // Read one value (or open a container).
    let value: JsonValue;
    const c = text[i];
    if (c === '{' || c === '[') {
      const at: SourcePosition = { line, column: i - lineStart + 1 };
      if (stack.length >= maxDepth) {
        throw new JsonSyntaxError(`nesting depth exceeds ${maxDepth}`, at.line, at.column, 'depth');
      }
      i++;
      skipWs();
      if (c === '[') {
        const arr: JsonValue[] = [];
        notePosition(arr, at);
        if (text[i] === ']') {
          i++;
          value = arr;
        } else {
          stack.push({ kind: 'array', value: arr });
          continue;
        }
      } else {
        const obj: Record<string, JsonValue> = Object.create(null);
        notePosition(obj, at);
        if (text[i] === '}') {
          i++;
          value = obj;
        } else {
          if (text[i] !== '"') fail(`expected a string key or '}', got ${describe(i)}`);
          const key = readString();
          skipWs();
          if (text[i] !== ':') fail(`expected ':' after key, got ${describe(i)}`);
          i++;
          skipWs();
          stack.push({ kind: 'object', value: obj, order: undefined, key });
          continue;
        }
      }
    } else if (c === '"') value = readString();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) value = readNumber();
    else if (c === 't') value = readLiteral('true', true);
    else if (c === 'f') value = readLiteral('false', false);
    else if (c === 'n') value = readLiteral('null', null);
    else value = fail(`unexpected ${describe(i)}`);

    // Attach the value to its container, closing containers as they end.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        result = value;
        done = true;
        break;
      }
      skipWs();
      if (top.kind === 'array') {
        top.value.push(value);
        if (text[i] === ',') {
          i++;
          skipWs();
          break;
        }
        if (text[i] !== ']') fail(`expected ',' or ']', got ${describe(i)}`);
        i++;
      } else {
        const key = top.key as string;
        // JS lists integer-like keys first; only then is the written order kept on the side.
        if (top.order) {
          if (!Object.hasOwn(top.value, key)) top.order.push(key);
        } else if (isDigit(key, 0)) {
          top.order = Object.keys(top.value);
          if (!Object.hasOwn(top.value, key)) top.order.push(key);
          noteKeyOrder(top.value, top.order);
        }
        top.value[key] = value;
        if (text[i] === ',') {
          i++;
          skipWs();
          if (text[i] !== '"') fail(`expected a string key, got ${describe(i)}`);
          top.key = readString();
          skipWs();
          if (text[i] !== ':') fail(`expected ':' after key, got ${describe(i)}`);
          i++;
          skipWs();
          break;
        }
        if (text[i] !== '}') fail(`expected ',' or '}', got ${describe(i)}`);
        i++;
      }
      stack.pop();
      value = top.value;
    }
  }
  skipWs();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the value`);
  return result as JsonValue;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}
