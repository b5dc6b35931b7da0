import { describe, expect, it } from 'vitest';
import {
  attemptOutcome,
  canRedeliver,
  DEFAULT_DELIVERY_FILTERS,
  DELIVERY_FILTERS_IN_URL,
  deliveriesQuery,
  deliveryFiltersFromSearch,
  deliveryState,
  failuresFirst,
  withDeliveryFilter,
  type DeliveryFilters,
} from './webhooks';
import { itKeepsFiltersInUrl } from './urlFilters.testing';

const search = (s: string) => new URLSearchParams(s);
const MERCHANT = '0b85ac22-a90a-4019-b0e7-9d07b672cf34';
const ENDPOINT = '01a21c9e-0000-7000-8000-00000000e001';
const DELIVERY = '01a21c9e-0000-7000-8000-0000000d0001';

describe('webhook delivery filters ⇄ URL', () => {
  itKeepsFiltersInUrl(DELIVERY_FILTERS_IN_URL, DEFAULT_DELIVERY_FILTERS, {
    url: `status=dead&merchant_id=${MERCHANT}&endpoint_id=${ENDPOINT}&page=3&open=${DELIVERY}`,
    filters: { status: 'dead', merchantId: MERCHANT, endpointId: ENDPOINT, page: 3, open: DELIVERY },
  });

  it('drops what is invalid in a hand-edited link instead of failing', () => {
    expect(
      deliveryFiltersFromSearch(search('status=lost&merchant_id=x&endpoint_id=1234&page=0&open=%27%3B')),
    ).toEqual(DEFAULT_DELIVERY_FILTERS);
    expect(deliveryFiltersFromSearch(search('page=-2')).page).toBe(1);
    expect(deliveryFiltersFromSearch(search('page=2.5')).page).toBe(1);
  });

  it('ids are compared in lower case', () => {
    expect(deliveryFiltersFromSearch(search(`merchant_id=${MERCHANT.toUpperCase()}`)).merchantId).toBe(MERCHANT);
  });
});

describe('filters → the API query', () => {
  it('pages by offset, 50 a page', () => {
    expect(deliveriesQuery(DEFAULT_DELIVERY_FILTERS)).toEqual({ limit: '50', offset: '0' });
    expect(deliveriesQuery({ page: 3, status: 'failing', merchantId: MERCHANT, endpointId: ENDPOINT })).toEqual({
      status: 'failing',
      merchant_id: MERCHANT,
      endpoint_id: ENDPOINT,
      limit: '50',
      offset: '100',
    });
  });
  it('the open delivery is the page’s business, not the API’s', () => {
    expect(deliveriesQuery({ page: 1, open: DELIVERY })).toEqual({ limit: '50', offset: '0' });
  });
});

describe('changing a filter', () => {
  const on: DeliveryFilters = { status: 'dead', merchantId: MERCHANT, endpointId: ENDPOINT, page: 4, open: DELIVERY };
  it('goes back to the first page and closes the open delivery', () => {
    expect(withDeliveryFilter(on, { status: 'failing' })).toEqual({
      status: 'failing',
      merchantId: MERCHANT,
      endpointId: ENDPOINT,
      page: 1,
    });
  });
  it('paging keeps the filters', () => {
    expect(withDeliveryFilter(on, { page: 5 })).toEqual({
      status: 'dead',
      merchantId: MERCHANT,
      endpointId: ENDPOINT,
      page: 5,
    });
  });
  it('opening a delivery keeps the page', () => {
    expect(withDeliveryFilter({ page: 2 }, { open: DELIVERY, page: 2 })).toEqual({ page: 2, open: DELIVERY });
  });
  it('another merchant drops the previous merchant’s endpoint; clearing a filter removes it', () => {
    expect(withDeliveryFilter(on, { merchantId: undefined })).toEqual({ status: 'dead', page: 1 });
    expect(withDeliveryFilter(on, { merchantId: MERCHANT })).toEqual({
      status: 'dead',
      merchantId: MERCHANT,
      endpointId: ENDPOINT,
      page: 1,
    });
  });
});

describe('failures first', () => {
  const d = (id: string, status: string, failing: boolean, created_at: number) => ({ id, status, failing, created_at });

  it('reads a delivery’s state as an operator does', () => {
    expect(deliveryState(d('a', 'dead', false, 0))).toBe('dead');
    expect(deliveryState(d('a', 'pending', true, 0))).toBe('failing');
    expect(deliveryState(d('a', 'pending', false, 0))).toBe('pending');
    expect(deliveryState(d('a', 'delivered', false, 0))).toBe('delivered');
  });

  it('dead, then failing, then the rest; newest first within each', () => {
    const rows = [
      d('1', 'delivered', false, 500),
      d('2', 'pending', true, 100),
      d('3', 'dead', false, 50),
      d('4', 'pending', false, 600),
      d('5', 'dead', false, 300),
      d('6', 'pending', true, 400),
      d('7', 'delivered', false, 700),
    ];
    expect([...rows].sort(failuresFirst).map((r) => r.id)).toEqual(['5', '3', '6', '2', '7', '4', '1']);
  });

  it('ties within a second keep the server’s order', () => {
    expect([d('a', 'dead', false, 1), d('b', 'dead', false, 1)].sort(failuresFirst).map((r) => r.id)).toEqual(['a', 'b']);
    expect([d('b', 'dead', false, 1), d('a', 'dead', false, 1)].sort(failuresFirst).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('only what is not pending can be sent again', () => {
    expect(canRedeliver({ status: 'dead' })).toBe(true);
    expect(canRedeliver({ status: 'delivered' })).toBe(true);
    expect(canRedeliver({ status: 'pending' })).toBe(false);
  });

  it('describes an attempt’s outcome', () => {
    expect(attemptOutcome({ status_code: 500, error: null })).toBe('HTTP 500');
    expect(attemptOutcome({ status_code: 302, error: 'redirect not followed' })).toBe('HTTP 302 (redirect not followed)');
    expect(attemptOutcome({ status_code: null, error: 'connection refused' })).toBe('connection refused');
    expect(attemptOutcome({ status_code: null, error: null })).toBe('no answer');
  });
});
