import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap, type AdminRefund } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import { Timeline } from '../components/Timeline';
import { Empty, ErrorBox, Field, Loaded, Loading, Money, PageTitle, StatusBadge, Time } from '../components/ui';
import { minorToInput, parseMoney } from '../lib/money';

export function PaymentPage() {
  const { paymentId = '' } = useParams();
  const payment = useQuery({
    queryKey: ['payment', paymentId],
    queryFn: () => unwrap(api.GET('/admin-api/payments/{paymentId}', { params: { path: { paymentId } } })),
    // A payment still in flight settles within seconds: look again until it is final.
    refetchInterval: (q) => (q.state.data?.status === 'processing' || q.state.data?.status === 'new' ? 2_000 : false),
  });
  const refunds = useQuery({
    queryKey: ['payment', paymentId, 'refunds'],
    queryFn: () => unwrap(api.GET('/admin-api/payments/{paymentId}/refunds', { params: { path: { paymentId } } })),
    refetchInterval: (q) => ((q.state.data?.items ?? []).some((r) => r.status === 'requested') ? 2_000 : false),
  });
  const timeline = useQuery({
    queryKey: ['payment', paymentId, 'timeline'],
    queryFn: () => unwrap(api.GET('/admin-api/payments/{paymentId}/timeline', { params: { path: { paymentId } } })),
    // Until the payment is final and its webhook settled, the story is still being written (a merchant without a
    // webhook endpoint gets no delivery: after a minute the page stops waiting for one).
    refetchInterval: (q) => (storySettled(q.state.data?.entries ?? [], Date.now()) ? false : 3_000),
  });
  const mayRefund = useCan('refund');
  const mayResend = useCan('resend-webhook');

  if (payment.isPending) return <Loading what="Loading the payment" />;
  if (payment.isError) return <ErrorBox error={payment.error} retry={() => payment.refetch()} />;
  const p = payment.data;
  const refundItems = refunds.data?.items ?? [];
  const taken = refundItems
    .filter((r) => r.status === 'succeeded' || r.status === 'requested')
    .reduce((sum, r) => sum + (r.amount ?? 0), 0);
  const left = Math.max(0, (p.amount ?? 0) - taken);

  return (
    <div>
      <p className="crumbs">
        <Link to="/payments">← Payments</Link>
      </p>
      <PageTitle actions={mayResend && <ResendWebhook paymentId={paymentId} />}>
        <Money minor={p.amount} currency={p.currency} /> <StatusBadge status={p.status} />
      </PageTitle>
      <dl className="facts">
        <dt>Payment</dt>
        <dd className="mono" data-testid="payment-id">
          {p.payment_id}
        </dd>
        <dt>Merchant</dt>
        <dd className="mono">
          <Link to={`/payments?merchant_id=${p.merchant_id}`}>{p.merchant_id}</Link>
        </dd>
        <dt>Order</dt>
        <dd>{p.order_id}</dd>
        <dt>Idempotency key</dt>
        <dd className="mono">{p.idempotency_key ?? '—'}</dd>
        <dt>Description</dt>
        <dd>{p.description ?? '—'}</dd>
        <dt>Card</dt>
        <dd>{p.card_last4 ? `•••• ${p.card_last4}` : '—'}</dd>
        <dt>Acquirer</dt>
        <dd>{p.acquirer ?? '—'}</dd>
        <dt>Decline code</dt>
        <dd>{p.decline_code ?? '—'}</dd>
        <dt>Created</dt>
        <dd>
          <Time epoch={p.created_at} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time epoch={p.updated_at} />
        </dd>
        <dt>Webhook URL</dt>
        <dd className="ellipsis">{p.merchant_webhook_url ?? '—'}</dd>
      </dl>

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Loaded query={timeline} what="Loading the timeline">
          {(data) => <Timeline entries={data.entries ?? []} />}
        </Loaded>
      </section>

      <section className="card" aria-labelledby="refunds-title">
        <h2 id="refunds-title">Refunds</h2>
        <Loaded query={refunds} what="Loading refunds">
          {() =>
            refundItems.length === 0 ? (
              <Empty>No refund.</Empty>
            ) : (
              <DataTable rows={refundItems} columns={REFUND_COLUMNS} rowKey={(r) => r.refund_id} testId="refunds" />
            )
          }
        </Loaded>
        {mayRefund && p.status === 'approved' && left > 0 && (
          <RefundForm key={left} paymentId={paymentId} currency={p.currency ?? "XXX"} left={left} />
        )}
        {mayRefund && p.status === 'approved' && left === 0 && <p className="muted">Refunded in full.</p>}
      </section>
    </div>
  );
}

const REFUND_COLUMNS: Column<AdminRefund>[] = [
  { header: 'Refund', cellClassName: 'mono', cell: (r) => <>{r.refund_id?.slice(0, 8)}…</> },
  { header: 'Amount', className: 'right', cell: (r) => <Money minor={r.amount} currency={r.currency} /> },
  { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
  { header: 'Reason', cell: (r) => r.reason ?? '—' },
  { header: 'At', cell: (r) => <Time epoch={r.created_at} /> },
];

function RefundForm({ paymentId, currency, left }: { paymentId: string; currency: string; left: number }) {
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState(() => minorToInput(left, currency));
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const refund = useMutation({
    mutationFn: (minor: number) =>
      unwrap(
        api.POST('/admin-api/payments/{paymentId}/refunds', {
          params: { path: { paymentId } },
          body: { amount: minor, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['payment', paymentId] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseMoney(amount, currency);
    if ('error' in parsed) {
      setInvalid(parsed.error);
      return;
    }
    if (parsed.minor > left) {
      setInvalid(`At most ${minorToInput(left, currency)} ${currency} is left to refund`);
      return;
    }
    setInvalid(null);
    refund.mutate(parsed.minor);
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Refund">
      <Field label={`Refund amount (${currency})`} hint={`up to ${minorToInput(left, currency)}`}>
        <input
          name="refund-amount"
          inputMode="decimal"
          value={amount}
          aria-invalid={invalid !== null}
          onChange={(e) => setAmount(e.target.value)}
        />
      </Field>
      <Field label="Reason (optional)">
        <input name="refund-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" disabled={refund.isPending}>
        {refund.isPending ? 'Refunding…' : 'Refund'}
      </button>
      {invalid && (
        <p className="error" role="alert">
          {invalid}
        </p>
      )}
      {refund.isError && <ErrorBox error={refund.error} />}
      {refund.isSuccess && (
        <p className="ok" role="status">
          Refund {refund.data.status}.
        </p>
      )}
    </form>
  );
}

function ResendWebhook({ paymentId }: { paymentId: string }) {
  const resend = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/admin-api/payments/{paymentId}/resend-webhook', { params: { path: { paymentId } } })),
  });
  return (
    <div className="resend">
      <button type="button" className="secondary" disabled={resend.isPending} onClick={() => resend.mutate()}>
        Resend webhook
      </button>
      {resend.isSuccess && (
        <span className="ok" role="status">
          Queued.
        </span>
      )}
      {resend.isError && <ErrorBox error={resend.error} />}
    </div>
  );
}

/** Whether a timeline will not change by itself any more: final, and its webhook deliveries out of pending. */
export function storySettled(entries: { type: string; at?: string | null; status?: string | null }[], nowMs: number) {
  const final = entries.find((e) => e.type === 'payment_final');
  if (!final) return false;
  const deliveries = entries.filter((e) => e.type === 'webhook_delivery');
  if (deliveries.some((d) => d.status === 'pending')) return false;
  if (deliveries.length > 0) return true;
  const finalAt = final.at ? Date.parse(final.at) : NaN;
  return !Number.isNaN(finalAt) && nowMs - finalAt > 60_000;
}
