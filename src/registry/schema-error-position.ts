/**
 * Where in the submitted text a schema was rejected, so that an editor can put the parser's message at
 * its line. JSON syntax errors carry their line and column; the parser's structural messages name
 * their place instead (`field "a" of record "R": enum "E": ...`, `record "R": duplicate field "a"`), so
 * the text is re-read with positions and those names are looked up in it, the deepest one found
 * winning. When nothing can be placed the answer is undefined, never a guess at line 1.
 */
import { isJsonObject, positionOf, type SourcePosition } from '../avro/json.js';
import { parseJson } from '../avro/json-reader.js';
import type { JsonObject, JsonValue } from '../avro/types.js';

const NAMED_KINDS = new Set(['record', 'error', 'enum', 'fixed']);

interface NamedDefinition {
  readonly kind: string;
  readonly name: string;
  readonly json: JsonObject;
}

/** Every object defining a named type, in document order (a depth-first walk of the JSON). */
function namedDefinitions(root: JsonValue): NamedDefinition[] {
  const found: NamedDefinition[] = [];
  const stack: JsonValue[] = [root];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]!);
      continue;
    }
    if (!isJsonObject(value)) continue;
    const { type, name } = value;
    if (typeof type === 'string' && NAMED_KINDS.has(type) && typeof name === 'string') {
      found.push({ kind: type, name, json: value });
    }
    const keys = Object.keys(value).reverse();
    for (const key of keys) stack.push(value[key]!);
  }
  return found;
}

const simpleName = (n: string) => n.slice(n.lastIndexOf('.') + 1);

/**
 * The definition a message names (`ns.Name` or `Name`). A definition may write its namespace apart or
 * inherit it from an enclosing one, so an exact full name wins and the simple name is the fallback.
 */
function findDefinition(definitions: readonly NamedDefinition[], named: string): NamedDefinition | undefined {
  const fullOf = (d: NamedDefinition) => {
    const ns = typeof d.json.namespace === 'string' ? d.json.namespace : '';
    return d.name.includes('.') || ns === '' ? d.name : `${ns}.${d.name}`;
  };
  return (
    definitions.find((d) => fullOf(d) === named || d.name === named) ??
    definitions.find((d) => simpleName(d.name) === simpleName(named))
  );
}

function fieldNamed(record: JsonObject, field: string, last: boolean): JsonObject | undefined {
  const fields = record.fields;
  if (!Array.isArray(fields)) return undefined;
  const matches = fields.filter((f): f is JsonObject => isJsonObject(f) && f.name === field);
  return last ? matches.at(-1) : matches[0];
}

/** `"a\"b"` → `a"b`: the names in messages are JSON-quoted (and cut at 80 characters with `…`). */
function unquote(quoted: string): string | undefined {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' && !value.endsWith('…') ? value : undefined;
  } catch {
    return undefined;
  }
}

const QUOTED = '("(?:[^"\\\\]|\\\\.)*")';
const FIELD_OF = new RegExp(`^field ${QUOTED} of (?:record|error) ${QUOTED}$`);
const NAMED = new RegExp(`^(?:record|error|enum|fixed) ${QUOTED}$`);
const DUPLICATE_FIELD = new RegExp(`^duplicate field ${QUOTED}`);
const JSON_POSITION = /line (\d+), column (\d+)/;

/** The position a parser message points at in `text`, when it can be found. */
export function schemaErrorPosition(text: string, message: string): SourcePosition | undefined {
  const details = message.includes(', details: ')
    ? message.slice(message.indexOf(', details: ') + ', details: '.length)
    : message;
  if (details.startsWith('invalid JSON: ')) {
    const m = JSON_POSITION.exec(details);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }
  let root: JsonValue;
  try {
    root = parseJson(text, { maxDepth: 2_000 });
  } catch {
    return undefined;
  }
  const definitions = namedDefinitions(root);
  let best: SourcePosition | undefined;
  let scope: JsonObject | undefined;
  for (const segment of details.split(': ')) {
    const field = FIELD_OF.exec(segment);
    const named = NAMED.exec(segment);
    const duplicate = DUPLICATE_FIELD.exec(segment);
    let target: JsonObject | undefined;
    if (field) {
      const [fieldName, recordName] = [unquote(field[1]!), unquote(field[2]!)];
      const record = recordName === undefined ? undefined : findDefinition(definitions, recordName);
      target = record && fieldName !== undefined ? fieldNamed(record.json, fieldName, false) : undefined;
      scope = record?.json;
    } else if (named) {
      const name = unquote(named[1]!);
      target = name === undefined ? undefined : findDefinition(definitions, name)?.json;
      scope = target;
    } else if (duplicate && scope) {
      // The second definition of the field is the one to fix.
      const name = unquote(duplicate[1]!);
      target = name === undefined ? undefined : fieldNamed(scope, name, true);
    } else {
      break;
    }
    const at = target && positionOf(target);
    if (at) best = at;
  }
  return best;
}
