/**
 * The payments list's filters ⇄ the console's URL (so a reload or a shared link shows the same list) ⇄ the query
 * of GET /admin-api/payments. The URL keeps what a person reads (dates, 1-based page); the API gets epoch seconds
 * and an offset. Defaults are left out of the URL.
 */
import { dateToEpoch, epochToDate } from './time';
import { withoutBlanks } from './withoutBlanks';

export const STATUSES = ['new', 'processing', 'approved', 'declined', 'failed'] as const;
export type Status = (typeof STATUSES)[number];
export const SORTS = ['created_at', 'amount'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface PaymentFilters {
  status?: Status;
  currency?: string;
  /** minor units, inclusive */
  amountMin?: number;
  amountMax?: number;
  /** calendar dates in the browser's zone, inclusive */
  from?: string;
  to?: string;
  merchantId?: string;
  q?: string;
  sort: Sort;
  order: 'asc' | 'desc';
  page: number;
  limit: number;
}

export const DEFAULT_FILTERS: PaymentFilters = { sort: 'created_at', order: 'desc', page: 1, limit: 25 };

/** The filters a URL's query string describes; anything invalid is dropped (a hand-edited link still works). */
export function filtersFromSearch(search: URLSearchParams): PaymentFilters {
  const f: PaymentFilters = { ...DEFAULT_FILTERS };
  const status = search.get('status');
  if (status && (STATUSES as readonly string[]).includes(status)) f.status = status as Status;
  const currency = search.get('currency')?.trim().toUpperCase();
  if (currency && /^[A-Z]{3}$/.test(currency)) f.currency = currency;
  f.amountMin = wholeNumber(search.get('amount_min'));
  f.amountMax = wholeNumber(search.get('amount_max'));
  const from = search.get('from');
  if (from && dateToEpoch(from) !== undefined) f.from = from;
  const to = search.get('to');
  if (to && dateToEpoch(to) !== undefined) f.to = to;
  const merchant = search.get('merchant_id')?.trim();
  if (merchant && /^[0-9a-f-]{36}$/i.test(merchant)) f.merchantId = merchant.toLowerCase();
  const q = search.get('q')?.trim();
  if (q) f.q = q;
  const sort = search.get('sort');
  if (sort && (SORTS as readonly string[]).includes(sort)) f.sort = sort as Sort;
  const order = search.get('order');
  if (order === 'asc' || order === 'desc') f.order = order;
  const page = wholeNumber(search.get('page'));
  if (page !== undefined && page >= 1) f.page = page;
  const limit = wholeNumber(search.get('limit'));
  if (limit !== undefined && (PAGE_SIZES as readonly number[]).includes(limit)) f.limit = limit;
  for (const key of ['amountMin', 'amountMax'] as const) {
    if (f[key] === undefined) delete f[key];
  }
  return f;
}

/** The query string for these filters, defaults left out, in a stable order. */
export function searchFromFilters(f: PaymentFilters): URLSearchParams {
  const s = new URLSearchParams();
  if (f.status) s.set('status', f.status);
  if (f.currency) s.set('currency', f.currency);
  if (f.amountMin !== undefined) s.set('amount_min', String(f.amountMin));
  if (f.amountMax !== undefined) s.set('amount_max', String(f.amountMax));
  if (f.from) s.set('from', f.from);
  if (f.to) s.set('to', f.to);
  if (f.merchantId) s.set('merchant_id', f.merchantId);
  if (f.q) s.set('q', f.q);
  if (f.sort !== DEFAULT_FILTERS.sort) s.set('sort', f.sort);
  if (f.order !== DEFAULT_FILTERS.order) s.set('order', f.order);
  if (f.page !== DEFAULT_FILTERS.page) s.set('page', String(f.page));
  if (f.limit !== DEFAULT_FILTERS.limit) s.set('limit', String(f.limit));
  return s;
}

/** The query of GET /admin-api/payments (the prototype's parameter names; times in epoch seconds). */
export interface PaymentsQuery {
  status?: string;
  currency?: string;
  amount_min?: string;
  amount_max?: string;
  created_from?: string;
  created_to?: string;
  merchant_id?: string;
  q?: string;
  sort: string;
  order: string;
  limit: string;
  offset: string;
}

export function apiQuery(f: PaymentFilters, timeZone?: string): PaymentsQuery {
  const query: PaymentsQuery = {
    sort: f.sort,
    order: f.order,
    limit: String(f.limit),
    offset: String((f.page - 1) * f.limit),
  };
  if (f.status) query.status = f.status;
  if (f.currency) query.currency = f.currency;
  if (f.amountMin !== undefined) query.amount_min = String(f.amountMin);
  if (f.amountMax !== undefined) query.amount_max = String(f.amountMax);
  const from = f.from === undefined ? undefined : dateToEpoch(f.from, false, timeZone);
  if (from !== undefined) query.created_from = String(from);
  const to = f.to === undefined ? undefined : dateToEpoch(f.to, true, timeZone);
  if (to !== undefined) query.created_to = String(to);
  if (f.merchantId) query.merchant_id = f.merchantId;
  if (f.q) query.q = f.q;
  return query;
}

/** Changing any filter goes back to the first page; paging alone keeps the rest. */
export function withFilter(f: PaymentFilters, change: Partial<PaymentFilters>): PaymentFilters {
  const next = { ...f, ...change };
  if (!('page' in change)) next.page = 1;
  return withoutBlanks(next);
}

/**
 * How the payments page keeps its filters in the URL (for `useUrlList`): read, written and changed as above, and the
 * API's query for them.
 */
export const PAYMENT_FILTERS_IN_URL = { fromSearch: filtersFromSearch, toSearch: searchFromFilters, change: withFilter, query: apiQuery };

export interface Preset {
  label: string;
  apply: (nowMs: number, timeZone?: string) => Partial<PaymentFilters>;
}

/** The prototype dashboard's quick presets. */
export const PRESETS: Preset[] = [
  { label: 'Today', apply: (now, tz) => ({ from: epochToDate(now / 1000, tz), to: epochToDate(now / 1000, tz) }) },
  {
    label: 'Last 7 days',
    apply: (now, tz) => ({ from: epochToDate(now / 1000 - 6 * 86400, tz), to: epochToDate(now / 1000, tz) }),
  },
  { label: 'Approved', apply: () => ({ status: 'approved' }) },
  { label: 'Declined', apply: () => ({ status: 'declined' }) },
  { label: 'Failed', apply: () => ({ status: 'failed' }) },
  { label: 'Processing', apply: () => ({ status: 'processing' }) },
];

function wholeNumber(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
