import { describe, expect, it } from 'vitest';
import { dateToEpoch, epochToDate, formatAgo, formatLocal, formatUtc } from './time';

// 2026-11-27T10:05:09Z
const T = Date.UTC(2026, 10, 27, 10, 5, 9) / 1000;

describe('times', () => {
  it('shows UTC for the tooltip', () => {
    expect(formatUtc(T)).toBe('2026-11-27 10:05:09 UTC');
  });

  it('shows the local time in the given zone', () => {
    expect(formatLocal(T, 'UTC', 'en-GB')).toBe('27 Nov 2026, 10:05:09');
    expect(formatLocal(T, 'Asia/Tokyo', 'en-GB')).toBe('27 Nov 2026, 19:05:09');
    expect(formatLocal(T, 'America/New_York', 'en-GB')).toBe('27 Nov 2026, 05:05:09');
  });

  it('says how long ago', () => {
    expect(formatAgo(T, (T + 5) * 1000)).toBe('5 s ago');
    expect(formatAgo(T, (T + 600) * 1000)).toBe('10 min ago');
    expect(formatAgo(T, (T + 7200) * 1000)).toBe('2 h ago');
    expect(formatAgo(T, (T + 3 * 86400) * 1000)).toBe('3 d ago');
    expect(formatAgo(T, (T - 10) * 1000)).toBe('0 s ago');
  });
});

describe('calendar dates ⇄ epoch seconds', () => {
  it('takes the start and the last second of a day in the zone', () => {
    expect(dateToEpoch('2026-11-27', false, 'UTC')).toBe(Date.UTC(2026, 10, 27) / 1000);
    expect(dateToEpoch('2026-11-27', true, 'UTC')).toBe(Date.UTC(2026, 10, 27, 23, 59, 59) / 1000);
    expect(dateToEpoch('2026-11-27', false, 'Asia/Tokyo')).toBe(Date.UTC(2026, 10, 26, 15) / 1000);
    expect(dateToEpoch('2026-11-27', false, 'America/New_York')).toBe(Date.UTC(2026, 10, 27, 5) / 1000);
  });

  it('gets days around a daylight-saving change right', () => {
    // Europe/Berlin moves to summer time on 2026-03-29 at 02:00: that day starts at +01:00 and ends at +02:00.
    expect(dateToEpoch('2026-03-29', false, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 23) / 1000);
    expect(dateToEpoch('2026-03-29', true, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 21, 59, 59) / 1000);
  });

  it('refuses dates that do not exist', () => {
    expect(dateToEpoch('2026-02-30')).toBeUndefined();
    expect(dateToEpoch('2026-13-01')).toBeUndefined();
    expect(dateToEpoch('27/11/2026')).toBeUndefined();
    expect(dateToEpoch('')).toBeUndefined();
  });

  it('gives the date of an instant in the zone', () => {
    expect(epochToDate(T, 'UTC')).toBe('2026-11-27');
    expect(epochToDate(Date.UTC(2026, 10, 27, 20) / 1000, 'Asia/Tokyo')).toBe('2026-11-28');
  });
});
