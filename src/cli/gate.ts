/**
 * The compatibility gate: a candidate schema against previous versions under a level, with the same
 * verdict and verbose messages a registry would give (`checkLevel`), plus per-direction structured
 * findings located in the new file for reports and annotations.
 */

import { checkReaderWriter } from '../avro/compatibility.js';
import { canonicalString, sha256Hex } from '../avro/index.js';
import { checkLevel, type PreviousVersion, type SchemaForCheck } from '../avro/levels.js';
import { type ExplainedIncompatibility, explain } from '../avro/location-lines.js';
import type { CompatibilityLevel, ParsedSchema } from '../avro/types.js';
import type { PreviousSchema } from './baselines.js';

/** `backward`: the new schema reads data written with the old one; `forward`: the old reads the new. */
export type Direction = 'backward' | 'forward';

export interface Finding extends ExplainedIncompatibility {
  readonly direction: Direction;
  /** The previous version it was found against. */
  readonly version: number;
  readonly source: string;
}

export interface GateResult {
  readonly compatible: boolean;
  /** Versions compared (newest first), in the order a registry walks them. */
  readonly checked: readonly number[];
  readonly findings: readonly Finding[];
  /** The registry's verbose messages for the same check (what `?verbose=true` would answer). */
  readonly messages: readonly string[];
}

function directionsOf(level: CompatibilityLevel): Direction[] {
  if (level.startsWith('BACKWARD')) return ['backward'];
  if (level.startsWith('FORWARD')) return ['forward'];
  if (level.startsWith('FULL')) return ['forward', 'backward'];
  return [];
}

function forCheck(parsed: ParsedSchema, key: string): SchemaForCheck {
  const canonical = canonicalString(parsed);
  return { parsed, canonical, key: `${key}:${sha256Hex(canonical)}` };
}

export function gate(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: readonly PreviousSchema[],
): GateResult {
  const directions = directionsOf(level);
  if (directions.length === 0 || previous.length === 0) {
    return { compatible: true, checked: [], findings: [], messages: [] };
  }
  const newest = previous.length - 1;
  const order = level.endsWith('_TRANSITIVE') ? previous.map((_, i) => newest - i) : [newest];
  const checked: number[] = [];
  const findings: Finding[] = [];
  for (const index of order) {
    const old = previous[index]!;
    checked.push(old.version);
    for (const direction of directions) findings.push(...compare(candidate, old, direction));
    // Like the registry, stop at the first version that fails.
    if (findings.length > 0) break;
  }
  const verdict = checkLevel(
    level,
    forCheck(candidate, 'new'),
    previous.map((p, i): PreviousVersion => ({ ...forCheck(p.parsed, `old${i}`), version: p.version })),
  );
  return {
    compatible: verdict.compatible && findings.length === 0,
    checked,
    findings,
    messages: verdict.messages,
  };
}

function compare(candidate: ParsedSchema, old: PreviousSchema, direction: Direction): Finding[] {
  const [reader, writer] =
    direction === 'backward' ? [candidate.root, old.parsed.root] : [old.parsed.root, candidate.root];
  const newSide = direction === 'backward' ? 'reader' : 'writer';
  const result = checkReaderWriter(reader, writer);
  const base = { direction, version: old.version, source: old.source };
  const findings: Finding[] = result.incompatibilities.map((inc) => ({
    ...explain(reader, writer, inc, newSide),
    ...base,
  }));
  if (result.exception !== undefined) {
    findings.push({
      ...base,
      type: 'EXCEPTION',
      location: '/',
      message: `Unexpected exception during compatibility check: ${result.exception}`,
      position: undefined,
      causes: [],
    });
  }
  return findings;
}

export function describeDirection(direction: Direction): string {
  return direction === 'backward'
    ? 'the new schema cannot read data written with the old one'
    : 'the old schema cannot read data written with the new one';
}
