/**
 * The overview's figures, shaped for charts: the server sends only the minutes that had activity
 * (GET /admin-api/stats/overview); a chart wants every minute of the window, zeros included.
 */

export interface MinuteCounts {
  minute: number;
  counts_by_status: Record<string, number>;
}

/** One row per minute: `minute` (epoch s) and one number per status. */
export type MinuteRow = { minute: number } & Record<string, number>;

/**
 * Every minute from `from` to `to` (epoch seconds; `from` is a minute's start), each with a count per status
 * (0 where the server sent none). Minutes outside the range are dropped; statuses outside `statuses` ignored.
 */
export function fillMinutes(rows: readonly MinuteCounts[], from: number, to: number, statuses: readonly string[]): MinuteRow[] {
  const start = Math.floor(from / 60) * 60;
  const byMinute = new Map(rows.map((r) => [r.minute, r.counts_by_status]));
  const out: MinuteRow[] = [];
  for (let minute = start; minute <= to; minute += 60) {
    const counts = byMinute.get(minute) ?? {};
    const row = { minute } as MinuteRow;
    for (const s of statuses) row[s] = counts[s] ?? 0;
    out.push(row);
  }
  return out;
}

/** "60.0 %" for 0.6; "—" when there is no rate (nothing decided). */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(1)} %`;
}

/** "12 ms", "1.25 s"; "—" when not measured. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** An age: "42 s", "5 min 3 s", "2 h 5 min", "3 d 4 h"; "—" when none. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** "10,001+" when the server capped the count, else the count. */
export function formatCount(n: number, capped = false): string {
  return `${n.toLocaleString('en-US')}${capped ? '+' : ''}`;
}

/**
 * A sample of values that are "now" figures (the webhook backlog, the intake's p99), kept by the page while it is
 * open: the newest `keep`, one per poll (a repeated answer, same `at`, is not added twice).
 */
export function addSample<T extends { at: number }>(samples: readonly T[], next: T, keep: number): T[] {
  if (samples.at(-1)?.at === next.at) return samples as T[];
  return [...samples, next].slice(-keep);
}

/** A merchant's (or everybody's) payments over a window, from the overview's `payments_by_status`. */
export interface Activity {
  total: number;
  approved: number;
  declined: number;
  failed: number;
  /** approved / (approved + declined), as for the acquirers; null when nothing was decided yet. */
  rate: number | null;
}

/** Volume and approval rate: failed payments (no acquirer could answer) and open ones count in the volume only. */
export function activity(byStatus: Readonly<Record<string, number>>): Activity {
  const count = (status: string) => byStatus[status] ?? 0;
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  const approved = count('approved');
  const declined = count('declined');
  return { total, approved, declined, failed: count('failed'), rate: approved + declined > 0 ? approved / (approved + declined) : null };
}
