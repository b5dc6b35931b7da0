import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap, type AdminPayment, type ListedMerchant } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { choicesOf, Empty, Field, Loaded, Money, PageTitle, Pager, SelectFilter, StatusBadge, Time, type Choice } from '../components/ui';
import { useTypedFields, useUrlList } from '../components/listFilters';
import {
  filtersFromSearch,
  PAGE_SIZES,
  PAYMENT_FILTERS_IN_URL,
  PRESETS,
  STATUSES,
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
  const merchants = useMerchants();
  const { filters, go, change, list: payments } = useUrlList(PAYMENT_FILTERS_IN_URL, 'payments', (query) =>
    unwrap(api.GET('/admin-api/payments', { params: { query } })),
  );

  const sortBy = (sort: Sort) =>
    change({ sort, order: filters.sort === sort && filters.order === 'desc' ? 'asc' : 'desc' });
  /** A column the list can be sorted by: its header is a button that sorts (again: the other way), with an arrow. */
  const sortable = (sort: Sort, label: string) => ({
    sort: filters.sort === sort ? (filters.order === 'asc' ? 'ascending' : 'descending') : 'none',
    header: (
      <button type="button" className="sort" onClick={() => sortBy(sort)}>
        {label} {filters.sort === sort ? (filters.order === 'asc' ? '▲' : '▼') : ''}
      </button>
    ),
  } as const);

  const total = payments.data?.total ?? 0;
  const first = total === 0 ? 0 : (filters.page - 1) * filters.limit + 1;
  const last = Math.min(total, filters.page * filters.limit);
  const pages = Math.max(1, Math.ceil(total / filters.limit));
  const merchantName = (id: string | undefined) => merchants.data?.find((m) => m.id === id)?.name || id?.slice(0, 8);

  const columns: Column<AdminPayment>[] = [
    { ...sortable('created_at', 'Created'), cell: (p) => <Time epoch={p.created_at} /> },
    {
      header: 'Payment',
      cell: (p) => (
        <Link to={`/payments/${p.payment_id}`} className="mono" title={p.payment_id} aria-label={`Payment ${p.payment_id}`}>
          {shortId(p.payment_id)}
        </Link>
      ),
    },
    { header: 'Merchant', cell: (p) => merchantName(p.merchant_id) },
    { header: 'Order', cellClassName: 'ellipsis', title: (p) => p.order_id, cell: (p) => p.order_id },
    { ...sortable('amount', 'Amount'), className: 'right', cell: (p) => <Money minor={p.amount} currency={p.currency} /> },
    { header: 'Status', cell: (p) => <StatusBadge status={p.status} /> },
    { header: 'Acquirer', cell: (p) => p.acquirer ?? '—' },
  ];

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
      <Loaded query={payments} what="Loading payments">
        {(data) =>
          (data.items ?? []).length === 0 ? (
            <Empty>No payment matches these filters.</Empty>
          ) : (
            <>
              <p className="muted" aria-live="polite">
                {first}–{last} of {total.toLocaleString()}
                {payments.isFetching && ' · refreshing…'}
              </p>
              <DataTable rows={data.items ?? []} columns={columns} rowKey={(p) => p.payment_id} className="payments" />
              <Pager
                back={{ label: '← Newer', disabled: filters.page <= 1, onClick: () => change({ page: filters.page - 1 }) }}
                forward={{ label: 'Older →', disabled: filters.page >= pages, onClick: () => change({ page: filters.page + 1 }) }}
                page={<>Page {filters.page} of {pages.toLocaleString()}</>}
              >
                <label className="inline">
                  Per page{' '}
                  <select value={filters.limit} onChange={(e) => change({ limit: Number(e.target.value) })}>
                    {PAGE_SIZES.map((n) => (
                      <option key={n}>{n}</option>
                    ))}
                  </select>
                </label>
              </Pager>
            </>
          )
        }
      </Loaded>
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
  const { text, input } = useTypedFields(filters, textFields);

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
        <input type="search" {...input('q')} placeholder="id, order id or idempotency key" />
      </Field>
      <SelectFilter
        label="Status"
        value={filters.status}
        choices={choicesOf(STATUSES)}
        onChange={(status) => onChange({ status: status as PaymentFilters['status'] })}
      />
      <Field label="Currency">
        <input {...input('currency')} maxLength={3} size={4} placeholder="EUR" />
      </Field>
      <Field label="Amount from" hint="minor units">
        <input inputMode="numeric" {...input('amountMin')} size={8} />
      </Field>
      <Field label="Amount to" hint="minor units">
        <input inputMode="numeric" {...input('amountMax')} size={8} />
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
