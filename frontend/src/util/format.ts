/** Formatting of bytes, percentages, rates, counts, durations and times. Missing values read "—". */

export const MISSING = '—';

function missing(v: number | null | undefined): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.5 KiB"; three significant digits at most, binary units. */
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
  const digits = n < 10 ? 2 : n < 100 ? 1 : 0;
  return `${sign}${n.toFixed(digits)} ${BYTE_UNITS[u]}`;
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
  const digits = n < 10 ? 2 : n < 100 ? 1 : 0;
  return `${v < 0 ? '-' : ''}${n.toFixed(digits)}${units[u]}`;
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
  const m = /^(\d+(?:\.\d+)?)(s|m|min|h)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  const s = unit === 's' ? n : unit === 'h' ? n * 3600 : n * 60;
  return s > 0 ? s : null;
}

/** 300 -> "5m". */
export function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
