import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap, type ConsoleAttempt, type ConsoleDelivery } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import {
  choicesOf,
  ConfirmButton,
  Empty,
  ErrorBox,
  Field,
  Loaded,
  Loading,
  PageTitle,
  Pager,
  SelectFilter,
  StatusBadge,
  Time,
} from '../components/ui';
import { useUrlList } from '../components/listFilters';
import {
  attemptOutcome,
  canRedeliver,
  DELIVERIES_PAGE_SIZE,
  DELIVERY_FILTERS_IN_URL,
  DELIVERY_STATUSES,
  deliveryState,
  failuresFirst,
  type DeliveryFilters,
} from '../lib/webhooks';
import { merchantChoices, useMerchants } from './PaymentsPage';

/**
 * Webhook deliveries of every merchant, what needs an operator first (dead, then failing, then the rest).
 * Filters, the page and the open delivery are in the URL. Operators redeliver one delivery, or every dead one of
 * an endpoint; viewers only read.
 */
export function WebhooksPage() {
  const mayRedeliver = useCan('redeliver-webhook');
  const merchants = useMerchants();
  const queryClient = useQueryClient();
  const { filters, go, change, list: deliveries } = useUrlList(
    DELIVERY_FILTERS_IN_URL,
    'webhook-deliveries',
    (query) => unwrap(api.GET('/admin-api/webhook-deliveries', { params: { query } })),
    10_000,
  );
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints', filters.merchantId],
    queryFn: () =>
      unwrap(
        api.GET('/admin-api/merchants/{merchantId}/webhook-endpoints', {
          params: { path: { merchantId: filters.merchantId ?? '' } },
        }),
      ),
    enabled: Boolean(filters.merchantId),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(api.POST('/admin-api/webhook-deliveries/{deliveryId}/redeliver', { params: { path: { deliveryId } } })),
    onSuccess: refresh,
  });
  const redeliverDead = useMutation({
    mutationFn: ({ merchantId, endpointId }: { merchantId: string; endpointId: string }) =>
      unwrap(
        api.POST('/admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}/redeliver-dead', {
          params: { path: { merchantId, endpointId } },
        }),
      ),
    onSuccess: refresh,
  });

  const toggle = (id: string) => change({ open: filters.open === id ? undefined : id, page: filters.page });
  const merchantName = (id: string) => merchants.data?.find((m) => m.id === id)?.name || `${id.slice(0, 8)}…`;
  const rows = [...(deliveries.data?.items ?? [])].sort(failuresFirst);
  const selectedEndpoint = (endpoints.data?.data ?? []).find((e) => e.id === filters.endpointId);

  const columns: Column<ConsoleDelivery>[] = [
    { header: 'State', cell: (d) => <StatusBadge status={deliveryState(d)} /> },
    { header: 'Event', className: 'mono', cell: (d) => d.event_type },
    {
      header: 'Merchant',
      cell: (d) => <Link to={`/merchants/${d.merchant_id}`}>{merchantName(d.merchant_id)}</Link>,
    },
    { header: 'Endpoint', className: 'ellipsis narrow', title: (d) => d.url, cell: (d) => d.url },
    {
      header: 'Last answer',
      cell: (d) =>
        d.last_attempt ? (
          <>
            <span className={d.last_attempt.status_code != null && d.last_attempt.status_code < 300 ? '' : 'bad'}>
              {attemptOutcome(d.last_attempt)}
            </span>
            <span className="muted">
              {' '}
              · {d.last_attempt.latency_ms} ms · {d.attempts} {d.attempts === 1 ? 'try' : 'tries'}
            </span>
            {d.status === 'pending' && (
              <span className="muted">
                {' '}
                · next <Time epoch={d.next_attempt_at} />
              </span>
            )}
          </>
        ) : (
          <span className="muted">not tried yet</span>
        ),
    },
    { header: 'Created', cell: (d) => <Time epoch={d.created_at} /> },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (d) => (
        <span className="row-actions">
          <button
            type="button"
            className="secondary small"
            aria-expanded={filters.open === d.id}
            aria-label={`Attempts of delivery ${d.id}`}
            onClick={() => toggle(d.id)}
          >
            {filters.open === d.id ? 'Hide' : 'Attempts'}
          </button>
          {mayRedeliver && canRedeliver(d) && (
            <button
              type="button"
              className="small"
              disabled={redeliver.isPending}
              aria-label={`Redeliver ${d.id}`}
              onClick={() => redeliver.mutate(d.id)}
            >
              Redeliver
            </button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div>
      <PageTitle>Webhooks</PageTitle>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <SelectFilter
          label="State"
          name="status"
          value={filters.status}
          choices={choicesOf(DELIVERY_STATUSES)}
          onChange={(status) => change({ status: status as DeliveryFilters['status'] })}
        />
        <SelectFilter
          label="Merchant"
          name="merchant"
          value={filters.merchantId}
          choices={merchantChoices(merchants.data ?? [])}
          onChange={(merchantId) => change({ merchantId })}
        />
        <Field label="Endpoint">
          <select
            name="endpoint"
            value={filters.endpointId ?? ''}
            disabled={!filters.merchantId}
            onChange={(e) => change({ endpointId: e.target.value || undefined })}
          >
            <option value="">{filters.merchantId ? 'any' : 'choose a merchant first'}</option>
            {filters.endpointId && !selectedEndpoint && <option value={filters.endpointId}>{filters.endpointId}</option>}
            {(endpoints.data?.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.url}
              </option>
            ))}
          </select>
        </Field>
        <div className="filter-buttons">
          <button type="button" className="secondary" onClick={() => go({ page: 1 })}>
            Clear
          </button>
        </div>
      </form>
      {mayRedeliver && filters.merchantId && filters.endpointId && (
        <div className="presets">
          <ConfirmButton
            label="Redeliver all dead"
            question="Send every dead delivery of this endpoint again (and enable it)?"
            confirmLabel="Yes, redeliver"
            disabled={redeliverDead.isPending}
            onConfirm={() =>
              redeliverDead.mutate({ merchantId: filters.merchantId ?? '', endpointId: filters.endpointId ?? '' })
            }
          />
          {redeliverDead.isSuccess && (
            <span className="ok" role="status">
              Queued {String(redeliverDead.data?.queued ?? 0)} dead deliveries again.
            </span>
          )}
        </div>
      )}
      {redeliverDead.isError && <ErrorBox error={redeliverDead.error} />}
      {redeliver.isError && <ErrorBox error={redeliver.error} />}
      {redeliver.isSuccess && (
        <p className="ok" role="status">
          Queued again.
        </p>
      )}
      <Loaded query={deliveries} what="Loading webhook deliveries">
        {() =>
          rows.length === 0 ? (
            <Empty>{filters.page > 1 ? 'No more deliveries.' : 'No webhook delivery matches these filters.'}</Empty>
          ) : (
            <div className="spaced">
              <DataTable
                rows={rows}
                columns={columns}
                testId="deliveries"
                label="Webhook deliveries"
                open={{ key: filters.open, detail: (d) => <Attempts deliveryId={d.id} /> }}
              />
            </div>
          )
        }
      </Loaded>
      <Pager
        back={{ label: '← Previous', disabled: filters.page <= 1, onClick: () => change({ page: filters.page - 1 }) }}
        forward={{
          label: 'Next →',
          disabled: (deliveries.data?.items ?? []).length < DELIVERIES_PAGE_SIZE,
          onClick: () => change({ page: filters.page + 1 }),
        }}
        page={<>Page {filters.page}</>}
      />
    </div>
  );
}

/** Every attempt of one delivery (all rounds), with the first bytes of each answer. */
function Attempts({ deliveryId }: { deliveryId: string }) {
  const detail = useQuery({
    queryKey: ['webhook-delivery', deliveryId],
    queryFn: () =>
      unwrap(api.GET('/admin-api/webhook-deliveries/{deliveryId}', { params: { path: { deliveryId } } })),
  });
  if (detail.isPending) return <Loading what="Loading its attempts" />;
  if (detail.isError) return <ErrorBox error={detail.error} retry={() => detail.refetch()} />;
  const d = detail.data.delivery;
  return (
    <div className="delivery-detail" data-testid="attempts">
      <p className="muted">
        Delivery <span className="mono">{d.id}</span> of event <span className="mono">{d.event_id}</span> to{' '}
        <span className="mono">{d.url}</span>
      </p>
      {detail.data.attempts.length === 0 ? (
        <Empty>Not tried yet.</Empty>
      ) : (
        <ol className="attempt-list">
          {detail.data.attempts.map((a: ConsoleAttempt, i: number) => (
            <li key={i} data-testid="attempt">
              <Time epoch={a.at} /> ·{' '}
              <strong className={a.status_code != null && a.status_code < 300 ? '' : 'bad'}>{attemptOutcome(a)}</strong> ·{' '}
              {a.latency_ms} ms
              {a.response_excerpt != null && a.response_excerpt !== '' && (
                <pre className="json excerpt" aria-label="First bytes of the answer">
                  {a.response_excerpt}
                </pre>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
