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
import type {
  ArrayNode,
  AvroNode,
  FieldNode,
  JsonValue,
  MapNode,
  NamedNode,
  ParsedSchema,
  Props,
} from './types.js';

const value = (v: JsonValue): string => stringifyJson(v, javaNumberText);

/** Names Java's writer knows before it starts: the top-level type of each referenced schema. */
function knownAtStart(parsed: ParsedSchema): Set<string> {
  return new Set(parsed.importedRoots ?? parsed.imported);
}

/** Arrays and maps are written alike but for the key of their one child; all three forms agree on it. */
const COLLECTION_OPEN = { array: '{"type":"array","items":', map: '{"type":"map","values":' } as const;

const collectionChild = (node: ArrayNode | MapNode): AvroNode =>
  node.kind === 'array' ? node.items : node.values;

/** `open`, then the items comma-separated, then `]`: union branches and record fields in every form. */
function writeList<T>(open: string, items: readonly T[], write: (item: T) => void, out: string[]): void {
  out.push(open);
  items.forEach((item, i) => {
    if (i > 0) out.push(',');
    write(item);
  });
  out.push(']');
}

function isParsed(x: ParsedSchema | AvroNode): x is ParsedSchema {
  return 'root' in x && 'named' in x;
}

// ---------------------------------------------------------------------------------------------------
// Java Schema.toString() and Confluent normalize=true: one writer, two styles

/** What differs between the Java and the normalized text; the order of keys is the same in both. */
interface WriteStyle {
  props(node: AvroNode | FieldNode): Props;
  /** A named type already written, seen again. */
  reference(node: NamedNode, space: string | null): string;
  writeName(node: NamedNode, space: string | null, out: string[]): void;
  fieldAliases(aliases: readonly string[]): readonly string[];
  aliases(node: NamedNode): readonly string[];
}

const javaStyle: WriteStyle = {
  props: (node) => ('props' in node ? node.props : []),
  reference: (node, space) => qualifiedRelativeTo(node, space),
  writeName(node, space, out) {
    out.push(',"name":', quoteJson(node.name));
    if (node.namespace !== null) {
      if (node.namespace !== space) out.push(',"namespace":', quoteJson(node.namespace));
    } else if (space !== null) {
      out.push(',"namespace":""');
    }
  },
  fieldAliases: (aliases) => aliases,
  aliases: (node) => node.aliases.map((a) => qualifiedRelativeTo(splitName(a, null), node.namespace)),
};

export function canonicalString(parsed: ParsedSchema | AvroNode): string {
  return writeWithStyle(parsed, javaStyle);
}

function writeWithStyle(parsed: ParsedSchema | AvroNode, style: WriteStyle): string {
  const out: string[] = [];
  if (isParsed(parsed)) writeNode(parsed.root, null, knownAtStart(parsed), style, out);
  else writeNode(parsed, null, new Set(), style, out);
  return out.join('');
}

function writeProps(props: Props, out: string[]): void {
  for (const [k, v] of props) out.push(',', quoteJson(k), ':', value(v));
}

function writeNode(
  node: AvroNode,
  space: string | null,
  known: Set<string>,
  style: WriteStyle,
  out: string[],
): void {
  switch (node.kind) {
    case 'primitive': {
      const props = style.props(node);
      if (props.length === 0) out.push(quoteJson(node.type));
      else {
        out.push('{"type":', quoteJson(node.type));
        writeProps(props, out);
        out.push('}');
      }
      return;
    }
    case 'array':
    case 'map':
      out.push(COLLECTION_OPEN[node.kind]);
      writeNode(collectionChild(node), space, known, style, out);
      writeProps(style.props(node), out);
      out.push('}');
      return;
    case 'union':
      writeList('[', node.branches, (b) => writeNode(b, space, known, style, out), out);
      return;
  }
  if (known.has(node.fullName)) {
    out.push(quoteJson(style.reference(node, space)));
    return;
  }
  known.add(node.fullName);
  out.push('{"type":', quoteJson(node.kind === 'record' && node.isError ? 'error' : node.kind));
  style.writeName(node, space, out);
  if (node.doc !== undefined) out.push(',"doc":', quoteJson(node.doc));
  switch (node.kind) {
    case 'record':
      writeList(',"fields":[', node.fields, (f) => writeField(f, node.namespace, known, style, out), out);
      break;
    case 'enum':
      out.push(',"symbols":[', node.symbols.map(quoteJson).join(','), ']');
      if (node.default !== undefined) out.push(',"default":', quoteJson(node.default));
      break;
    case 'fixed':
      out.push(',"size":', String(node.size));
      break;
  }
  writeProps(style.props(node), out);
  if (node.aliases.length > 0) out.push(',"aliases":[', style.aliases(node).map(quoteJson).join(','), ']');
  out.push('}');
}

function writeField(
  f: FieldNode,
  space: string | null,
  known: Set<string>,
  style: WriteStyle,
  out: string[],
): void {
  out.push('{"name":', quoteJson(f.name), ',"type":');
  writeNode(f.type, space, known, style, out);
  if (f.doc !== undefined) out.push(',"doc":', quoteJson(f.doc));
  if (f.hasDefault) out.push(',"default":', value(f.default ?? null));
  if (f.order !== 'ascending') out.push(',"order":', quoteJson(f.order));
  if (f.aliases.length > 0)
    out.push(',"aliases":[', style.fieldAliases(f.aliases).map(quoteJson).join(','), ']');
  writeProps(style.props(f), out);
  out.push('}');
}

// ---------------------------------------------------------------------------------------------------
// Confluent normalize=true

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

const normalizedStyle: WriteStyle = {
  props: (node) => sortedProps(node),
  reference: (node) => node.fullName,
  writeName: (node, _space, out) => out.push(',"name":', quoteJson(node.fullName)),
  fieldAliases: (aliases) => [...aliases].sort(byCodeUnits),
  aliases: (node) => [...node.aliases].sort(byCodeUnits),
};

export function normalizedString(parsed: ParsedSchema | AvroNode): string {
  return writeWithStyle(parsed, normalizedStyle);
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
    case 'map':
      out.push(COLLECTION_OPEN[node.kind]);
      writePcf(collectionChild(node), known, out);
      out.push('}');
      return;
    case 'union':
      writeList('[', node.branches, (b) => writePcf(b, known, out), out);
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
      writeList(
        ',"fields":[',
        node.fields,
        (f) => {
          out.push('{"name":', quoteJson(f.name), ',"type":');
          writePcf(f.type, known, out);
          out.push('}');
        },
        out,
      );
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
