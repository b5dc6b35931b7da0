import type { FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type AuditEntry } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useTypedFields } from '../components/listFilters';
import { Empty, Field, Loaded, PageTitle, Pager, Time } from '../components/ui';

const FILTERS = ['actor', 'action', 'target_type', 'target_id'] as const;
type AuditFilter = (typeof FILTERS)[number];

/** The audit log: who changed what, when, from where, before → after. Filters and the page are in the URL. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const query: Partial<Record<AuditFilter, string>> & { before?: number; limit: number } = { limit: 50 };
  for (const f of FILTERS) {
    const v = params.get(f)?.trim();
    if (v) query[f] = v;
  }
  const before = Number(params.get('before'));
  if (Number.isSafeInteger(before) && before > 0) query.before = before;

  const audit = useQuery({
    queryKey: ['audit', query],
    queryFn: () => unwrap(api.GET('/admin-api/audit-log', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const { text, input } = useTypedFields(params, texts);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (text[f].trim()) next.set(f, text[f].trim());
    setParams(next);
  };
  const older = (nextBefore: number) => {
    const next = new URLSearchParams(params);
    next.set('before', String(nextBefore));
    setParams(next);
  };
  const newest = () => {
    const next = new URLSearchParams(params);
    next.delete('before');
    setParams(next);
  };
  const rows = audit.data?.data ?? [];

  return (
    <div>
      <PageTitle>Audit log</PageTitle>
      <form className="filters" onSubmit={apply} aria-label="Filters">
        <Field label="Actor">
          <input {...input('actor')} placeholder="email or token" />
        </Field>
        <Field label="Action">
          <input {...input('action')} placeholder="refund.create" />
        </Field>
        <Field label="Target type">
          <input {...input('target_type')} placeholder="payment" />
        </Field>
        <Field label="Target id">
          <input {...input('target_id')} />
        </Field>
        <div className="filter-buttons">
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
            Clear
          </button>
        </div>
      </form>
      <Loaded query={audit} what="Loading the audit log">
        {(data) =>
          rows.length === 0 ? (
            <Empty>No entry matches.</Empty>
          ) : (
            <>
              <div className="spaced">
                <DataTable rows={rows} columns={AUDIT_COLUMNS} rowKey={(r) => String(r.audit_id)} />
              </div>
              <Pager
                back={{ label: '← Newest', disabled: query.before === undefined, onClick: newest }}
                forward={{
                  label: 'Older →',
                  disabled: !data.has_more || data.next_before == null,
                  onClick: () => data.next_before != null && older(data.next_before),
                }}
              />
            </>
          )
        }
      </Loaded>
    </div>
  );
}

const AUDIT_COLUMNS: Column<AuditEntry>[] = [
  { header: 'When', cell: (r) => <Time epoch={r.occurred_at ? Math.floor(Date.parse(r.occurred_at) / 1000) : undefined} /> },
  {
    header: 'Who',
    cell: (r) => (
      <>
        {r.actor} <span className="muted">({r.actor_role})</span>
      </>
    ),
  },
  { header: 'Action', cellClassName: 'mono', cell: (r) => r.action },
  {
    header: 'Target',
    cell: (r) =>
      r.target_type === 'payment' && r.target_id ? (
        <Link to={`/payments/${r.target_id}`}>payment {r.target_id.slice(0, 8)}…</Link>
      ) : (
        <>
          {r.target_type} <span className="mono">{r.target_id ?? ''}</span>
        </>
      ),
  },
  { header: 'From', cellClassName: 'mono', cell: (r) => r.source_ip ?? '—' },
  {
    header: 'Change',
    cell: (r) =>
      r.before == null && r.after == null ? (
        '—'
      ) : (
        <details>
          <summary>before → after</summary>
          <pre className="json">{JSON.stringify({ before: r.before ?? null, after: r.after ?? null }, null, 2)}</pre>
        </details>
      ),
  },
];

function texts(params: URLSearchParams): Record<AuditFilter, string> {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    target_type: params.get('target_type') ?? '',
    target_id: params.get('target_id') ?? '',
  };
}
