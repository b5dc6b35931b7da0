import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  DEFAULT_FILTERS,
  filtersFromSearch,
  PAYMENT_FILTERS_IN_URL,
  PRESETS,
  searchFromFilters,
  withFilter,
} from './filters';
import { itKeepsFiltersInUrl } from './urlFilters.testing';

const search = (s: string) => new URLSearchParams(s);
const MERCHANT = '0b85ac22-a90a-4019-b0e7-9d07b672cf34';

describe('filters ⇄ URL', () => {
  itKeepsFiltersInUrl(PAYMENT_FILTERS_IN_URL, DEFAULT_FILTERS, {
    url:
      'status=declined&currency=EUR&amount_min=100&amount_max=5000&from=2026-11-01&to=2026-11-27' +
      `&merchant_id=${MERCHANT}&q=order-42&sort=amount&order=asc&page=3&limit=50`,
    filters: {
      status: 'declined',
      currency: 'EUR',
      amountMin: 100,
      amountMax: 5000,
      from: '2026-11-01',
      to: '2026-11-27',
      merchantId: MERCHANT,
      q: 'order-42',
      sort: 'amount',
      order: 'asc',
      page: 3,
      limit: 50,
    },
  });

  it('drops what is invalid in a hand-edited link instead of failing', () => {
    const filters = filtersFromSearch(
      search('status=paid&currency=EURO&amount_min=-1&amount_max=1.5&from=2026-02-30&merchant_id=x&sort=id&order=up&page=0&limit=7'),
    );
    expect(filters).toEqual(DEFAULT_FILTERS);
  });

  it('normalises case and spaces', () => {
    const filters = filtersFromSearch(search(`currency=eur&q=%20abc%20&merchant_id=${MERCHANT.toUpperCase()}`));
    expect(filters.currency).toBe('EUR');
    expect(filters.q).toBe('abc');
    expect(filters.merchantId).toBe(MERCHANT);
  });

  it('keeps a free-text search with URL characters intact', () => {
    const filters = withFilter(DEFAULT_FILTERS, { q: 'a&b=c #1' });
    const url = searchFromFilters(filters).toString();
    expect(filtersFromSearch(search(url)).q).toBe('a&b=c #1');
  });
});

describe('changing filters', () => {
  it('goes back to page 1 when a filter changes, keeps the page when paging', () => {
    const onPage3 = { ...DEFAULT_FILTERS, page: 3 };
    expect(withFilter(onPage3, { status: 'approved' }).page).toBe(1);
    expect(withFilter(onPage3, { page: 4 }).page).toBe(4);
  });

  it('removes a filter set to nothing', () => {
    const f = withFilter({ ...DEFAULT_FILTERS, status: 'approved', q: 'x' }, { status: undefined, q: '' });
    expect(f).toEqual(DEFAULT_FILTERS);
  });

  it('presets set dates in the zone, or a status', () => {
    const now = Date.UTC(2026, 10, 27, 20); // 2026-11-28 05:00 in Tokyo
    const today = PRESETS.find((p) => p.label === 'Today')!;
    expect(today.apply(now, 'Asia/Tokyo')).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    const week = PRESETS.find((p) => p.label === 'Last 7 days')!;
    expect(week.apply(now, 'UTC')).toEqual({ from: '2026-11-21', to: '2026-11-27' });
    expect(PRESETS.find((p) => p.label === 'Declined')!.apply(now)).toEqual({ status: 'declined' });
  });
});

describe('filters → GET /admin-api/payments query', () => {
  it('defaults: newest first, 25 from offset 0', () => {
    expect(apiQuery(DEFAULT_FILTERS)).toEqual({ sort: 'created_at', order: 'desc', limit: '25', offset: '0' });
  });

  it('turns dates into inclusive epoch-second bounds in the zone, and the page into an offset', () => {
    const f = filtersFromSearch(
      search(`status=approved&currency=JPY&amount_min=1&amount_max=2&from=2026-11-27&to=2026-11-27&merchant_id=${MERCHANT}&q=k&page=2&limit=100`),
    );
    expect(apiQuery(f, 'Asia/Tokyo')).toEqual({
      status: 'approved',
      currency: 'JPY',
      amount_min: '1',
      amount_max: '2',
      created_from: String(Date.UTC(2026, 10, 26, 15) / 1000),
      created_to: String(Date.UTC(2026, 10, 27, 14, 59, 59) / 1000),
      merchant_id: MERCHANT,
      q: 'k',
      sort: 'created_at',
      order: 'desc',
      limit: '100',
      offset: '100',
    });
  });
});
