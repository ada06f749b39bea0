/** Test fixture: the whole registry server (in-memory or file SQLite) on a ManualClock, driven by supertest. */
import supertest from 'supertest';
import { ManualClock } from '../../src/clock.js';
import type { RegistryConfig } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

export interface Harness {
  readonly server: RegistryServer;
  readonly clock: ManualClock;
  readonly http: ReturnType<typeof supertest>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    path?: string;
    clock?: ManualClock;
    pollIntervalMs?: number;
    config?: Partial<RegistryConfig>;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock();
  const config = await testConfig({ ...options.config, databasePath: options.path ?? ':memory:' });
  const server = checkResponses(
    await createRegistryServer(config, {
      clock,
      negotiationPollIntervalMs: options.pollIntervalMs ?? 20,
    }),
  );
  return { server, clock, http: supertest(server.app), close: () => server.close() };
}

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

/** An Avro record `proxima.Event` with a long `id` plus the given extra fields (JSON text of each). */
export function eventSchema(...extraFields: string[]): string {
  return `{"type":"record","name":"Event","namespace":"proxima","fields":[{"name":"id","type":"long"}${extraFields.map((f) => `,${f}`).join('')}]}`;
}

export async function register(
  h: Harness,
  subject: string,
  schema: string,
  semver?: string,
): Promise<number> {
  const body: Record<string, unknown> = { schema };
  if (semver !== undefined) body.metadata = { properties: { semver } };
  const res = await h.http
    .post(`/subjects/${encodeURIComponent(subject)}/versions`)
    .set('Content-Type', JSON_TYPE)
    .send(body);
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: number }).id;
}

export function neg(subject: string, rest = ''): string {
  return `/negotiation/subjects/${encodeURIComponent(subject)}${rest}`;
}

export interface ParticipantBody {
  role: 'reader' | 'writer' | 'both';
  supports: Record<string, unknown>;
  ttlSeconds: number;
}

export interface AgreementBody {
  subject: string;
  version: number;
  semver: string;
  id: number;
  epoch: number;
  degraded: boolean;
  reason?: string;
  fallbackFrom?: { version: number; semver: string };
  participants: Array<{ id: string; role: string; expiresAt: number; canRead: number[]; canWrite: number[] }>;
  blocked: Array<{
    version: number;
    semver: string;
    blockers: Array<{ participant: string; reason: string }>;
  }>;
}

/** The safety property: every live reader listed can decode the agreed version. */
export function assertSafe(view: AgreementBody): void {
  for (const p of view.participants) {
    if (p.role === 'writer') continue;
    if (!p.canRead.includes(view.version)) {
      throw new Error(
        `agreed version ${view.version} is not decodable by live reader ${p.id} (${p.canRead})`,
      );
    }
  }
}

export async function putParticipant(h: Harness, subject: string, id: string, body: ParticipantBody) {
  const res = await h.http.put(neg(subject, `/participants/${id}`)).send(body);
  if (res.status !== 200)
    throw new Error(`PUT participant failed: ${res.status} ${JSON.stringify(res.body)}`);
  // A lease write answers the agreement's summary; the full view (who blocks what) is the GET's.
  const summary = (res.body as { agreement: Omit<AgreementBody, 'participants' | 'blocked'> }).agreement;
  const view = await getAgreement(h, subject);
  for (const key of ['version', 'epoch', 'degraded', 'fallbackFrom'] as const) {
    if (JSON.stringify(summary[key]) !== JSON.stringify(view[key])) {
      throw new Error(
        `PUT answered ${key}=${JSON.stringify(summary[key])}, GET ${JSON.stringify(view[key])}`,
      );
    }
  }
  if ('participants' in summary || 'blocked' in summary) throw new Error('a lease answer lists participants');
  return view;
}

export async function getAgreement(h: Harness, subject: string, query = ''): Promise<AgreementBody> {
  const res = await h.http.get(neg(subject, `/agreement${query}`));
  if (res.status !== 200) throw new Error(`GET agreement failed: ${res.status} ${JSON.stringify(res.body)}`);
  const view = res.body as AgreementBody;
  assertSafe(view);
  return view;
}

/** Yields to the event loop until `predicate` holds (bounded by iterations, not time). */
export async function until(predicate: () => boolean, what: string): Promise<void> {
  // A few thousand turns of the event loop first (in-process work settles there), then short sleeps:
  // a database round trip on a loaded machine can take longer than the turns alone.
  for (let i = 0; i < 12_000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => (i < 2_000 ? setImmediate(resolve) : setTimeout(resolve, 2)));
  }
  throw new Error(`gave up waiting for ${what}`);
}
