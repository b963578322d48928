// How sizes, rates and remaining time read on a file bubble. Decimal units (kB = 1000 B), as
// browsers' download lists and file managers show them.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

function unitOf(bytes: number): number {
  let u = 0;
  let v = Math.abs(bytes);
  while (v >= 999.95 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u;
}

function amount(bytes: number, unit: number): string {
  const v = bytes / 1000 ** unit;
  if (unit === 0) return String(Math.round(v));
  return v < 10 ? v.toFixed(1) : String(Math.round(v));
}

/** "0 B", "950 B", "1.5 kB", "12 MB", "3.2 GB". */
export function formatBytes(bytes: number): string {
  const u = unitOf(bytes);
  return `${amount(bytes, u)} ${UNITS[u]}`;
}

/** "1.2 of 4.5 MB", or "950 kB of 4.5 MB" when the units differ. */
export function formatOf(bytes: number, size: number): string {
  const u = unitOf(size);
  const b = unitOf(bytes);
  return b === u
    ? `${amount(bytes, u)} of ${amount(size, u)} ${UNITS[u]}`
    : `${formatBytes(bytes)} of ${formatBytes(size)}`;
}

/** "2.3 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "5 s left", "3 min left", "1 h 5 min left"; rounded up, so "0 s" never shows mid-way. */
export function formatEta(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s left`;
  const min = Math.ceil(s / 60);
  if (min < 60) return `${min} min left`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h left` : `${h} h ${rest} min left`;
}

/** The progress line: "1.2 of 4.5 MB · 2.3 MB/s · 5 s left", parts omitted when unknown. */
export function progressLine(
  bytes: number,
  size: number,
  rate: number | undefined,
  etaSeconds: number | undefined,
): string {
  const parts = [formatOf(bytes, size)];
  if (rate !== undefined && rate > 0) parts.push(formatRate(rate));
  if (etaSeconds !== undefined && Number.isFinite(etaSeconds) && bytes < size) {
    parts.push(formatEta(etaSeconds));
  }
  return parts.join(' · ');
}
