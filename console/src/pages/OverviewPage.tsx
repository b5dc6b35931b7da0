import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap, type AcquirerView, type Stats } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { EnabledBadge, ErrorBox, Loading, PageTitle } from '../components/ui';
import { POLL_MS, useOverview } from '../components/useOverview';
import { STATUSES } from '../lib/filters';
import { addSample, fillMinutes, formatAge, formatCount, formatMs, formatRate, type MinuteRow } from '../lib/overview';

/** The window of the per-minute charts, in minutes. */
export const WINDOW_MINUTES = 60;
const KEEP_SAMPLES = 120;

const REFUND_STATUSES = ['requested', 'succeeded', 'failed'] as const;

const COLOURS: Record<string, string> = {
  new: '#64748b',
  processing: '#d97706',
  approved: '#15803d',
  declined: '#b91c1c',
  failed: '#7f1d1d',
  requested: '#d97706',
  succeeded: '#15803d',
};

interface Sample {
  at: number;
  pending: number;
  oldestAge: number;
  p99: number | null;
}

/** The width a chart gets: its container's, measured once and on resize (no zero-size first render). */
function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => observer.disconnect();
  }, [el]);
  return [setEl, width];
}

/** "14:05" in the browser's zone. */
function hhmm(epochSeconds: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(epochSeconds * 1000),
  );
}

/** A card with a chart that gets its container's width. */
function ChartCard({ title, testId, children }: { title: string; testId?: string; children: (width: number) => ReactNode }) {
  const [ref, width] = useWidth();
  return (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      <div ref={ref} className="chart">
        {width > 0 && children(width)}
      </div>
    </section>
  );
}

export function OverviewPage() {
  const stats = useQuery({
    queryKey: ['stats'],
    queryFn: () => unwrap<Stats>(api.GET('/admin-api/stats')),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const overview = useOverview(WINDOW_MINUTES);
  const refunds = useQuery({
    queryKey: ['overview', 'refunds'],
    queryFn: () => unwrap(api.GET('/admin-api/refunds', { params: { query: { limit: '1' } } })),
    refetchInterval: POLL_MS,
  });
  const acquirers = useQuery({
    queryKey: ['acquirers'],
    queryFn: () => unwrap(api.GET('/admin-api/acquirers')),
    refetchInterval: POLL_MS * 2,
  });
  const [samples, setSamples] = useState<Sample[]>([]);

  useEffect(() => {
    const o = overview.data;
    if (!o) return;
    setSamples((old) =>
      addSample(
        old,
        {
          at: o.to,
          pending: o.webhooks.pending,
          oldestAge: o.webhooks.oldest_pending_age_seconds ?? 0,
          p99: o.intake.latency_p99_ms ?? null,
        },
        KEEP_SAMPLES,
      ),
    );
  }, [overview.data]);

  if (stats.isPending) return <Loading what="Loading the overview" />;
  if (stats.isError) return <ErrorBox error={stats.error} retry={() => stats.refetch()} />;

  const counts = stats.data.counts_by_status ?? {};
  const byStatus = STATUSES.map((s) => ({ status: s, count: counts[s] ?? 0 }));
  const decided = (counts.approved ?? 0) + (counts.declined ?? 0) + (counts.failed ?? 0);
  const approvalRate = decided === 0 ? undefined : (counts.approved ?? 0) / decided;
  const o = overview.data;
  const paymentMinutes = o ? fillMinutes(o.payments_per_minute, o.from, o.to, STATUSES) : [];
  const refundMinutes = o ? fillMinutes(o.refunds_per_minute, o.from, o.to, REFUND_STATUSES) : [];
  const acquirerRates = (o?.acquirers ?? []).map((a) => ({
    acquirer: a.acquirer,
    rate: a.approval_rate == null ? 0 : Math.round(a.approval_rate * 1000) / 10,
  }));
  const statsOf = (name: string) => o?.acquirers.find((x) => x.acquirer === name);
  const acquirerColumns: Column<AcquirerView>[] = [
    { header: 'Acquirer', cell: (a) => <Link to="/acquirers">{a.name}</Link> },
    {
      header: 'State',
      cell: (a) => (
        <>
          <EnabledBadge enabled={a.enabled} />{' '}
          <span className={`badge circuit-${a.circuit_state}`}>circuit {a.circuit_state}</span>
        </>
      ),
    },
    { header: 'Attempts', className: 'right', cellClassName: 'num', cell: (a) => statsOf(a.name)?.attempts.toLocaleString() ?? '0' },
    { header: 'Approval rate', className: 'right', cellClassName: 'num', cell: (a) => formatRate(statsOf(a.name)?.approval_rate) },
    { header: 'Latency p50', className: 'right', cellClassName: 'num', cell: (a) => formatMs(statsOf(a.name)?.latency_p50_ms) },
    { header: 'Latency p99', className: 'right', cellClassName: 'num', cell: (a) => formatMs(statsOf(a.name)?.latency_p99_ms) },
  ];
  const sampleRows = samples.map((s) => ({
    time: hhmm(s.at),
    pending: s.pending,
    oldest: s.oldestAge,
    p99: s.p99 == null ? null : Math.round(s.p99 * 10) / 10,
  }));

  return (
    <div>
      <PageTitle
        actions={
          <span className="muted" aria-live="off">
            refreshes every {POLL_MS / 1000} s
          </span>
        }
      >
        Overview
      </PageTitle>
      <section className="tiles" aria-label="Totals">
        <div className="tile">
          <span className="label">Payments</span>
          <strong
            data-testid="payments-total"
            title={stats.data.estimated ? 'Estimated: a status with over 10,000 payments is not counted one by one' : undefined}
          >
            {stats.data.estimated ? '≈ ' : ''}
            {(stats.data.payments_total ?? 0).toLocaleString()}
          </strong>
        </div>
        <div className="tile">
          <span className="label">Merchants</span>
          <strong>{(stats.data.merchants_total ?? 0).toLocaleString()}</strong>
        </div>
        <div className="tile">
          <span className="label">Approval rate (decided)</span>
          <strong>{approvalRate === undefined ? '—' : `${(approvalRate * 100).toFixed(1)} %`}</strong>
        </div>
        <div className="tile">
          <span className="label">Refunds</span>
          <strong>{refunds.data?.total === undefined ? '—' : refunds.data.total.toLocaleString()}</strong>
        </div>
        <div className="tile" title="99th percentile of POST /v1/payments over about the last 2 minutes, on this node">
          <span className="label">Intake p99</span>
          <strong data-testid="intake-p99">{o ? formatMs(o.intake.latency_p99_ms) : '—'}</strong>
        </div>
        <div className="tile" title="Webhook deliveries pending to enabled endpoints">
          <span className="label">Webhook backlog</span>
          <strong data-testid="webhook-backlog">{o ? formatCount(o.webhooks.pending, o.webhooks.pending_is_capped) : '—'}</strong>
        </div>
        <div className="tile" title="Age of the oldest pending webhook delivery">
          <span className="label">Oldest pending</span>
          <strong data-testid="oldest-pending">{o ? formatAge(o.webhooks.oldest_pending_age_seconds) : '—'}</strong>
        </div>
        {STATUSES.map((s) => (
          <Link key={s} className="tile" to={`/payments?status=${s}`}>
            <span className="label">{s}</span>
            <strong>{(counts[s] ?? 0).toLocaleString()}</strong>
          </Link>
        ))}
      </section>
      {overview.isError && <ErrorBox error={overview.error} retry={() => overview.refetch()} />}
      <div className="charts">
        <ChartCard title={`Payments per minute by status (last ${WINDOW_MINUTES} min)`} testId="chart-payments-per-minute">
          {(width) => <PerMinuteChart width={width} data={paymentMinutes} statuses={STATUSES} />}
        </ChartCard>
        <ChartCard title={`Approval rate by acquirer (last ${WINDOW_MINUTES} min)`} testId="chart-approval-by-acquirer">
          {(width) =>
            acquirerRates.length === 0 ? (
              <p className="state">No acquirer attempt in this window.</p>
            ) : (
              <BarChart width={width} height={240} data={acquirerRates} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="acquirer" />
                <YAxis domain={[0, 100]} unit=" %" width={64} />
                <Tooltip formatter={(v) => `${v} %`} />
                <Bar dataKey="rate" name="approval rate" fill={COLOURS.approved} isAnimationActive={false} />
              </BarChart>
            )
          }
        </ChartCard>
        <ChartCard title={`Refunds per minute (last ${WINDOW_MINUTES} min)`} testId="chart-refunds-per-minute">
          {(width) => <PerMinuteChart width={width} data={refundMinutes} statuses={REFUND_STATUSES} />}
        </ChartCard>
        <ChartCard title="Webhook backlog and oldest pending (since this page opened)" testId="chart-webhook-backlog">
          {(width) => (
            <SampleChart width={width} rows={sampleRows}>
              <YAxis yAxisId="n" allowDecimals={false} width={56} />
              <YAxis yAxisId="s" orientation="right" unit=" s" width={64} />
              <Legend />
              <Line yAxisId="n" dataKey="pending" name="pending deliveries" stroke="#1d4ed8" dot={false} isAnimationActive={false} />
              <Line yAxisId="s" dataKey="oldest" name="oldest pending (s)" stroke={COLOURS.processing} dot={false} isAnimationActive={false} />
            </SampleChart>
          )}
        </ChartCard>
        <ChartCard title="Intake p99 latency, ms (since this page opened)" testId="chart-intake-p99">
          {(width) => (
            <SampleChart width={width} rows={sampleRows}>
              <YAxis width={56} unit=" ms" />
              <Line dataKey="p99" name="p99 (ms)" stroke="#7c3aed" dot={false} connectNulls isAnimationActive={false} />
            </SampleChart>
          )}
        </ChartCard>
        <ChartCard title="Payments by status (all time)">
          {(width) => (
            <BarChart width={width} height={240} data={byStatus} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="status" />
              <YAxis allowDecimals={false} width={56} />
              <Tooltip />
              <Bar dataKey="count" name="payments" isAnimationActive={false} fill="#1d4ed8" />
            </BarChart>
          )}
        </ChartCard>
      </div>
      <section className="card" aria-labelledby="acq-health">
        <h2 id="acq-health">Acquirers (last {WINDOW_MINUTES} min)</h2>
        {acquirers.isError ? (
          <ErrorBox error={acquirers.error} retry={() => acquirers.refetch()} />
        ) : (
          <DataTable rows={acquirers.data?.items ?? []} columns={acquirerColumns} rowKey={(a) => a.name} testId="acquirer-stats" />
        )}
      </section>
    </div>
  );
}

/** A line chart over the samples this page took since it opened (one per poll); a note until there are two. */
function SampleChart({ width, rows, children }: { width: number; rows: object[]; children: ReactNode }) {
  if (rows.length < 2) return <p className="state">Collecting samples…</p>;
  return (
    <LineChart width={width} height={240} data={rows} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="time" minTickGap={24} />
      <Tooltip />
      {children}
    </LineChart>
  );
}

/** Counts per minute, one stacked bar per minute with a colour per status (payments, refunds). */
function PerMinuteChart({ width, data, statuses }: { width: number; data: MinuteRow[]; statuses: readonly string[] }) {
  return (
    <BarChart width={width} height={240} data={data} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="minute" tickFormatter={hhmm} minTickGap={24} />
      <YAxis allowDecimals={false} width={56} />
      <Tooltip labelFormatter={(m) => hhmm(Number(m))} />
      <Legend />
      {statuses.map((s) => (
        <Bar key={s} dataKey={s} stackId="counts" fill={COLOURS[s]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
