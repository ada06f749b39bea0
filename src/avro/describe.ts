/**
 * Helpers shared by the parser's messages and checks: short human descriptions of types and values,
 * Java's union-member identity (`getFullName()`) and Java's `Schema.equals` for redefinitions.
 */
import { jsonEquals } from './json.js';
import { stringifyJson } from './json-write.js';
import { q } from './names.js';
import type { AvroNode, JsonValue, Props } from './types.js';

const MAX_PREVIEW = 60;

/** A JSON value for a message, cut short. */
export function describeDefault(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  const text = stringifyJson(v);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}

/** A type for a message: `"int"`, `record "a.R"`, `array of "int"`, `union ["null", "string"]`. */
export function describeType(node: AvroNode, depth = 0): string {
  if (depth > 3) return '…';
  switch (node.kind) {
    case 'primitive':
      return node.logicalType ? `${q(node.type)} (logical type ${q(node.logicalType)})` : q(node.type);
    case 'record':
    case 'enum':
    case 'fixed':
      return `${node.kind} ${q(node.fullName)}`;
    case 'array':
      return `array of ${describeType(node.items, depth + 1)}`;
    case 'map':
      return `map of ${describeType(node.values, depth + 1)}`;
    case 'union': {
      const shown = node.branches.slice(0, 5).map((b) => describeType(b, depth + 1));
      if (node.branches.length > 5) shown.push('…');
      return `union [${shown.join(', ')}]`;
    }
  }
}

/** Java `Schema.getFullName()`: what makes two union members duplicates. */
export function unionMemberKey(node: AvroNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.type;
    case 'record':
    case 'enum':
    case 'fixed':
      return node.fullName;
    default:
      return node.kind;
  }
}

/**
 * Java `Schema.equals`: types, full names, fields (name, type, default, order, props), symbols, size and
 * props; doc and aliases do not count. Pairs already under comparison count as equal (recursion).
 */
export function nodesEqual(
  a: AvroNode,
  b: AvroNode,
  inProgress = new Map<AvroNode, Set<AvroNode>>(),
): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  const seen = inProgress.get(a);
  if (seen?.has(b)) return true;
  if (seen) seen.add(b);
  else inProgress.set(a, new Set([b]));
  switch (a.kind) {
    case 'primitive':
      return b.kind === 'primitive' && a.type === b.type && propsEqual(a.props, b.props);
    case 'array':
      return b.kind === 'array' && propsEqual(a.props, b.props) && nodesEqual(a.items, b.items, inProgress);
    case 'map':
      return b.kind === 'map' && propsEqual(a.props, b.props) && nodesEqual(a.values, b.values, inProgress);
    case 'union':
      return (
        b.kind === 'union' &&
        a.branches.length === b.branches.length &&
        a.branches.every((x, i) => nodesEqual(x, b.branches[i] as AvroNode, inProgress))
      );
    case 'fixed':
      return (
        b.kind === 'fixed' && a.fullName === b.fullName && a.size === b.size && propsEqual(a.props, b.props)
      );
    case 'enum':
      return (
        b.kind === 'enum' &&
        a.fullName === b.fullName &&
        a.default === b.default &&
        a.symbols.length === b.symbols.length &&
        a.symbols.every((s, i) => s === b.symbols[i]) &&
        propsEqual(a.props, b.props)
      );
    case 'record':
      return (
        b.kind === 'record' &&
        a.fullName === b.fullName &&
        propsEqual(a.props, b.props) &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => {
          const g = b.fields[i];
          return (
            g !== undefined &&
            f.name === g.name &&
            f.order === g.order &&
            f.hasDefault === g.hasDefault &&
            jsonEquals(f.default, g.default) &&
            propsEqual(f.props, g.props) &&
            nodesEqual(f.type, g.type, inProgress)
          );
        })
      );
  }
}

/** Property maps compare without regard to order, as Java's do. */
function propsEqual(a: Props, b: Props): boolean {
  if (a.length !== b.length) return false;
  const m = new Map(b);
  return a.every(([k, v]) => m.has(k) && jsonEquals(v, m.get(k)));
}
