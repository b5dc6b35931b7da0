/** Times: the API sends epoch seconds; the console shows them in the browser's zone, with UTC on hover. */

/** "27 Nov 2026, 11:05:09" in the given (default: the browser's) zone. */
export function formatLocal(epochSeconds: number, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(epochSeconds * 1000));
}

/** "2026-11-27 10:05:09 UTC": the tooltip. */
export function formatUtc(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** "3 min ago"-style text for short spans. */
export function formatAgo(epochSeconds: number, nowMs: number = Date.now()): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - epochSeconds));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/**
 * A calendar date ("2026-11-27", as an <input type="date"> gives it) as epoch seconds at the start (or, with
 * endOfDay, the last second) of that day in the given zone (default: the browser's). Undefined when invalid.
 */
export function dateToEpoch(date: string, endOfDay = false, timeZone?: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wallUtc = Date.UTC(y, m - 1, d, endOfDay ? 23 : 0, endOfDay ? 59 : 0, endOfDay ? 59 : 0);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  // The zone's offset at that wall time, found by formatting the instant back (two passes for DST edges).
  let guess = wallUtc;
  for (let i = 0; i < 2; i++) {
    guess = wallUtc - zoneOffsetMs(guess, timeZone);
  }
  return Math.floor(guess / 1000);
}

/** The date ("2026-11-27") of an instant in the given zone. */
export function epochToDate(epochSeconds: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(epochSeconds * 1000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function zoneOffsetMs(instantMs: number, timeZone?: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}
