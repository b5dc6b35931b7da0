import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, ErrorBox, Field, Loading, PageTitle, Time } from '../components/ui';

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
  const [text, setText] = useState<Record<AuditFilter, string>>(() => texts(params));
  useEffect(() => setText(texts(params)), [params]);

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
          <input value={text.actor} placeholder="email or token" onChange={(e) => setText({ ...text, actor: e.target.value })} />
        </Field>
        <Field label="Action">
          <input value={text.action} placeholder="refund.create" onChange={(e) => setText({ ...text, action: e.target.value })} />
        </Field>
        <Field label="Target type">
          <input value={text.target_type} placeholder="payment" onChange={(e) => setText({ ...text, target_type: e.target.value })} />
        </Field>
        <Field label="Target id">
          <input value={text.target_id} onChange={(e) => setText({ ...text, target_id: e.target.value })} />
        </Field>
        <div className="filter-buttons">
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
            Clear
          </button>
        </div>
      </form>
      {audit.isPending ? (
        <Loading what="Loading the audit log" />
      ) : audit.isError ? (
        <ErrorBox error={audit.error} retry={() => audit.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>No entry matches.</Empty>
      ) : (
        <>
          <div className="table-wrap spaced">
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>From</th>
                  <th>Change</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.audit_id}>
                    <td>
                      <Time epoch={r.occurred_at ? Math.floor(Date.parse(r.occurred_at) / 1000) : undefined} />
                    </td>
                    <td>
                      {r.actor} <span className="muted">({r.actor_role})</span>
                    </td>
                    <td className="mono">{r.action}</td>
                    <td>
                      {r.target_type === 'payment' && r.target_id ? (
                        <Link to={`/payments/${r.target_id}`}>payment {r.target_id.slice(0, 8)}…</Link>
                      ) : (
                        <>
                          {r.target_type} <span className="mono">{r.target_id ?? ''}</span>
                        </>
                      )}
                    </td>
                    <td className="mono">{r.source_ip ?? '—'}</td>
                    <td>
                      {r.before == null && r.after == null ? (
                        '—'
                      ) : (
                        <details>
                          <summary>before → after</summary>
                          <pre className="json">{JSON.stringify({ before: r.before ?? null, after: r.after ?? null }, null, 2)}</pre>
                        </details>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <button type="button" className="secondary" disabled={query.before === undefined} onClick={newest}>
              ← Newest
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!audit.data.has_more || audit.data.next_before == null}
              onClick={() => audit.data.next_before != null && older(audit.data.next_before)}
            >
              Older →
            </button>
          </nav>
        </>
      )}
    </div>
  );
}

function texts(params: URLSearchParams): Record<AuditFilter, string> {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    target_type: params.get('target_type') ?? '',
    target_id: params.get('target_id') ?? '',
  };
}
