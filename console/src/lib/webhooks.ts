/**
 * The webhooks page's filters ⇄ the console's URL (a reload or a shared link shows the same list) ⇄ the query of
 * GET /admin-api/webhook-deliveries; and what a delivery's state means to an operator (dead, then failing, then
 * the rest: the order the server lists them in). Defaults are left out of the URL.
 */
import { withoutBlanks } from './withoutBlanks';

export const DELIVERY_STATUSES = ['dead', 'failing', 'pending', 'delivered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERIES_PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeliveryFilters {
  status?: DeliveryStatus;
  merchantId?: string;
  endpointId?: string;
  /** 1-based */
  page: number;
  /** the delivery whose attempts are shown */
  open?: string;
}

export const DEFAULT_DELIVERY_FILTERS: DeliveryFilters = { page: 1 };

/** The filters a URL's query string describes; anything invalid is dropped (a hand-edited link still works). */
export function deliveryFiltersFromSearch(search: URLSearchParams): DeliveryFilters {
  const f: DeliveryFilters = { ...DEFAULT_DELIVERY_FILTERS };
  const status = search.get('status');
  if (status && (DELIVERY_STATUSES as readonly string[]).includes(status)) f.status = status as DeliveryStatus;
  const merchant = uuid(search.get('merchant_id'));
  if (merchant) f.merchantId = merchant;
  const endpoint = uuid(search.get('endpoint_id'));
  if (endpoint) f.endpointId = endpoint;
  const page = search.get('page')?.trim();
  if (page && /^\d{1,9}$/.test(page) && Number(page) >= 1) f.page = Number(page);
  const open = uuid(search.get('open'));
  if (open) f.open = open;
  return f;
}

/** The query string for these filters, defaults left out, in a stable order. */
export function searchFromDeliveryFilters(f: DeliveryFilters): URLSearchParams {
  const s = new URLSearchParams();
  if (f.status) s.set('status', f.status);
  if (f.merchantId) s.set('merchant_id', f.merchantId);
  if (f.endpointId) s.set('endpoint_id', f.endpointId);
  if (f.page !== 1) s.set('page', String(f.page));
  if (f.open) s.set('open', f.open);
  return s;
}

export interface DeliveriesQuery {
  status?: string;
  merchant_id?: string;
  endpoint_id?: string;
  limit: string;
  offset: string;
}

/** The query of GET /admin-api/webhook-deliveries for these filters. */
export function deliveriesQuery(f: DeliveryFilters, pageSize: number = DELIVERIES_PAGE_SIZE): DeliveriesQuery {
  const q: DeliveriesQuery = { limit: String(pageSize), offset: String((f.page - 1) * pageSize) };
  if (f.status) q.status = f.status;
  if (f.merchantId) q.merchant_id = f.merchantId;
  if (f.endpointId) q.endpoint_id = f.endpointId;
  return q;
}

/**
 * Changing a filter goes back to the first page and closes the open delivery; paging keeps the filters. Another
 * merchant drops an endpoint that belonged to the previous one.
 */
export function withDeliveryFilter(f: DeliveryFilters, change: Partial<DeliveryFilters>): DeliveryFilters {
  const next: DeliveryFilters = { ...f, ...change };
  if (!('page' in change)) next.page = 1;
  if (!('open' in change)) delete next.open;
  if ('merchantId' in change && change.merchantId !== f.merchantId && !('endpointId' in change)) {
    delete next.endpointId;
  }
  return withoutBlanks(next);
}

/**
 * How the webhooks page keeps its filters in the URL (for `useUrlList`): read, written and changed as above, and the
 * API's query for them.
 */
export const DELIVERY_FILTERS_IN_URL = {
  fromSearch: deliveryFiltersFromSearch,
  toSearch: searchFromDeliveryFilters,
  change: withDeliveryFilter,
  query: deliveriesQuery,
};

/** What an operator reads from a delivery: dead (gave up), failing (retrying after a failure), pending, delivered. */
export function deliveryState(d: { status: string; failing: boolean }): DeliveryStatus {
  if (d.status === 'dead') return 'dead';
  if (d.status === 'pending') return d.failing ? 'failing' : 'pending';
  return 'delivered';
}

const RANK: Record<DeliveryStatus, number> = { dead: 0, failing: 1, pending: 2, delivered: 2 };

/**
 * Failures first: dead, then failing, then the rest, newest first within each, as the server orders the whole
 * list. Used to keep a page in that order when a row changes under it; ties within a second keep the server's
 * order (its times are finer than epoch seconds, and Array.sort is stable).
 */
export function failuresFirst<T extends { status: string; failing: boolean; created_at: number }>(a: T, b: T): number {
  return RANK[deliveryState(a)] - RANK[deliveryState(b)] || b.created_at - a.created_at;
}

/** Whether "redeliver" means something for it: the server sends again only what is not pending. */
export function canRedeliver(d: { status: string }): boolean {
  return d.status !== 'pending';
}

/** An attempt's outcome in a few words: the HTTP status, else the error, else "no answer". */
export function attemptOutcome(a: { status_code: number | null; error: string | null }): string {
  if (a.status_code != null) return a.error ? `HTTP ${a.status_code} (${a.error})` : `HTTP ${a.status_code}`;
  return a.error ?? 'no answer';
}

function uuid(value: string | null): string | undefined {
  const v = value?.trim();
  return v && UUID.test(v) ? v.toLowerCase() : undefined;
}
