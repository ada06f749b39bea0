/**
 * Schema texts the benchmark registers and reads. Every generator is deterministic in its number, so a
 * run is reproducible and a given n always means the same schema.
 */

/**
 * A small record (~7 fields) made distinct by one optional field `x<n>`: any two of them are
 * compatible in both directions (each side's extra field has a default or is ignored), so a chain of
 * them is valid under every level, FULL_TRANSITIVE included, and every version has the same size
 * (the cost of a check does not grow with n, only with the number of versions checked).
 */
export function orderSchema(n: number): string {
  return JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'bench.orders',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'customer', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: 'currency', type: { type: 'enum', name: 'Currency', symbols: ['EUR', 'USD', 'GBP'] } },
      { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
      { name: 'note', type: ['null', 'string'], default: null },
      { name: `x${n}`, type: ['null', 'long'], default: null },
    ],
  });
}

/** A distinct schema per n for read scenarios (ids and versions): a two-field event. */
export function eventSchema(n: number): string {
  return JSON.stringify({
    type: 'record',
    name: `Event${n}`,
    namespace: 'bench.events',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'payload', type: ['null', 'string'], default: null },
    ],
  });
}

/** A record of `fields` fields of mixed types (the compatibility scenario uses 500). */
export function wideSchema(fields: number, variant: number): string {
  const types = ['int', 'long', 'string', 'double', 'boolean'];
  return JSON.stringify({
    type: 'record',
    name: 'Wide',
    namespace: 'bench.wide',
    fields: [
      ...Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, type: types[i % types.length] })),
      ...(variant === 0 ? [] : [{ name: `v${variant}`, type: ['null', 'string'], default: null }]),
    ],
  });
}
