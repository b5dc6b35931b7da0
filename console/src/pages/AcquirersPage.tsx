import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type AcquirerView, type RuleView } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
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
          <DataTable rows={acquirers.data.items ?? []} columns={ACQUIRER_COLUMNS} rowKey={(a) => a.name} label="Acquirers" />
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
          <DataTable rows={rules.data.items ?? []} columns={RULE_COLUMNS} rowKey={(r) => r.rule_id} label="Routing rules" />
        )}
      </section>
    </div>
  );
}

const ACQUIRER_COLUMNS: Column<AcquirerView>[] = [
  { header: 'Name', cell: (a) => a.name },
  {
    header: 'Takes new payments',
    cell: (a) => (
      <span className={`badge badge-${a.enabled ? 'approved' : 'failed'}`}>{a.enabled ? 'enabled' : 'disabled'}</span>
    ),
  },
  { header: 'Circuit (this node)', cell: (a) => <span className={`badge circuit-${a.circuit_state}`}>{a.circuit_state}</span> },
  { header: 'In default route', cell: (a) => (a.in_default_route ? 'yes' : 'no') },
  { header: 'Address', className: 'mono ellipsis', cell: (a) => a.base_url ?? '—' },
];

const RULE_COLUMNS: Column<RuleView>[] = [
  { header: 'Priority', className: 'right', cell: (r) => r.priority },
  { header: 'Name', cell: (r) => r.name },
  { header: 'Enabled', cell: (r) => (r.enabled ? 'yes' : 'no') },
  { header: 'Matches', cell: (r) => describeMatch(r) },
  {
    header: 'Targets',
    cell: (r) =>
      (r.targets ?? [])
        .map((t) => (t.weight === undefined || t.weight === null ? `${t.acquirer}` : `${t.acquirer} (${t.weight})`))
        .join(' → '),
  },
  { header: 'Updated', cell: (r) => <Time epoch={r.updated_at} /> },
];

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
