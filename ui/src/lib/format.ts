/** Dates, durations and counts as the pages show them. */

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** `4 Jan 2026, 09:30 UTC` in the browser's time zone. */
export function formatDateTime(ms: number): string {
  return dateTime.format(new Date(ms));
}

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/** `n thing` / `n things`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * Time left on a lease, coarse enough to read at a glance and fine enough to watch it count down:
 * `1 h 05 min`, `4 min 09 s`, `42 s`; `expired` at or below zero.
 */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** `1, 2, 5–9, 12`: version lists stay short even for long histories. */
export function formatVersionList(versions: readonly number[]): string {
  if (versions.length === 0) return 'none';
  const sorted = [...versions].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0]!;
  let prev = start;
  for (const v of [...sorted.slice(1), Number.NaN]) {
    if (v === prev + 1) {
      prev = v;
      continue;
    }
    parts.push(start === prev ? `${start}` : prev === start + 1 ? `${start}, ${prev}` : `${start}–${prev}`);
    start = v;
    prev = v;
  }
  return parts.join(', ');
}
