/**
 * Turns a compiled `supports` into an Evaluation of a subject's history, memoised by (subject,
 * history token, supports key), and parses held schema texts once per text.
 */
import { parseSchema, parsingCanonicalForm } from '../avro/index.js';
import { ByteLru } from '../cache/byte-lru.js';
import { stringBytes } from '../cache/size-estimate.js';
import { DomainError, isDomainError } from '../errors.js';
import { type Evaluation, evaluateSupports, type HeldSchema, type VersionFacts } from './choice.js';
import { evaluationBytes, heldBytes } from './memo-budget.js';
import type { CompiledSupports, SupportsSpec } from './supports.js';

/** A result or the DomainError it produced: failures are memoised too. */
export type Memo<T> = { ok: T } | { error: DomainError };

/** Runs `fn`, capturing a DomainError as a memoisable result (anything else propagates). */
export function attempt<T>(fn: () => T): Memo<T> {
  try {
    return { ok: fn() };
  } catch (e) {
    if (isDomainError(e)) return { error: e };
    throw e;
  }
}

export class SupportsEvaluator {
  private readonly evaluations: ByteLru<string, Evaluation>;
  private readonly heldTexts: ByteLru<string, Memo<HeldSchema>>;

  constructor(budget: { readonly evaluations: number; readonly held: number }) {
    // Keys hold the declared supports (schema text included): counted with the entry.
    this.evaluations = new ByteLru({
      maxBytes: budget.evaluations,
      sizeOf: (e, key) => evaluationBytes(e) + stringBytes(key),
    });
    this.heldTexts = new ByteLru({
      maxBytes: budget.held,
      sizeOf: (memo, text) => heldBytes(text, 'ok' in memo ? memo.ok : undefined),
    });
  }

  /** Estimated bytes held by both memos. */
  get bytes(): number {
    return this.evaluations.bytes + this.heldTexts.bytes;
  }

  /**
   * `token` is the history token `history` was read under; undefined marks a what-if history, which
   * is neither looked up nor memoised. `lenient`: a schema text that no longer parses (a stored lease
   * under a stricter engine) holds nothing instead of failing the whole agreement.
   */
  evaluate(
    subject: string,
    token: string | undefined,
    supports: CompiledSupports,
    history: readonly VersionFacts[],
    lenient: boolean,
  ): Evaluation {
    const key = `${subject}\u0000${token}\u0000${supports.key}`;
    let evaluation = token === undefined ? undefined : this.evaluations.get(key);
    if (evaluation === undefined) {
      let held: HeldSchema | undefined;
      try {
        held = this.heldFromText(supports.spec);
      } catch (e) {
        if (!lenient || !isDomainError(e)) throw e;
      }
      evaluation = evaluateSupports(supports, held, history);
      if (token !== undefined) this.evaluations.set(key, evaluation);
    }
    return evaluation;
  }

  /** The schema a client holds by text; a bad text is a 422 naming `supports.schema`. */
  heldFromText(spec: SupportsSpec): HeldSchema | undefined {
    if (spec.schema === undefined) return undefined;
    const text = spec.schema;
    let memo = this.heldTexts.get(text);
    if (memo === undefined) {
      memo = attempt(() => {
        try {
          const parsed = parseSchema(text, { mode: 'lenient' });
          return { parsed, pcf: parsingCanonicalForm(parsed), origin: 'schema text' };
        } catch (e) {
          if (!isDomainError(e)) throw e;
          throw new DomainError(
            'INVALID_NEGOTIATION_REQUEST',
            `"supports.schema" is not a valid Avro schema: ${e.message}`,
          );
        }
      });
      this.heldTexts.set(text, memo);
    }
    if ('error' in memo) throw memo.error;
    return memo.ok;
  }
}
