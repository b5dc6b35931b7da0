import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type ListedMerchant } from '../api/client';
import { choicesOf, Empty, ErrorBox, Field, Loading, Money, PageTitle, SelectFilter, StatusBadge, Time, type Choice } from '../components/ui';
import {
  apiQuery,
  filtersFromSearch,
  PAGE_SIZES,
  PRESETS,
  searchFromFilters,
  STATUSES,
  withFilter,
  type PaymentFilters,
  type Sort,
} from '../lib/filters';

export function useMerchants() {
  return useQuery({
    queryKey: ['merchants'],
    queryFn: () => unwrap<ListedMerchant[]>(api.GET('/admin-api/merchants')),
    staleTime: 60_000,
  });
}

/** Merchants as a filter's choices: by name, or by id where a merchant has none. */
export function merchantChoices(merchants: readonly ListedMerchant[]): Choice[] {
  return merchants.map((m) => ({ value: m.id, label: m.name || m.id }));
}

export function PaymentsPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const merchants = useMerchants();
  const query = apiQuery(filters);
  const payments = useQuery({
    queryKey: ['payments', query],
    queryFn: () => unwrap(api.GET('/admin-api/payments', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const go = (next: PaymentFilters) => setParams(searchFromFilters(next));
  // Built on the address bar, not on this render's `filters` (the router renders a new URL a moment later): two
  // quick changes keep both.
  const change = (c: Partial<PaymentFilters>) => go(withFilter(filtersFromSearch(new URLSearchParams(window.location.search)), c));

  const sortBy = (sort: Sort) =>
    change({ sort, order: filters.sort === sort && filters.order === 'desc' ? 'asc' : 'desc' });
  const ariaSort = (sort: Sort) =>
    filters.sort === sort ? (filters.order === 'asc' ? 'ascending' : 'descending') : 'none';

  const total = payments.data?.total ?? 0;
  const first = total === 0 ? 0 : (filters.page - 1) * filters.limit + 1;
  const last = Math.min(total, filters.page * filters.limit);
  const pages = Math.max(1, Math.ceil(total / filters.limit));
  const merchantName = (id: string | undefined) => merchants.data?.find((m) => m.id === id)?.name || id?.slice(0, 8);

  return (
    <div>
      <PageTitle>Payments</PageTitle>
      <FilterForm filters={filters} merchants={merchants.data ?? []} onChange={change} onReset={() => go({ ...filtersFromSearch(new URLSearchParams()) })} />
      <div className="presets" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button key={p.label} type="button" className="secondary small" onClick={() => change(p.apply(Date.now()))}>
            {p.label}
          </button>
        ))}
      </div>
      {payments.isPending ? (
        <Loading what="Loading payments" />
      ) : payments.isError ? (
        <ErrorBox error={payments.error} retry={() => payments.refetch()} />
      ) : (payments.data.items ?? []).length === 0 ? (
        <Empty>No payment matches these filters.</Empty>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {first}–{last} of {total.toLocaleString()}
            {payments.isFetching && ' · refreshing…'}
          </p>
          <div className="table-wrap">
            <table className="payments">
              <thead>
                <tr>
                  <th aria-sort={ariaSort('created_at')}>
                    <button type="button" className="sort" onClick={() => sortBy('created_at')}>
                      Created {filters.sort === 'created_at' ? (filters.order === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  </th>
                  <th>Payment</th>
                  <th>Merchant</th>
                  <th>Order</th>
                  <th className="right" aria-sort={ariaSort('amount')}>
                    <button type="button" className="sort" onClick={() => sortBy('amount')}>
                      Amount {filters.sort === 'amount' ? (filters.order === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  </th>
                  <th>Status</th>
                  <th>Acquirer</th>
                </tr>
              </thead>
              <tbody>
                {(payments.data.items ?? []).map((p) => (
                  <tr key={p.payment_id}>
                    <td>
                      <Time epoch={p.created_at} />
                    </td>
                    <td>
                      <Link
                        to={`/payments/${p.payment_id}`}
                        className="mono"
                        title={p.payment_id}
                        aria-label={`Payment ${p.payment_id}`}
                      >
                        {shortId(p.payment_id)}
                      </Link>
                    </td>
                    <td>{merchantName(p.merchant_id)}</td>
                    <td className="ellipsis" title={p.order_id}>
                      {p.order_id}
                    </td>
                    <td className="right">
                      <Money minor={p.amount} currency={p.currency} />
                    </td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td>{p.acquirer ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              className="secondary"
              disabled={filters.page <= 1}
              onClick={() => change({ page: filters.page - 1 })}
            >
              ← Newer
            </button>
            <span>
              Page {filters.page} of {pages.toLocaleString()}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={filters.page >= pages}
              onClick={() => change({ page: filters.page + 1 })}
            >
              Older →
            </button>
            <label className="inline">
              Per page{' '}
              <select value={filters.limit} onChange={(e) => change({ limit: Number(e.target.value) })}>
                {PAGE_SIZES.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
          </nav>
        </>
      )}
    </div>
  );
}

/** Selects apply at once; typed fields apply on Enter or "Apply" (not on every key stroke). */
function FilterForm({
  filters,
  merchants,
  onChange,
  onReset,
}: {
  filters: PaymentFilters;
  merchants: ListedMerchant[];
  onChange: (c: Partial<PaymentFilters>) => void;
  onReset: () => void;
}) {
  const [text, setText] = useState(() => textFields(filters));
  useEffect(() => setText(textFields(filters)), [filters]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const min = text.amountMin.trim();
    const max = text.amountMax.trim();
    onChange({
      q: text.q.trim() || undefined,
      currency: /^[A-Za-z]{3}$/.test(text.currency.trim()) ? text.currency.trim().toUpperCase() : undefined,
      amountMin: /^\d+$/.test(min) ? Number(min) : undefined,
      amountMax: /^\d+$/.test(max) ? Number(max) : undefined,
    });
  };

  return (
    <form className="filters" onSubmit={apply} aria-label="Filters">
      <Field label="Search">
        <input
          type="search"
          value={text.q}
          placeholder="id, order id or idempotency key"
          onChange={(e) => setText({ ...text, q: e.target.value })}
        />
      </Field>
      <SelectFilter
        label="Status"
        value={filters.status}
        choices={choicesOf(STATUSES)}
        onChange={(status) => onChange({ status: status as PaymentFilters['status'] })}
      />
      <Field label="Currency">
        <input
          value={text.currency}
          maxLength={3}
          size={4}
          placeholder="EUR"
          onChange={(e) => setText({ ...text, currency: e.target.value })}
        />
      </Field>
      <Field label="Amount from" hint="minor units">
        <input
          inputMode="numeric"
          value={text.amountMin}
          size={8}
          onChange={(e) => setText({ ...text, amountMin: e.target.value })}
        />
      </Field>
      <Field label="Amount to" hint="minor units">
        <input
          inputMode="numeric"
          value={text.amountMax}
          size={8}
          onChange={(e) => setText({ ...text, amountMax: e.target.value })}
        />
      </Field>
      <Field label="Created from">
        <input type="date" value={filters.from ?? ''} onChange={(e) => onChange({ from: e.target.value || undefined })} />
      </Field>
      <Field label="Created to">
        <input type="date" value={filters.to ?? ''} onChange={(e) => onChange({ to: e.target.value || undefined })} />
      </Field>
      <SelectFilter
        label="Merchant"
        value={filters.merchantId}
        choices={merchantChoices(merchants)}
        onChange={(merchantId) => onChange({ merchantId })}
      />
      <div className="filter-buttons">
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={onReset}>
          Clear
        </button>
      </div>
    </form>
  );
}

function textFields(f: PaymentFilters) {
  return {
    q: f.q ?? '',
    currency: f.currency ?? '',
    amountMin: f.amountMin === undefined ? '' : String(f.amountMin),
    amountMax: f.amountMax === undefined ? '' : String(f.amountMax),
  };
}

/** "01a21c9e…6823": ids are UUIDv7, whose first digits are the time, so the end tells close ones apart. */
export function shortId(id: string | undefined): string {
  return id && id.length > 12 ? `${id.slice(0, 8)}…${id.slice(-4)}` : (id ?? '');
}
