import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap, type Stats } from '../api/client';
import { ErrorBox, Loading, PageTitle } from '../components/ui';
import { STATUSES } from '../lib/filters';
import { formatLocal } from '../lib/time';

/** How often the overview asks for fresh counts (short polling; the counts are one cheap query). */
export const POLL_MS = 5_000;
const KEEP_SAMPLES = 60;

interface Sample {
  at: number;
  total: number;
}

const STATUS_COLOURS: Record<string, string> = {
  new: '#64748b',
  processing: '#d97706',
  approved: '#15803d',
  declined: '#b91c1c',
  failed: '#7f1d1d',
};

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

export function OverviewPage() {
  const stats = useQuery({
    queryKey: ['stats'],
    queryFn: () => unwrap<Stats>(api.GET('/admin-api/stats')),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
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
  const [barRef, barWidth] = useWidth();
  const [lineRef, lineWidth] = useWidth();

  useEffect(() => {
    if (stats.data?.payments_total === undefined) return;
    const total = stats.data.payments_total;
    setSamples((old) => [...old, { at: stats.dataUpdatedAt, total }].slice(-KEEP_SAMPLES));
  }, [stats.data, stats.dataUpdatedAt]);

  if (stats.isPending) return <Loading what="Loading the overview" />;
  if (stats.isError) return <ErrorBox error={stats.error} retry={() => stats.refetch()} />;

  const counts = stats.data.counts_by_status ?? {};
  const byStatus = STATUSES.map((s) => ({ status: s, count: counts[s] ?? 0 }));
  const decided = (counts.approved ?? 0) + (counts.declined ?? 0) + (counts.failed ?? 0);
  const approvalRate = decided === 0 ? undefined : (counts.approved ?? 0) / decided;
  const perInterval = samples.slice(1).map((s, i) => ({
    time: formatLocal(s.at / 1000).slice(-8),
    payments: Math.max(0, s.total - (samples[i]?.total ?? s.total)),
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
          <strong data-testid="payments-total">{(stats.data.payments_total ?? 0).toLocaleString()}</strong>
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
        {STATUSES.map((s) => (
          <Link key={s} className="tile" to={`/payments?status=${s}`}>
            <span className="label">{s}</span>
            <strong>{(counts[s] ?? 0).toLocaleString()}</strong>
          </Link>
        ))}
      </section>
      <div className="charts">
        <section className="card">
          <h2>Payments by status</h2>
          <div ref={barRef} className="chart">
            {barWidth > 0 && (
              <BarChart width={barWidth} height={240} data={byStatus} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="status" />
                <YAxis allowDecimals={false} width={56} />
                <Tooltip />
                <Bar dataKey="count" name="payments" isAnimationActive={false} fill="#1d4ed8" />
              </BarChart>
            )}
          </div>
          <table className="visually-hidden">
            <caption>Payments by status</caption>
            <tbody>
              {byStatus.map((r) => (
                <tr key={r.status}>
                  <th>{r.status}</th>
                  <td>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>New payments per {POLL_MS / 1000} s (since this page opened)</h2>
          <div ref={lineRef} className="chart">
            {perInterval.length < 2 ? (
              <p className="state">Collecting samples…</p>
            ) : (
              lineWidth > 0 && (
                <LineChart width={lineWidth} height={240} data={perInterval} accessibilityLayer>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="time" minTickGap={24} />
                  <YAxis allowDecimals={false} width={56} />
                  <Tooltip />
                  <Line
                    type="monotone"
                    dataKey="payments"
                    stroke={STATUS_COLOURS.approved}
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              )
            )}
          </div>
        </section>
      </div>
      <section className="card" aria-labelledby="acq-health">
        <h2 id="acq-health">Acquirers</h2>
        {acquirers.isError ? (
          <ErrorBox error={acquirers.error} retry={() => acquirers.refetch()} />
        ) : (
          <ul className="acquirer-health">
            {(acquirers.data?.items ?? []).map((a) => (
              <li key={a.name}>
                <Link to="/acquirers">{a.name}</Link>{' '}
                <span className={`badge badge-${a.enabled ? 'approved' : 'failed'}`}>{a.enabled ? 'enabled' : 'disabled'}</span>{' '}
                <span className={`badge circuit-${a.circuit_state}`}>circuit {a.circuit_state}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
