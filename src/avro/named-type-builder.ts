/**
 * The half of `SchemaBuilder` that owns the document's state (path for messages, deferred checks, the
 * name table) and builds the named types: records with their fields, enums and fixed. Children of a
 * field are parsed through `parseType`, which the subclass in `schema-builder.ts` implements.
 */
import { DomainError } from '../errors.js';
import { describeDefault } from './describe.js';
import type { DocumentChecks } from './document-checks.js';
import { copyPosition, isJsonNumber, isJsonObject, jsonEntries } from './json.js';
import { javaDoubleString } from './json-write.js';
import {
  type HeaderContext,
  type NamedHeader,
  namedHeader,
  nameRule,
  optionalString,
  stringList,
} from './named-header.js';
import { isValidName, q } from './names.js';
import { formatPath, type PathNode, type Text, withWhere } from './parse-path.js';
import type {
  AvroNode,
  EnumNode,
  FieldNode,
  FixedNode,
  JsonObject,
  JsonValue,
  NamedBase,
  NamedNode,
  ParseLimits,
  Props,
  RecordNode,
} from './types.js';

export const SCHEMA_RESERVED = new Set([
  'doc',
  'fields',
  'items',
  'name',
  'namespace',
  'size',
  'symbols',
  'values',
  'type',
  'aliases',
]);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);
const ORDERS = new Set(['ascending', 'descending', 'ignore']);
/** Java `Double.valueOf` syntax, which Avro applies to string defaults of float/double fields. */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

export function tooLarge(message: string): DomainError {
  return new DomainError('SCHEMA_TOO_LARGE', message);
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export abstract class NamedTypeBuilder {
  protected path: PathNode | undefined;
  protected readonly checks: DocumentChecks = { pending: [], unions: [], redefinitions: [], defaults: [] };
  private readonly ctx: HeaderContext;

  constructor(
    protected readonly strict: boolean,
    protected readonly limits: ParseLimits,
    protected readonly named: Map<string, NamedNode>,
    private readonly countNamed: () => void,
  ) {
    this.ctx = { strict, fail: (detail) => this.fail(detail) };
  }

  protected fail(detail: string): DomainError {
    return new DomainError('INVALID_SCHEMA', withWhere(formatPath(this.path), detail));
  }

  /** Parses a type and hands the node to `assign`, now or once a forward reference resolves. */
  protected abstract parseType(
    json: JsonValue,
    ns: string | null,
    depth: number,
    subjectText: Text | undefined,
    assign: (node: AvroNode) => void,
  ): void;

  private header(json: JsonObject, ns: string | null, kind: string): NamedHeader {
    const h = namedHeader(this.ctx, json, ns, kind);
    this.countNamed();
    return h;
  }

  /** Registers a named node; a second definition of the same full name is compared at the end. */
  private intern<T extends NamedNode>(node: T, json: JsonObject): NamedNode {
    copyPosition(node, json);
    const existing = this.named.get(node.fullName);
    if (!existing) {
      this.named.set(node.fullName, node);
      return node;
    }
    this.checks.redefinitions.push({ existing, fresh: node, where: this.path });
    return existing;
  }

  protected parseRecord(json: JsonObject, ns: string | null, depth: number, isError: boolean): NamedNode {
    const kind = isError ? 'error' : 'record';
    const h = this.header(json, ns, kind);
    const props = collectProps(json, SCHEMA_RESERVED);
    const rec: RecordNode = {
      kind: 'record',
      ...namedBase(h, props),
      isError,
      fields: [],
    };
    const result = this.intern(rec, json);
    const fieldsJson = json.fields;
    if (!Array.isArray(fieldsJson)) throw this.fail(`${h.label} has no "fields" array`);
    if (fieldsJson.length > this.limits.maxFields) {
      throw tooLarge(`${h.label}: field count exceeds the limit of ${this.limits.maxFields}`);
    }
    const seen = new Set<string>();
    const fields: FieldNode[] = [];
    fieldsJson.forEach((fj, position) => {
      if (!isJsonObject(fj)) throw this.fail(`${h.label}: field #${position} must be an object`);
      const name = fj.name;
      if (typeof name !== 'string') throw this.fail(`${h.label}: field #${position} has no "name"`);
      if (!isValidName(name, this.strict)) {
        throw this.fail(`${h.label}: field name ${q(name)} is invalid${nameRule(this.strict)}`);
      }
      if (seen.has(name)) throw this.fail(`${h.label}: duplicate field ${q(name)}`);
      seen.add(name);
      fields.push(this.parseField(fj, name, position, h.label, h.namespace, depth));
    });
    rec.fields = fields;
    return result;
  }

  private parseField(
    fj: JsonObject,
    name: string,
    position: number,
    recordLabel: string,
    ns: string | null,
    depth: number,
  ): FieldNode {
    const saved = this.path;
    // Messages inside a field name the innermost field; the chain of enclosing records adds nothing.
    this.path = { seg: { field: name, record: recordLabel }, parent: undefined };
    const label: Text = { field: name };
    if (!Object.hasOwn(fj, 'type')) throw this.fail('field has no "type"');
    const field: Mutable<FieldNode> = {
      name,
      position,
      type: PLACEHOLDER,
      doc: optionalString(this.ctx, fj, 'doc', label),
      hasDefault: Object.hasOwn(fj, 'default'),
      default: fj.default,
      order: 'ascending',
      aliases: [],
      props: collectProps(fj, FIELD_RESERVED),
    };
    const order = fj.order;
    if (order !== undefined) {
      // Java: Order.valueOf(text.toUpperCase()), so the case does not matter.
      const o = typeof order === 'string' ? order.toLowerCase() : '';
      if (!ORDERS.has(o)) {
        throw this.fail(`invalid "order" ${describeDefault(order)}: must be ascending, descending or ignore`);
      }
      field.order = o as FieldNode['order'];
    }
    for (const alias of stringList(this.ctx, fj, 'aliases', label)) {
      if (this.strict && !isValidName(alias, true)) {
        throw this.fail(`alias ${q(alias)} is invalid${nameRule(this.strict)}`);
      }
      if (!field.aliases.includes(alias)) (field.aliases as string[]).push(alias);
    }
    this.parseType(fj.type as JsonValue, ns, depth + 1, undefined, (t) => {
      field.type = t;
      field.default = this.coerceFloatDefault(t, field.default);
    });
    copyPosition(field, fj);
    this.checks.defaults.push({ field, where: this.path });
    this.path = saved;
    return field;
  }

  /** Java turns a string default of a float/double field into a number (`"1.5"` -> 1.5, `"NaN"`). */
  private coerceFloatDefault(type: AvroNode, value: JsonValue | undefined): JsonValue | undefined {
    if (typeof value !== 'string' || type.kind !== 'primitive') return value;
    if (type.type !== 'float' && type.type !== 'double') return value;
    const text = value.trim();
    if (!JAVA_DOUBLE.test(text)) throw this.fail(`invalid default ${describeDefault(value)}: not a number`);
    const v = Number(text.replace(/[fFdD]$/, ''));
    return { kind: 'number', raw: javaDoubleString(v), value: v, isIntegral: false };
  }

  protected parseEnum(json: JsonObject, ns: string | null): NamedNode {
    const h = this.header(json, ns, 'enum');
    const symbolsJson = json.symbols;
    if (!Array.isArray(symbolsJson)) throw this.fail(`${h.label} has no "symbols" array`);
    if (symbolsJson.length > this.limits.maxSymbols) {
      throw tooLarge(`${h.label}: symbol count exceeds the limit of ${this.limits.maxSymbols}`);
    }
    const seen = new Set<string>();
    const symbols = symbolsJson.map((s, i) => {
      if (typeof s !== 'string') throw this.fail(`${h.label}: symbol #${i} must be a string`);
      if (!isValidName(s, this.strict))
        throw this.fail(`${h.label}: symbol ${q(s)} is invalid${nameRule(this.strict)}`);
      if (seen.has(s)) throw this.fail(`${h.label}: duplicate symbol ${q(s)}`);
      seen.add(s);
      return s;
    });
    let def: string | undefined;
    const defJson = json.default;
    if (typeof defJson === 'string') {
      // Java checks this even when defaults are not validated.
      if (!seen.has(defJson)) throw this.fail(`${h.label}: default ${q(defJson)} is not one of its symbols`);
      def = defJson;
    } else if (defJson !== undefined && defJson !== null && this.strict) {
      throw this.fail(`${h.label}: "default" must be a string`);
    }
    const props = collectProps(json, ENUM_RESERVED);
    const node: EnumNode = {
      kind: 'enum',
      ...namedBase(h, props),
      symbols,
      default: def,
    };
    return this.intern(node, json);
  }

  protected parseFixed(json: JsonObject, ns: string | null): NamedNode {
    const h = this.header(json, ns, 'fixed');
    const size = json.size;
    if (!isJsonNumber(size) || !size.isIntegral || size.value < 0 || size.value > 2 ** 31 - 1) {
      throw this.fail(
        `${h.label}: "size" must be a non-negative integer, got ${size === undefined ? 'none' : describeDefault(size)}`,
      );
    }
    const props = collectProps(json, SCHEMA_RESERVED);
    const node: FixedNode = {
      kind: 'fixed',
      ...namedBase(h, props),
      size: size.value,
    };
    return this.intern(node, json);
  }
}

/** Stands in until a child node is parsed or a forward reference resolves; never left in the result. */
export const PLACEHOLDER: AvroNode = Object.freeze({ kind: 'union', branches: [] }) as AvroNode;

export function collectProps(json: JsonObject, reserved: ReadonlySet<string>): Props {
  return jsonEntries(json).filter(([k]) => !reserved.has(k));
}

/** The attributes every named type shares, in the order the nodes have always been built with. */
function namedBase(h: NamedHeader, props: Props): NamedBase {
  return {
    name: h.name,
    namespace: h.namespace,
    fullName: h.fullName,
    aliases: h.aliases,
    doc: h.doc,
    props,
    logicalType: logical(props),
  };
}

export function logical(props: Props): string | undefined {
  const entry = props.find(([k]) => k === 'logicalType');
  return entry && typeof entry[1] === 'string' ? entry[1] : undefined;
}
