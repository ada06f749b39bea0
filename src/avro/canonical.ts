/**
 * The three text forms of a parsed schema:
 * - `canonicalString`: Java `Schema.toString()` (compact), which Confluent stores, returns and hashes
 *   for schema identity. Key order, namespace elision and number formatting follow Java + Jackson.
 * - `normalizedString`: Confluent's `normalize=true` form (full names, sorted props and aliases).
 * - `parsingCanonicalForm`: the Avro spec's PCF, the input of the fingerprints.
 */
import { isJsonNumber } from './json.js';
import { javaNumberText, quoteJson, stringifyJson } from './json-write.js';
import { qualifiedRelativeTo, splitName } from './names.js';
import type { AvroNode, FieldNode, JsonValue, NamedNode, ParsedSchema, Props } from './types.js';

const value = (v: JsonValue): string => stringifyJson(v, javaNumberText);

/** Names Java's writer knows before it starts: the top-level type of each referenced schema. */
function knownAtStart(parsed: ParsedSchema): Set<string> {
  return new Set(parsed.importedRoots ?? parsed.imported);
}

function isParsed(x: ParsedSchema | AvroNode): x is ParsedSchema {
  return 'root' in x && 'named' in x;
}

// ---------------------------------------------------------------------------------------------------
// Java Schema.toString()

export function canonicalString(parsed: ParsedSchema | AvroNode): string {
  const out: string[] = [];
  if (isParsed(parsed)) writeJava(parsed.root, null, knownAtStart(parsed), out);
  else writeJava(parsed, null, new Set(), out);
  return out.join('');
}

function writeProps(props: Props, out: string[]): void {
  for (const [k, v] of props) out.push(',', quoteJson(k), ':', value(v));
}

function writeJava(node: AvroNode, space: string | null, known: Set<string>, out: string[]): void {
  switch (node.kind) {
    case 'primitive':
      if (node.props.length === 0) out.push(quoteJson(node.type));
      else {
        out.push('{"type":', quoteJson(node.type));
        writeProps(node.props, out);
        out.push('}');
      }
      return;
    case 'array':
      out.push('{"type":"array","items":');
      writeJava(node.items, space, known, out);
      writeProps(node.props, out);
      out.push('}');
      return;
    case 'map':
      out.push('{"type":"map","values":');
      writeJava(node.values, space, known, out);
      writeProps(node.props, out);
      out.push('}');
      return;
    case 'union':
      out.push('[');
      node.branches.forEach((b, i) => {
        if (i > 0) out.push(',');
        writeJava(b, space, known, out);
      });
      out.push(']');
      return;
  }
  if (known.has(node.fullName)) {
    out.push(quoteJson(qualifiedRelativeTo(node, space)));
    return;
  }
  known.add(node.fullName);
  out.push('{"type":', quoteJson(node.kind === 'record' && node.isError ? 'error' : node.kind));
  out.push(',"name":', quoteJson(node.name));
  if (node.namespace !== null) {
    if (node.namespace !== space) out.push(',"namespace":', quoteJson(node.namespace));
  } else if (space !== null) {
    out.push(',"namespace":""');
  }
  if (node.doc !== undefined) out.push(',"doc":', quoteJson(node.doc));
  switch (node.kind) {
    case 'record':
      out.push(',"fields":[');
      node.fields.forEach((f, i) => {
        if (i > 0) out.push(',');
        writeJavaField(f, node.namespace, known, out);
      });
      out.push(']');
      break;
    case 'enum':
      out.push(',"symbols":[', node.symbols.map(quoteJson).join(','), ']');
      if (node.default !== undefined) out.push(',"default":', quoteJson(node.default));
      break;
    case 'fixed':
      out.push(',"size":', String(node.size));
      break;
  }
  writeProps(node.props, out);
  writeAliases(node, out);
  out.push('}');
}

function writeAliases(node: NamedNode, out: string[]): void {
  if (node.aliases.length === 0) return;
  const rel = node.aliases.map((a) => quoteJson(qualifiedRelativeTo(splitName(a, null), node.namespace)));
  out.push(',"aliases":[', rel.join(','), ']');
}

function writeJavaField(f: FieldNode, space: string | null, known: Set<string>, out: string[]): void {
  out.push('{"name":', quoteJson(f.name), ',"type":');
  writeJava(f.type, space, known, out);
  if (f.doc !== undefined) out.push(',"doc":', quoteJson(f.doc));
  if (f.hasDefault) out.push(',"default":', value(f.default ?? null));
  if (f.order !== 'ascending') out.push(',"order":', quoteJson(f.order));
  if (f.aliases.length > 0) out.push(',"aliases":[', f.aliases.map(quoteJson).join(','), ']');
  writeProps(f.props, out);
  out.push('}');
}

// ---------------------------------------------------------------------------------------------------
// Confluent normalize=true

export function normalizedString(parsed: ParsedSchema | AvroNode): string {
  const out: string[] = [];
  if (isParsed(parsed)) writeNormalized(parsed.root, knownAtStart(parsed), out);
  else writeNormalized(parsed, new Set(), out);
  return out.join('');
}

/** UTF-16 code-unit order, as Java's TreeMap/TreeSet of strings sorts. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedProps(node: AvroNode | FieldNode): Props {
  const props = 'props' in node ? [...node.props] : [];
  if ('kind' in node && node.kind !== 'union' && node.logicalType === 'decimal') {
    const d = decimalOf(node);
    if (d) {
      const rest = props.filter(([k]) => k !== 'precision' && k !== 'scale');
      rest.push([
        'precision',
        { kind: 'number', raw: String(d.precision), value: d.precision, isIntegral: true },
      ]);
      if (d.scale !== 0)
        rest.push(['scale', { kind: 'number', raw: String(d.scale), value: d.scale, isIntegral: true }]);
      return rest.sort(([a], [b]) => byCodeUnits(a, b));
    }
  }
  return props.sort(([a], [b]) => byCodeUnits(a, b));
}

/** A valid decimal per Java `LogicalTypes.Decimal.validate`; invalid ones stay plain properties. */
function decimalOf(node: AvroNode): { precision: number; scale: number } | undefined {
  if (node.kind !== 'primitive' && node.kind !== 'fixed') return undefined;
  if (node.kind === 'primitive' && node.type !== 'bytes') return undefined;
  const get = (k: string) => node.props.find(([key]) => key === k)?.[1];
  const int = (v: JsonValue | undefined): number | undefined =>
    isJsonNumber(v) && v.isIntegral && v.raw.length < 12 ? Number(v.raw) : undefined;
  const precision = int(get('precision'));
  const scaleJson = get('scale');
  const scale = scaleJson === undefined ? 0 : int(scaleJson);
  if (precision === undefined || scale === undefined || precision <= 0 || precision > 2 ** 31 - 1)
    return undefined;
  if (scale < 0 || scale > precision) return undefined;
  if (node.kind === 'fixed') {
    const maxPrecision = Math.floor(Math.log10(2) * (8 * node.size - 1));
    if (precision > maxPrecision) return undefined;
  }
  return { precision, scale };
}

function writeNormalized(node: AvroNode, known: Set<string>, out: string[]): void {
  switch (node.kind) {
    case 'primitive': {
      const props = sortedProps(node);
      if (props.length === 0) out.push(quoteJson(node.type));
      else {
        out.push('{"type":', quoteJson(node.type));
        writeProps(props, out);
        out.push('}');
      }
      return;
    }
    case 'array':
      out.push('{"type":"array","items":');
      writeNormalized(node.items, known, out);
      writeProps(sortedProps(node), out);
      out.push('}');
      return;
    case 'map':
      out.push('{"type":"map","values":');
      writeNormalized(node.values, known, out);
      writeProps(sortedProps(node), out);
      out.push('}');
      return;
    case 'union':
      out.push('[');
      node.branches.forEach((b, i) => {
        if (i > 0) out.push(',');
        writeNormalized(b, known, out);
      });
      out.push(']');
      return;
  }
  if (known.has(node.fullName)) {
    out.push(quoteJson(node.fullName));
    return;
  }
  known.add(node.fullName);
  out.push('{"type":', quoteJson(node.kind === 'record' && node.isError ? 'error' : node.kind));
  out.push(',"name":', quoteJson(node.fullName));
  if (node.doc !== undefined) out.push(',"doc":', quoteJson(node.doc));
  switch (node.kind) {
    case 'record':
      out.push(',"fields":[');
      node.fields.forEach((f, i) => {
        if (i > 0) out.push(',');
        out.push('{"name":', quoteJson(f.name), ',"type":');
        writeNormalized(f.type, known, out);
        if (f.doc !== undefined) out.push(',"doc":', quoteJson(f.doc));
        if (f.hasDefault) out.push(',"default":', value(f.default ?? null));
        if (f.order !== 'ascending') out.push(',"order":', quoteJson(f.order));
        if (f.aliases.length > 0) {
          out.push(',"aliases":[', [...f.aliases].sort(byCodeUnits).map(quoteJson).join(','), ']');
        }
        writeProps(sortedProps(f), out);
        out.push('}');
      });
      out.push(']');
      break;
    case 'enum':
      out.push(',"symbols":[', node.symbols.map(quoteJson).join(','), ']');
      if (node.default !== undefined) out.push(',"default":', quoteJson(node.default));
      break;
    case 'fixed':
      out.push(',"size":', String(node.size));
      break;
  }
  writeProps(sortedProps(node), out);
  if (node.aliases.length > 0) {
    out.push(',"aliases":[', [...node.aliases].sort(byCodeUnits).map(quoteJson).join(','), ']');
  }
  out.push('}');
}

// ---------------------------------------------------------------------------------------------------
// Parsing Canonical Form (spec: PRIMITIVES, FULLNAMES, STRIP, ORDER, STRINGS, INTEGERS, WHITESPACE)

/** PCF writes every named type in full at its first use, referenced ones included (it is self-contained). */
export function parsingCanonicalForm(parsed: ParsedSchema | AvroNode): string {
  const out: string[] = [];
  writePcf(isParsed(parsed) ? parsed.root : parsed, new Set(), out);
  return out.join('');
}

function writePcf(node: AvroNode, known: Set<string>, out: string[]): void {
  switch (node.kind) {
    case 'primitive':
      out.push(quoteJson(node.type));
      return;
    case 'array':
      out.push('{"type":"array","items":');
      writePcf(node.items, known, out);
      out.push('}');
      return;
    case 'map':
      out.push('{"type":"map","values":');
      writePcf(node.values, known, out);
      out.push('}');
      return;
    case 'union':
      out.push('[');
      node.branches.forEach((b, i) => {
        if (i > 0) out.push(',');
        writePcf(b, known, out);
      });
      out.push(']');
      return;
  }
  if (known.has(node.fullName)) {
    out.push(quoteJson(node.fullName));
    return;
  }
  known.add(node.fullName);
  out.push('{"name":', quoteJson(node.fullName), ',"type":', quoteJson(node.kind));
  switch (node.kind) {
    case 'record':
      out.push(',"fields":[');
      node.fields.forEach((f, i) => {
        if (i > 0) out.push(',');
        out.push('{"name":', quoteJson(f.name), ',"type":');
        writePcf(f.type, known, out);
        out.push('}');
      });
      out.push(']');
      break;
    case 'enum':
      out.push(',"symbols":[', node.symbols.map(quoteJson).join(','), ']');
      break;
    case 'fixed':
      out.push(',"size":', String(node.size));
      break;
  }
  out.push('}');
}
