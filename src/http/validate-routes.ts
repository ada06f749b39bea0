/**
 * `POST /subjects/{s}/versions/{v}/validate`: does this JSON datum conform to that schema version?
 *
 * The body is an envelope, `{"datum": <value>, "applyDefaults"?: boolean}`, never the bare datum: a
 * record may well have a field called `datum`, and an envelope leaves room for options. A datum that
 * does not conform is a successful check (200, `valid: false`, every error with its path); only a
 * request we cannot act on is an error (422/42253 INVALID_DATUM_REQUEST; 40401/40402 from getVersion).
 */
import type { Router } from 'express';
import { AutoGenerator } from '../avro/autogen.js';
import { validateDatum } from '../avro/datum.js';
import { parseSchema } from '../avro/parser.js';
import type { ParsedSchema, SchemaReference } from '../avro/types.js';
import { ByteLru } from '../cache/byte-lru.js';
import { cacheBudget } from '../cache/cache-budget.js';
import { parsedBytes } from '../cache/size-estimate.js';
import { type Clock, systemClock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { pathParam } from './query.js';

export interface ValidateRoutesDeps {
  readonly registry: RegistryApi;
  /** Time for auto-generated timestamps and ids; the system clock (with microsecond precision) by default. */
  readonly clock?: Clock;
  /** Bound on the parsed schemas kept (estimated bytes). Default: its share of CACHE_MAX_BYTES. */
  readonly cacheMaxBytes?: number;
}

const ENVELOPE = '{"datum": <value>, "applyDefaults"?: boolean}';
const ALLOWED_KEYS = new Set(['datum', 'applyDefaults']);

export function validateRoutes(deps: ValidateRoutesDeps): Router {
  const router = guardedRouter();
  const generator =
    deps.clock === undefined || deps.clock === systemClock
      ? new AutoGenerator()
      : new AutoGenerator({ clock: deps.clock });
  // Parsed schemas by global id; content under an id never changes, so entries never go stale.
  const parsedById = new ByteLru<number, ParsedSchema>({
    maxBytes: deps.cacheMaxBytes ?? cacheBudget().validation,
  });

  const parsedFor = async (view: { id: number; schema: string; references?: SchemaReference[] }) => {
    const cached = parsedById.get(view.id);
    if (cached) return cached;
    const fetched = await fetchReferences(deps.registry, view.references ?? []);
    const parsed = parseStored(view.schema, view.references ?? [], fetched);
    let length = view.schema.length;
    for (const ref of fetched.values()) length += ref.schema.length;
    parsedById.set(view.id, parsed, parsedBytes(length));
    return parsed;
  };

  router
    .route('/subjects/:subject/versions/:version/validate')
    .post(async (req, res) => {
      const request = readRequest(req.body);
      const view = await deps.registry.getVersion(pathParam(req, 'subject'), pathParam(req, 'version'), {});
      const result = validateDatum(await parsedFor(view), request.datum, {
        applyDefaults: request.applyDefaults,
        generator,
        output: 'json',
      });
      sendJson(
        res,
        result.valid ? { valid: true, datum: result.datum } : { valid: false, errors: result.errors },
      );
    })
    .all(methodNotAllowed);

  return router.router;
}

function readRequest(body: unknown): { datum: unknown; applyDefaults: boolean } {
  if (body === undefined) throw invalid(`request body is required: ${ENVELOPE}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`request body must be a JSON object ${ENVELOPE}`);
  }
  const record = body as Record<string, unknown>;
  if (!Object.hasOwn(record, 'datum')) throw invalid(`request body has no "datum": expected ${ENVELOPE}`);
  const unknown = Object.keys(record).filter((k) => !ALLOWED_KEYS.has(k));
  if (unknown.length > 0) {
    throw invalid(
      `unknown request field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: expected ${ENVELOPE}`,
    );
  }
  const applyDefaults = record.applyDefaults ?? true;
  if (typeof applyDefaults !== 'boolean') {
    throw invalid(`"applyDefaults" must be true or false, got ${JSON.stringify(applyDefaults)}`);
  }
  return { datum: record.datum, applyDefaults };
}

function invalid(message: string): DomainError {
  return new DomainError('INVALID_DATUM_REQUEST', message);
}

type Fetched = Map<string, { schema: string; references: readonly SchemaReference[] }>;

const refKey = (ref: SchemaReference) => `${ref.subject}\u0000${ref.version}`;

/** The parser's reference lookup is synchronous: fetch the whole reference graph first. */
async function fetchReferences(
  registry: RegistryApi,
  references: readonly SchemaReference[],
): Promise<Fetched> {
  const fetched: Fetched = new Map();
  const pending = [...references];
  while (pending.length > 0) {
    const ref = pending.pop() as SchemaReference;
    if (fetched.has(refKey(ref))) continue;
    const view = await registry.getVersion(ref.subject, String(ref.version), { deleted: true });
    const inner = view.references ?? [];
    fetched.set(refKey(ref), { schema: view.schema, references: inner });
    pending.push(...inner);
  }
  return fetched;
}

/** Stored schemas are parsed leniently: a rule tightened later must not make a version unusable. */
function parseStored(text: string, references: readonly SchemaReference[], fetched: Fetched): ParsedSchema {
  return parseSchema(text, {
    mode: 'lenient',
    references: references.length > 0 ? references : undefined,
    lookup: (ref) => fetched.get(refKey(ref)),
  });
}
