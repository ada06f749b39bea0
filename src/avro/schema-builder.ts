/**
 * Builds the AST of one JSON schema document into a shared name table. Named types are interned per
 * full name (recursion and re-use are the same node); anonymous types are one node per occurrence.
 * Checks that need the whole document (forward references, as Avro 1.12 allows; union duplicates;
 * redefinitions; defaults) run in `document-checks.ts` once every name is known.
 */
import { describeDefault } from './describe.js';
import { checkDocument } from './document-checks.js';
import { copyPosition, isJsonObject } from './json.js';
import {
  collectProps,
  logical,
  type Mutable,
  NamedTypeBuilder,
  PLACEHOLDER,
  SCHEMA_RESERVED,
  tooLarge,
} from './named-type-builder.js';
import { PRIMITIVE_TYPES, splitName } from './names.js';
import { formatPath, type Text, text, withWhere } from './parse-path.js';
import type {
  ArrayNode,
  AvroNode,
  JsonObject,
  JsonValue,
  MapNode,
  NamedNode,
  PrimitiveNode,
  PrimitiveType,
  UnionNode,
} from './types.js';

export { tooLarge };

export class SchemaBuilder extends NamedTypeBuilder {
  build(json: JsonValue): AvroNode {
    let root: AvroNode | undefined;
    this.parseType(json, null, 1, undefined, (n) => {
      root = n;
    });
    checkDocument(this.checks, this.strict, (fullName) => this.resolve(fullName));
    return root as AvroNode;
  }

  /** Parses a type and hands the node to `assign`, now or once a forward reference resolves. */
  protected override parseType(
    json: JsonValue,
    ns: string | null,
    depth: number,
    subjectText: Text | undefined,
    assign: (node: AvroNode) => void,
  ): void {
    if (depth > this.limits.maxDepth) {
      throw tooLarge(`schema nesting depth exceeds the limit of ${this.limits.maxDepth}`);
    }
    if (typeof json === 'string') {
      this.reference(json, ns, assign);
      return;
    }
    if (Array.isArray(json)) {
      assign(this.parseUnion(json, ns, depth, subjectText));
      return;
    }
    if (!isJsonObject(json)) {
      throw this.fail(
        `${subjectOf(subjectText, 'schema')} must be a type name, an object or an array (union), got ${describeDefault(json)}`,
      );
    }
    const type = json.type;
    if (type === undefined) throw this.fail(`${subjectOf(subjectText, 'schema')} has no "type"`);
    if (typeof type !== 'string') {
      throw this.fail(
        `${subjectOf(subjectText, 'schema')}: "type" must be a string, got ${describeDefault(type)}`,
      );
    }
    let node: AvroNode;
    switch (type) {
      case 'record':
      case 'error':
        node = this.parseRecord(json, ns, depth, type === 'error');
        break;
      case 'enum':
        node = this.parseEnum(json, ns);
        break;
      case 'fixed':
        node = this.parseFixed(json, ns);
        break;
      case 'array':
      case 'map':
        node = this.parseCollection(json, type, ns, depth, subjectText);
        break;
      default:
        if (PRIMITIVE_TYPES.has(type)) {
          const props = collectProps(json, SCHEMA_RESERVED);
          const prim: PrimitiveNode = {
            kind: 'primitive',
            type: type as PrimitiveType,
            props,
            logicalType: logical(props),
          };
          node = prim;
        } else {
          // `{"type": "Name"}` is a reference to a named type; Java drops any other attributes.
          this.reference(type, ns, assign);
          return;
        }
    }
    copyPosition(node, json);
    assign(node);
  }

  /** Arrays and maps differ only in the key of their one child (`items` / `values`). */
  private parseCollection(
    json: JsonObject,
    kind: 'array' | 'map',
    ns: string | null,
    depth: number,
    subjectText: Text | undefined,
  ): ArrayNode | MapNode {
    const key = kind === 'array' ? 'items' : 'values';
    if (!Object.hasOwn(json, key)) throw this.fail(`${subjectOf(subjectText, kind)} has no "${key}"`);
    const props = collectProps(json, SCHEMA_RESERVED);
    const logicalType = logical(props);
    const node: Mutable<ArrayNode> | Mutable<MapNode> =
      kind === 'array'
        ? { kind, items: PLACEHOLDER, props, logicalType }
        : { kind, values: PLACEHOLDER, props, logicalType };
    this.nested(`${kind} ${key}`, () =>
      this.parseType(json[key] as JsonValue, ns, depth + 1, undefined, (n) => {
        if (node.kind === 'array') node.items = n;
        else node.values = n;
      }),
    );
    return node;
  }

  private nested(segment: string, run: () => void): void {
    const saved = this.path;
    this.path = { seg: segment, parent: saved };
    run();
    this.path = saved;
  }

  private reference(name: string, ns: string | null, assign: (node: AvroNode) => void): void {
    if (PRIMITIVE_TYPES.has(name)) {
      assign({ kind: 'primitive', type: name as PrimitiveType, props: [], logicalType: undefined });
      return;
    }
    const fullName = splitName(name, ns).fullName;
    const found = this.resolve(fullName);
    if (found) assign(found);
    else this.checks.pending.push({ name, fullName, where: this.path, assign });
  }

  /** Java 1.12 `ParseContext.resolve`: the full name, else the simple name in the null namespace. */
  private resolve(fullName: string): NamedNode | undefined {
    return this.named.get(fullName) ?? this.named.get(fullName.slice(fullName.lastIndexOf('.') + 1));
  }

  private parseUnion(
    json: JsonValue[],
    ns: string | null,
    depth: number,
    subject: Text | undefined,
  ): UnionNode {
    if (json.length > this.limits.maxUnionBranches) {
      throw tooLarge(
        withWhere(
          formatPath(this.path),
          `union branch count exceeds the limit of ${this.limits.maxUnionBranches}`,
        ),
      );
    }
    const branches: AvroNode[] = new Array(json.length).fill(PLACEHOLDER);
    const node: UnionNode = { kind: 'union', branches };
    json.forEach((b, i) => {
      const label: Text = { branch: b, index: i };
      if (Array.isArray(b)) throw this.fail(`${text(label)} is itself a union: unions may not be nested`);
      this.parseType(b, ns, depth + 1, label, (n) => {
        branches[i] = n;
      });
    });
    this.checks.unions.push({ node, where: this.path, subject });
    copyPosition(node, json);
    return node;
  }
}

/** How messages call the node being parsed: its union-branch label if it is one, else its kind. */
function subjectOf(subject: Text | undefined, fallback: string): string {
  return subject === undefined ? fallback : text(subject);
}
