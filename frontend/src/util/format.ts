/** Formatting of bytes, percentages, rates, counts, durations and times. Missing values read "—". */

export const MISSING = '—';

function missing(v: number | null | undefined): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * `n` (0 <= n < 999.5) with three significant digits: "1.50", "10.0", "100". The number of
 * decimals is decided on the rounded value, so 9.999 reads "10.0" (not "10.00") and 99.96 "100":
 * never more than four characters.
 */
export function threeDigits(n: number): string {
  let text = n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0);
  const r = Number(text);
  if (r >= 100 && text.includes('.')) text = n.toFixed(0);
  else if (r >= 10 && text.length > 4) text = n.toFixed(1);
  return text;
}

/** 1536 -> "1.50 KiB"; three significant digits at most (four characters), binary units. */
export function formatBytes(v: number | null | undefined): string {
  if (missing(v)) return MISSING;
  const sign = v < 0 ? '-' : '';
  let n = Math.abs(v);
  let u = 0;
  while (n >= 1024 && u < BYTE_UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0) return `${sign}${Math.round(n)} B`;
  // 1023.9 KiB would print as "1024 KiB": move up a unit instead.
  if (n >= 999.5 && u < BYTE_UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${sign}${threeDigits(n)} ${BYTE_UNITS[u]}`;
}

/** Bytes per second. */
export function formatBytesRate(v: number | null | undefined): string {
  return missing(v) ? MISSING : `${formatBytes(v)}/s`;
}

/** 12.345 -> "12.3%". */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  if (missing(v)) return MISSING;
  return `${v.toFixed(digits)}%`;
}

/** Counts with SI suffixes: 999 -> "999", 1234 -> "1.23k", 2500000 -> "2.50M". */
export function formatCount(v: number | null | undefined): string {
  if (missing(v)) return MISSING;
  const a = Math.abs(v);
  if (a < 1000) return Number.isInteger(v) ? String(v) : v.toFixed(a < 10 ? 1 : 0);
  const units = ['k', 'M', 'G', 'T'];
  let n = a;
  let u = -1;
  while (n >= 999.5 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${v < 0 ? '-' : ''}${threeDigits(n)}${units[u]}`;
}

/** Events per second. */
export function formatRate(v: number | null | undefined): string {
  return missing(v) ? MISSING : `${formatCount(v)}/s`;
}

/** Seconds -> "45s", "12m 05s", "4h 12m", "3d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (missing(seconds)) return MISSING;
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Seconds -> the shortest exact text: 300 -> "5m", 90 -> "1m 30s", 5400 -> "1h 30m", 0.5 -> "0.5s". */
export function formatSpan(seconds: number): string {
  if (!(seconds > 0)) return '0s';
  if (seconds < 60 && !Number.isInteger(seconds)) return `${+seconds.toFixed(3)}s`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Seconds since the epoch -> local "HH:MM:SS". */
export function formatClock(epochSeconds: number | null | undefined): string {
  if (missing(epochSeconds)) return MISSING;
  const d = new Date(epochSeconds * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Seconds since the epoch -> local "YYYY-MM-DD HH:MM:SS". */
export function formatDateTime(epochSeconds: number | null | undefined): string {
  if (missing(epochSeconds)) return MISSING;
  const d = new Date(epochSeconds * 1000);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(epochSeconds)}`;
}

/** A plain number with a fixed number of decimals. */
export function formatNumber(v: number | null | undefined, digits = 0): string {
  return missing(v) ? MISSING : v.toFixed(digits);
}

/** Window lengths as written in URLs: "5m" -> 300 seconds; "90s", "1h" also accepted. */
export function parseWindow(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^(\d+(?:\.\d+)?)(s|m|min|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  const s = unit === 's' ? n : unit === 'h' ? n * 3600 : unit === 'd' ? n * 86400 : n * 60;
  return s > 0 ? s : null;
}

/** 300 -> "5m", 86400 -> "24h", 604800 -> "7d". */
export function formatWindow(seconds: number): string {
  if (seconds > 86400 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** What a number measures, for formatting and for unit-aware input. */
export type Unit = 'bytes' | 'bytesRate' | 'percent' | 'rate' | 'count' | 'load';

/** Formats a value of a unit, as shown in legends, tooltips and alert texts. */
export function formatUnit(unit: Unit, v: number | null | undefined): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(v);
    case 'bytesRate':
      return formatBytesRate(v);
    case 'percent':
      return formatPercent(v);
    case 'rate':
      return formatRate(v);
    case 'load':
      return formatNumber(v, 2);
    case 'count':
      return formatCount(v);
  }
}

const BYTE_SUFFIX: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kib: 1024, kb: 1e3,
  m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9,
  t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12,
};

/**
 * A byte count as a person types it: "512", "120M", "120 MiB", "1.5G", "2e9". Bare letters and
 * KiB/MiB/GiB/TiB are binary; kB/MB/GB/TB are decimal. `defaultUnit` multiplies a bare number
 * (e.g. 1024 ** 2 when a "MiB" menu is chosen). Null when it is not a size.
 */
export function parseBytes(text: string, defaultUnit = 1): number | null {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*(?:\/s)?)\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const suffix = (m[2] as string).toLowerCase();
  const mult = suffix === '' ? defaultUnit : BYTE_SUFFIX[suffix.endsWith('/s') ? suffix.slice(0, -2) : suffix];
  if (mult === undefined || !Number.isFinite(n)) return null;
  return Math.round(n * mult);
}

/** A duration as a person types it: "30", "30s", "5m", "1h", "1m30s", "1.5h" -> seconds; null otherwise. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  if (/^[0-9]*\.?[0-9]+$/.test(t)) return Number(t);
  const re = /([0-9]*\.?[0-9]+)\s*(ms|s|sec|m|min|h|d)\s*/y;
  let total = 0;
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m) return null;
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === 'ms' ? n / 1000 : unit === 'm' || unit === 'min' ? n * 60 : unit === 'h' ? n * 3600 : unit === 'd' ? n * 86400 : n;
    pos = re.lastIndex;
  }
  return total;
}
