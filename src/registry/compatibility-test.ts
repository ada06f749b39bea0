/**
 * The /compatibility use case (reference §6): a candidate schema against a subject's live versions
 * under the subject's effective level. Split from RegistryService, which delegates here.
 */
import { type CompatibilityCache, checkAgainstOne } from '../avro/levels.js';
import type { CompatibilityLevel } from '../avro/types.js';
import { DomainError } from '../errors.js';
import { versionNotFound } from './delete-decision.js';
import type { Prepared, SchemaPreparer } from './prepare-schema.js';
import { checkAgainstLive, type DecisionDeps, forCheck } from './register-decision.js';
import type { CompatibilityView } from './registry-api.js';
import { parseRegisterRequest } from './requests.js';
import { prepareFromStore } from './schema-source.js';
import type { SchemaStore, StoredVersion } from './schema-store.js';
import { effectiveCompatibility, effectiveNormalize } from './settings.js';
import { parseVersionId } from './version-id.js';

export interface CompatibilityTestDeps {
  readonly store: SchemaStore;
  readonly preparer: SchemaPreparer;
  readonly deps: DecisionDeps;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly compatibilityCache: CompatibilityCache;
}

export async function testCompatibility(
  ctx: CompatibilityTestDeps,
  subject: string,
  version: string | undefined,
  body: unknown,
  opts: { verbose?: boolean; normalize?: boolean },
): Promise<CompatibilityView> {
  const versionId = version === undefined ? undefined : parseVersionId(version);
  const request = parseRegisterRequest(body);
  const [history, settings] = await Promise.all([
    ctx.store.getSubjectHistory(subject),
    ctx.store.getSettings(subject),
  ]);
  const live = history.filter((v) => !v.deleted);
  // Resolved before the schema is even parsed, as Confluent does: `latest` with nothing live (or no
  // subject at all) is compatible with anything; a numeric version must exist and be live, whether
  // or not the subject does (40402).
  let against: StoredVersion | undefined;
  if (versionId?.kind === 'latest') against = live.at(-1);
  else if (versionId !== undefined) {
    against = live.find((v) => v.version === versionId.version);
    if (against === undefined) throw versionNotFound(versionId.version);
  }
  let prepared: Prepared;
  try {
    if (request.schema === undefined) throw new DomainError('INVALID_SCHEMA', 'Empty schema');
    prepared = await prepareFromStore(
      ctx.store,
      ctx.preparer,
      { text: request.schema, schemaType: request.schemaType, references: request.references },
      { mode: 'strict', normalize: opts.normalize === true || effectiveNormalize(settings) },
    );
  } catch (e) {
    // With verbose, an invalid schema is an answer, not an error.
    if (opts.verbose && e instanceof DomainError && e.code === 'INVALID_SCHEMA') {
      return { is_compatible: false, messages: [e.message] };
    }
    throw e;
  }
  const level = effectiveCompatibility(settings, ctx.defaultCompatibility);
  const candidate = {
    parsed: prepared.parsed,
    key: prepared.prepared.identity,
    canonical: prepared.prepared.canonical,
  };
  const targets = await ctx.store.resolveReferences(live.flatMap((v) => v.references));
  let result: { compatible: boolean; messages: string[] };
  if (versionId === undefined) {
    result = checkAgainstLive(level, candidate, live, targets, ctx.deps);
  } else {
    result =
      against === undefined
        ? { compatible: true, messages: [] }
        : checkAgainstOne(level, candidate, forCheck(against, targets, ctx.deps), {
            cache: ctx.compatibilityCache,
          });
  }
  return opts.verbose
    ? { is_compatible: result.compatible, messages: result.messages }
    : { is_compatible: result.compatible };
}
