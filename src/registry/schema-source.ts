/**
 * Where the schema of a write request comes from, and its preparation against the store's reference
 * targets: shared by registration, lookup and compatibility tests. Split from RegistryService.
 */
import { DomainError } from '../errors.js';
import type { Prepared, SchemaPreparer } from './prepare-schema.js';
import type { RegisterRequest } from './requests.js';
import type { SchemaStore } from './schema-store.js';

export interface SchemaSourceText {
  text: string;
  schemaType: string;
  references: RegisterRequest['references'];
}

/** The schema text to register: the body's, or with an empty body the latest live version's (§4.7). */
export async function schemaSource(
  store: SchemaStore,
  subject: string,
  request: RegisterRequest,
): Promise<SchemaSourceText & { reused: boolean }> {
  if (request.schema !== undefined) {
    return {
      text: request.schema,
      schemaType: request.schemaType,
      references: request.references,
      reused: false,
    };
  }
  const summary = (await store.listVersionSummaries(subject)).findLast((v) => !v.deleted);
  const latest = summary === undefined ? undefined : await store.getVersion(subject, summary.version);
  if (latest === undefined) throw new DomainError('INVALID_SCHEMA', 'Empty schema');
  return {
    text: latest.schema,
    schemaType: latest.schemaType,
    references: latest.references,
    reused: true,
  };
}

export async function prepareFromStore(
  store: SchemaStore,
  preparer: SchemaPreparer,
  source: SchemaSourceText,
  options: { mode: 'strict' | 'lenient'; normalize: boolean; requestedId?: number },
): Promise<Prepared> {
  if (source.schemaType !== 'AVRO') {
    throw new DomainError('INVALID_SCHEMA', `Invalid schema type ${source.schemaType}`);
  }
  const referenceTargets = await store.resolveReferences(source.references);
  return preparer.prepare({
    text: source.text,
    schemaType: source.schemaType,
    references: source.references,
    mode: options.mode,
    normalize: options.normalize,
    referenceTargets,
    ...(options.requestedId === undefined ? {} : { requestedId: options.requestedId }),
  });
}
