/**
 * `POST /compatibility/subjects/{s}/explain`: a pairwise compatibility report. The candidate is either
 * submitted text or a stored version of the subject; it is checked against one version or the versions
 * a level looks at, under the subject's level or one the caller names. Besides the Confluent verdict
 * and verbose lines for that level, every version checked gets both directions (backward: the
 * candidate reads it; forward: it reads the candidate) with Java's findings and, for submitted text,
 * where each finding sits in that text. Nothing is written.
 */
import { checkAgainstOne, checkPair, parseCompatibilityLevel, type SchemaForCheck } from '../avro/levels.js';
import { newSidePosition } from '../avro/location-lines.js';
import type { CompatibilityLevel, CompatibilityResult } from '../avro/types.js';
import { DomainError, isDomainError } from '../errors.js';
import type { CompatibilityTestDeps } from './compatibility-test.js';
import { versionNotFound } from './delete-decision.js';
import { forCheck } from './register-decision.js';
import type {
  CompatibilityExplanation,
  DirectionVerdict,
  ExplainedVersionCheck,
  SettingSource,
} from './registry-api.js';
import { parseRegisterRequest } from './requests.js';
import { schemaErrorPosition } from './schema-error-position.js';
import { prepareFromStore } from './schema-source.js';
import type { StoredVersion } from './schema-store.js';
import { effectiveNormalize } from './settings.js';
import { invalidVersion, MAX_VERSION } from './version-id.js';

/** Versions reported in `checks` (newest first); the verdict still covers every version checked. */
export const MAX_REPORTED_CHECKS = 100;

type Against = { kind: 'number'; version: number } | { kind: 'latest' } | { kind: 'all' } | { kind: 'level' };

interface Candidate extends SchemaForCheck {
  /** Set when the candidate is a stored version. */
  readonly stored?: StoredVersion;
  /** Set when it is submitted text: positions are reported in it. */
  readonly text?: string;
}

function badRequest(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message);
}

/** `3`, `"3"`, `"latest"` (or `-1`): Confluent's version ids, as a number or a string. */
function versionField(
  value: unknown,
  field: string,
): { kind: 'number'; version: number } | { kind: 'latest' } {
  const raw = typeof value === 'number' ? String(value) : value;
  if (typeof raw !== 'string') throw badRequest(`"${field}" must be a version number or "latest"`);
  const text = raw.trim().toLowerCase();
  if (text === 'latest' || text === '-1') return { kind: 'latest' };
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_VERSION) throw invalidVersion(raw);
  return { kind: 'number', version: Number(text) };
}

function parseAgainst(value: unknown): Against {
  if (value === undefined || value === null) return { kind: 'level' };
  if (typeof value === 'string' && value.trim().toLowerCase() === 'all') return { kind: 'all' };
  return versionField(value, 'against');
}

export async function explainCompatibility(
  ctx: CompatibilityTestDeps,
  subject: string,
  body: unknown,
): Promise<CompatibilityExplanation> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const hasText = fields.schema !== undefined && fields.schema !== null && fields.schema !== '';
  const hasVersion = fields.version !== undefined && fields.version !== null;
  if (hasText === hasVersion) {
    throw new DomainError(
      'UNPROCESSABLE',
      'Give the candidate either as "schema" (its text) or as "version" (a version of the subject), not both',
    );
  }
  const against = parseAgainst(fields.against);
  const requestedLevel =
    fields.level === undefined || fields.level === null ? undefined : parseCompatibilityLevel(fields.level);

  const [history, settings] = await Promise.all([
    ctx.store.getSubjectHistory(subject),
    ctx.store.getSettings(subject),
  ]);
  const live = history.filter((v) => !v.deleted);
  const subjectLevel = settings.subjectConfig?.compatibility ?? null;
  const globalLevel = settings.globalConfig?.compatibility ?? null;
  const level: CompatibilityLevel = requestedLevel ?? subjectLevel ?? globalLevel ?? ctx.defaultCompatibility;
  const levelSource: SettingSource | 'request' =
    requestedLevel !== undefined
      ? 'request'
      : subjectLevel !== null
        ? 'subject'
        : globalLevel !== null
          ? 'global'
          : 'default';

  let storedCandidate: StoredVersion | undefined;
  if (hasVersion) {
    const id = versionField(fields.version, 'version');
    storedCandidate = id.kind === 'latest' ? live.at(-1) : history.find((v) => v.version === id.version);
    if (storedCandidate === undefined) {
      if (live.length === 0 && history.length === 0) {
        throw new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
      }
      throw versionNotFound(id.kind === 'latest' ? -1 : id.version);
    }
  }

  // What the candidate is compared with: live versions (older than a stored candidate), or one named.
  const pool = storedCandidate ? live.filter((v) => v.version < storedCandidate.version) : live;
  let targets: StoredVersion[];
  if (against.kind === 'number') {
    const named = history.find((v) => v.version === against.version);
    if (named === undefined) throw versionNotFound(against.version);
    targets = [named];
  } else if (against.kind === 'all' || (against.kind === 'level' && level.endsWith('_TRANSITIVE'))) {
    targets = [...pool].reverse();
  } else {
    targets = pool.slice(-1);
  }

  const referenceTargets = await ctx.store.resolveReferences(
    [...targets, ...(storedCandidate ? [storedCandidate] : [])].flatMap((v) => v.references),
  );
  const candidate: Candidate = storedCandidate
    ? { ...forCheck(storedCandidate, referenceTargets, ctx.deps), stored: storedCandidate }
    : await prepareText(ctx, fields, effectiveNormalize(settings));

  let verdict: { compatible: boolean; messages: string[] } = { compatible: true, messages: [] };
  const checks: ExplainedVersionCheck[] = [];
  for (const target of targets) {
    const previous = forCheck(target, referenceTargets, ctx.deps);
    if (verdict.compatible) {
      const result = checkAgainstOne(level, candidate, previous, { cache: ctx.compatibilityCache });
      if (!result.compatible) verdict = result;
    }
    if (checks.length < MAX_REPORTED_CHECKS) {
      checks.push({
        version: target.version,
        id: target.schemaId,
        semver: target.semver,
        deleted: target.deleted,
        backward: direction(ctx, 'BACKWARD', candidate, previous),
        forward: direction(ctx, 'FORWARD', candidate, previous),
      });
    }
  }
  const explanation: CompatibilityExplanation = {
    subject,
    level,
    levelSource,
    is_compatible: verdict.compatible,
    messages: verdict.messages,
    checks,
  };
  if (storedCandidate) {
    explanation.candidate = {
      version: storedCandidate.version,
      id: storedCandidate.schemaId,
      semver: storedCandidate.semver,
      deleted: storedCandidate.deleted,
    };
  }
  return explanation;
}

/** Parses submitted text strictly; a rejection keeps its message and adds where it is, when known. */
async function prepareText(
  ctx: CompatibilityTestDeps,
  fields: Record<string, unknown>,
  normalize: boolean,
): Promise<Candidate> {
  const request = parseRegisterRequest({
    schema: fields.schema,
    schemaType: fields.schemaType,
    references: fields.references,
  });
  const text = request.schema ?? '';
  try {
    const prepared = await prepareFromStore(
      ctx.store,
      ctx.preparer,
      { text, schemaType: request.schemaType, references: request.references },
      { mode: 'strict', normalize },
    );
    return {
      parsed: prepared.parsed,
      key: prepared.prepared.identity,
      canonical: prepared.prepared.canonical,
      text,
    };
  } catch (e) {
    if (isDomainError(e) && (e.code === 'INVALID_SCHEMA' || e.code === 'SCHEMA_TOO_LARGE')) {
      const position = schemaErrorPosition(text, e.message);
      throw new DomainError(e.code, e.message, position ? { position } : undefined);
    }
    throw e;
  }
}

function direction(
  ctx: CompatibilityTestDeps,
  level: 'BACKWARD' | 'FORWARD',
  candidate: Candidate,
  previous: ReturnType<typeof forCheck>,
): DirectionVerdict {
  const options = { cache: ctx.compatibilityCache };
  const { messages } = checkAgainstOne(level, candidate, previous, options);
  // BACKWARD: the candidate is the reader; FORWARD: the stored version reads the candidate.
  const [reader, writer] = level === 'BACKWARD' ? [candidate, previous] : [previous, candidate];
  const result: CompatibilityResult = checkPair(reader, writer, options);
  const findings: DirectionVerdict['incompatibilities'] = result.incompatibilities.map((inc) => {
    const position =
      candidate.text === undefined
        ? undefined
        : newSidePosition(
            reader.parsed.root,
            writer.parsed.root,
            inc.location,
            level === 'BACKWARD' ? 'reader' : 'writer',
          );
    return {
      type: inc.type,
      location: inc.location,
      message: inc.message,
      ...(position ? { position: { line: position.line, column: position.column } } : {}),
    };
  });
  if (result.exception !== undefined) {
    findings.push({ type: 'EXCEPTION', location: '/', message: result.exception });
  }
  return {
    compatible: result.compatible && result.exception === undefined,
    messages,
    incompatibilities: findings,
  };
}
