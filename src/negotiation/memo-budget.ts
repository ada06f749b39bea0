/**
 * The negotiation service's memos are bounded by the bytes they keep alive (its share of
 * CACHE_MAX_BYTES, see src/cache/cache-budget.ts), like every other cache of the registry: a subject's
 * parsed history, evaluations of what clients declare, handshake answers, rosters and agreement views
 * can all grow with hostile or merely large input. One function per memo estimates an entry.
 */
import { splitBudget } from '../cache/cache-budget.js';
import { OBJECT_OVERHEAD, parsedBytes, stringBytes } from '../cache/size-estimate.js';
import type { Evaluation, HeldSchema, VersionFacts } from './choice.js';
import type { HandshakeAnswer } from './negotiation-views.js';

/** How the service's bytes are split among its memos. */
export const MEMO_SHARES = {
  facts: 0.35,
  held: 0.15,
  evaluations: 0.15,
  choices: 0.15,
  rosters: 0.1,
  views: 0.1,
} as const;

export type MemoBudget = Readonly<Record<keyof typeof MEMO_SHARES, number>>;

/** The default when no budget is given (tests, tools): 32 MiB. */
export const DEFAULT_NEGOTIATION_BYTES = 32 * 1024 * 1024;

export function memoBudget(maxBytes: number = DEFAULT_NEGOTIATION_BYTES): MemoBudget {
  return splitBudget(MEMO_SHARES, maxBytes);
}

/** A subject's history: its texts (the parsed trees live in the shared parse memo). */
export function historyBytes(history: readonly VersionFacts[]): number {
  let bytes = OBJECT_OVERHEAD;
  for (const v of history) bytes += 3 * OBJECT_OVERHEAD + stringBytes(v.schema) + stringBytes(v.pcf);
  return bytes;
}

/** A schema a client holds by text: its parse and its canonical form. */
export function heldBytes(text: string, held: HeldSchema | undefined): number {
  return parsedBytes(text.length) + (held === undefined ? 0 : stringBytes(held.pcf));
}

/** One capability per version, each with its explanations. */
export function evaluationBytes(evaluation: Evaluation): number {
  let bytes = OBJECT_OVERHEAD * 2;
  for (const cap of evaluation.byVersion.values()) {
    bytes += OBJECT_OVERHEAD + stringBytes(cap.whyNotRead ?? '') + stringBytes(cap.whyNotWrite ?? '');
  }
  return bytes;
}

export function answerBytes(answer: HandshakeAnswer | undefined): number {
  if (answer === undefined) return OBJECT_OVERHEAD * 2;
  return OBJECT_OVERHEAD * (4 + (answer.readable?.length ?? 0)) + stringBytes(answer.schema ?? '');
}
