/** The overlapping workload both sides of the concurrency test register (each in its own order). */
import type { RegistryService } from '../../src/registry/registry-service.js';

export const SUBJECTS = 4;
export const SCHEMAS = 25;

export function schemaText(k: number): string {
  return JSON.stringify({ type: 'record', name: 'R', fields: [{ name: `f${k}`, type: 'string' }] });
}

/** Every (subject, schema) pair, shuffled by a seeded PRNG (mulberry32). */
export function workload(seed: number): Array<{ subject: string; k: number }> {
  const items: Array<{ subject: string; k: number }> = [];
  for (let s = 0; s < SUBJECTS; s++)
    for (let k = 0; k < SCHEMAS; k++) items.push({ subject: `subject-${s}`, k });
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export async function runWorkload(registry: RegistryService, seed: number): Promise<number[]> {
  const ids: number[] = [];
  for (const { subject, k } of workload(seed)) {
    ids.push((await registry.register(subject, { schema: schemaText(k) }, {})).id);
  }
  return ids;
}
