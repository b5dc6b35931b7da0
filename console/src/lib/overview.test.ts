import { describe, expect, it } from 'vitest';
import { activity, addSample, fillMinutes, formatAge, formatCount, formatMs, formatRate } from './overview';

describe('fillMinutes: every minute of the window, zeros included', () => {
  const from = 1_795_693_200; // a minute's start
  it('fills the gaps and keeps the counts', () => {
    const rows = fillMinutes(
      [
        { minute: from + 60, counts_by_status: { approved: 3, declined: 1 } },
        { minute: from + 180, counts_by_status: { approved: 2 } },
      ],
      from,
      from + 200,
      ['approved', 'declined'],
    );
    expect(rows.map((r) => r.minute)).toEqual([from, from + 60, from + 120, from + 180]);
    expect(rows[0]).toEqual({ minute: from, approved: 0, declined: 0 });
    expect(rows[1]).toEqual({ minute: from + 60, approved: 3, declined: 1 });
    expect(rows[3]).toEqual({ minute: from + 180, approved: 2, declined: 0 });
  });
  it('drops minutes outside the window and statuses not asked for', () => {
    const rows = fillMinutes(
      [
        { minute: from - 60, counts_by_status: { approved: 9 } },
        { minute: from, counts_by_status: { approved: 1, weird: 5 } },
      ],
      from,
      from + 59,
      ['approved'],
    );
    expect(rows).toEqual([{ minute: from, approved: 1 }]);
  });
  it('a window of 60 minutes has 60 rows', () => {
    expect(fillMinutes([], from, from + 59 * 60 + 30, ['approved'])).toHaveLength(60);
  });
});

describe('formatting', () => {
  it('rates', () => {
    expect(formatRate(0.6)).toBe('60.0 %');
    expect(formatRate(1)).toBe('100.0 %');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
  });
  it('latencies', () => {
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(null)).toBe('—');
  });
  it('ages', () => {
    expect(formatAge(42)).toBe('42 s');
    expect(formatAge(303)).toBe('5 min 3 s');
    expect(formatAge(2 * 3600 + 5 * 60 + 9)).toBe('2 h 5 min');
    expect(formatAge(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
    expect(formatAge(-5)).toBe('0 s');
    expect(formatAge(null)).toBe('—');
  });
  it('capped counts', () => {
    expect(formatCount(10001, true)).toBe('10,001+');
    expect(formatCount(12)).toBe('12');
  });
});

describe('addSample', () => {
  it('keeps the newest, once per poll', () => {
    let s: { at: number; v: number }[] = [];
    s = addSample(s, { at: 1, v: 1 }, 2);
    s = addSample(s, { at: 1, v: 1 }, 2);
    expect(s).toHaveLength(1);
    s = addSample(s, { at: 2, v: 2 }, 2);
    s = addSample(s, { at: 3, v: 3 }, 2);
    expect(s.map((x) => x.at)).toEqual([2, 3]);
  });
});

describe('activity: volume and approval rate from counts by status', () => {
  it('counts every status in the volume and only decided ones in the rate', () => {
    expect(activity({ approved: 3, declined: 1, failed: 2, processing: 4 })).toEqual({
      total: 10,
      approved: 3,
      declined: 1,
      failed: 2,
      rate: 0.75,
    });
  });
  it('has no rate before anything was decided', () => {
    expect(activity({ processing: 2, failed: 1 }).rate).toBeNull();
    expect(activity({})).toEqual({ total: 0, approved: 0, declined: 0, failed: 0, rate: null });
  });
});
