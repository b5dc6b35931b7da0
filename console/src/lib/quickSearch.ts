/**
 * The header's quick search: what the operator typed (a payment id, an order id or an idempotency key, or a piece
 * of one) goes to the payments list's `q`, which searches all three. One match opens that payment; none or several
 * open the list filtered by it, where the operator sees which.
 */
export const QUICK_SEARCH_PROBE = 2;

export function quickSearchTarget(q: string, found?: { total: number; items: { payment_id: string }[] }): string {
  const text = q.trim();
  if (!text) return '/payments';
  const only = found?.total === 1 && found.items.length === 1 ? found.items[0] : undefined;
  if (only) return `/payments/${encodeURIComponent(only.payment_id)}`;
  return `/payments?${new URLSearchParams({ q: text })}`;
}
