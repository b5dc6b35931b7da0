import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { Empty, ErrorBox, Loading, PageTitle, Time } from '../components/ui';

export function AcquirersPage() {
  const acquirers = useQuery({
    queryKey: ['acquirers'],
    queryFn: () => unwrap(api.GET('/admin-api/acquirers')),
    refetchInterval: 10_000,
  });
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: () => unwrap(api.GET('/admin-api/routing-rules')) });

  return (
    <div>
      <PageTitle>Acquirers</PageTitle>
      <section className="card" aria-labelledby="acq-title">
        <h2 id="acq-title">Acquirers</h2>
        {acquirers.isPending ? (
          <Loading what="Loading acquirers" />
        ) : acquirers.isError ? (
          <ErrorBox error={acquirers.error} retry={() => acquirers.refetch()} />
        ) : (acquirers.data.items ?? []).length === 0 ? (
          <Empty>No acquirer configured.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Takes new payments</th>
                  <th>Circuit (this node)</th>
                  <th>In default route</th>
                  <th>Address</th>
                </tr>
              </thead>
              <tbody>
                {(acquirers.data.items ?? []).map((a) => (
                  <tr key={a.name}>
                    <td>{a.name}</td>
                    <td>
                      <span className={`badge badge-${a.enabled ? 'approved' : 'failed'}`}>
                        {a.enabled ? 'enabled' : 'disabled'}
                      </span>
                    </td>
                    <td>
                      <span className={`badge circuit-${a.circuit_state}`}>{a.circuit_state}</span>
                    </td>
                    <td>{a.in_default_route ? 'yes' : 'no'}</td>
                    <td className="mono ellipsis">{a.base_url ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Routing rules</h2>
        <p className="muted">The first enabled rule (lowest priority number) that matches a payment decides where it goes.</p>
        {rules.isPending ? (
          <Loading what="Loading routing rules" />
        ) : rules.isError ? (
          <ErrorBox error={rules.error} retry={() => rules.refetch()} />
        ) : (rules.data.items ?? []).length === 0 ? (
          <Empty>No routing rule: every payment takes the default route.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th className="right">Priority</th>
                  <th>Name</th>
                  <th>Enabled</th>
                  <th>Matches</th>
                  <th>Targets</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {(rules.data.items ?? []).map((r) => (
                  <tr key={r.rule_id}>
                    <td className="right">{r.priority}</td>
                    <td>{r.name}</td>
                    <td>{r.enabled ? 'yes' : 'no'}</td>
                    <td>{describeMatch(r)}</td>
                    <td>
                      {(r.targets ?? [])
                        .map((t) => (t.weight === undefined || t.weight === null ? `${t.acquirer}` : `${t.acquirer} (${t.weight})`))
                        .join(' → ')}
                    </td>
                    <td>
                      <Time epoch={r.updated_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function describeMatch(r: {
  merchant_id?: string | null;
  currency?: string | null;
  bin_from?: string | null;
  bin_to?: string | null;
  card_country?: string | null;
}): string {
  const parts: string[] = [];
  if (r.merchant_id) parts.push(`merchant ${r.merchant_id.slice(0, 8)}…`);
  if (r.currency) parts.push(r.currency);
  if (r.bin_from || r.bin_to) parts.push(`BIN ${r.bin_from ?? '…'}–${r.bin_to ?? '…'}`);
  if (r.card_country) parts.push(`card country ${r.card_country}`);
  return parts.length === 0 ? 'every payment' : parts.join(', ');
}
