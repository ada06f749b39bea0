/**
 * Checks that run once a whole document is parsed: forward references (Avro 1.12 resolves them at the
 * end), duplicate union members (needs resolved names), redefinitions of a name (Java's
 * `Schema.equals`) and, for new schemas, field defaults (Java `isValidDefault`).
 */
import { DomainError } from '../errors.js';
import { isValidDefault } from './defaults.js';
import { describeDefault, describeType, nodesEqual, unionMemberKey } from './describe.js';
import { q } from './names.js';
import { formatPath, type PathNode, type Text, withWhere } from './parse-path.js';
import type { AvroNode, FieldNode, NamedNode, UnionNode } from './types.js';

/** A name used before its definition (Avro 1.12 resolves these at the end of the parse). */
export interface Pending {
  readonly name: string;
  readonly fullName: string;
  readonly where: PathNode | undefined;
  readonly assign: (node: AvroNode) => void;
}

export interface DocumentChecks {
  readonly pending: Pending[];
  readonly unions: Array<{ node: UnionNode; where: PathNode | undefined; subject: Text | undefined }>;
  readonly redefinitions: Array<{ existing: NamedNode; fresh: NamedNode; where: PathNode | undefined }>;
  readonly defaults: Array<{ field: FieldNode; where: PathNode | undefined }>;
}

/** The checks that need every name of the document resolved; Java does them while parsing. */
export function checkDocument(
  doc: DocumentChecks,
  strict: boolean,
  resolve: (fullName: string) => NamedNode | undefined,
): void {
  for (const p of doc.pending) {
    const found = resolve(p.fullName);
    if (!found) {
      const detail = `unknown type ${q(p.name)} (not a primitive type nor a defined named type)`;
      throw new DomainError('INVALID_SCHEMA', withWhere(formatPath(p.where), detail));
    }
    p.assign(found);
  }
  for (const { node, where, subject } of doc.unions) {
    const seen = new Set<string>();
    for (const b of node.branches) {
      const key = unionMemberKey(b);
      if (seen.has(key)) {
        const detail = `union has more than one ${q(key)} branch`;
        throw new DomainError('INVALID_SCHEMA', withWhere(formatPath(where, subject), detail));
      }
      seen.add(key);
    }
  }
  for (const { existing, fresh, where } of doc.redefinitions) {
    if (!nodesEqual(existing, fresh)) {
      const detail = `can't redefine ${fresh.kind} ${q(fresh.fullName)} differently`;
      throw new DomainError('INVALID_SCHEMA', withWhere(formatPath(where), detail));
    }
  }
  if (!strict) return;
  for (const { field, where } of doc.defaults) {
    if (field.hasDefault && !isValidDefault(field.type, field.default)) {
      const t = describeType(field.type);
      const detail = `invalid default ${describeDefault(field.default)}: not ${/^"?(?:[aeio]|u(?!ni))/i.test(t) ? 'an' : 'a'} ${t}`;
      throw new DomainError('INVALID_SCHEMA', withWhere(formatPath(where), detail));
    }
  }
}
