import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useCan } from '../components/session';
import { Empty, ErrorBox, Loading, PageTitle, StatusBadge, Time } from '../components/ui';

/** One merchant: its standing (suspend / resume for operators), API keys by prefix, webhook endpoints. */
export function MerchantPage() {
  const { merchantId = '' } = useParams();
  const queryClient = useQueryClient();
  const maySuspend = useCan('suspend-merchant');
  const merchant = useQuery({
    queryKey: ['merchant', merchantId],
    queryFn: () => unwrap(api.GET('/admin-api/merchants/{merchantId}', { params: { path: { merchantId } } })),
  });
  const standing = useMutation({
    mutationFn: (suspend: boolean) =>
      unwrap(
        suspend
          ? api.POST('/admin-api/merchants/{merchantId}/suspend', { params: { path: { merchantId } } })
          : api.POST('/admin-api/merchants/{merchantId}/resume', { params: { path: { merchantId } } }),
      ),
    onSuccess: (detail) => {
      queryClient.setQueryData(['merchant', merchantId], detail);
      queryClient.invalidateQueries({ queryKey: ['merchants'] });
    },
  });

  if (merchant.isPending) return <Loading what="Loading the merchant" />;
  if (merchant.isError) return <ErrorBox error={merchant.error} retry={() => merchant.refetch()} />;
  const m = merchant.data;
  const suspended = m.status === 'suspended';

  return (
    <div>
      <p className="crumbs">
        <Link to="/merchants">← Merchants</Link>
      </p>
      <PageTitle
        actions={
          <>
            <Link to={`/payments?merchant_id=${m.id}`}>Its payments</Link>
            {maySuspend && (
              <button
                type="button"
                className={suspended ? '' : 'secondary'}
                disabled={standing.isPending}
                onClick={() => standing.mutate(!suspended)}
              >
                {suspended ? 'Resume' : 'Suspend'}
              </button>
            )}
          </>
        }
      >
        {m.name || '(no name)'} <StatusBadge status={m.status} />
      </PageTitle>
      {standing.isError && <ErrorBox error={standing.error} />}
      {suspended && (
        <p className="warning" role="status">
          Suspended: its API calls are refused with 403 <code>merchant_suspended</code>; its payments keep processing
          and its webhooks keep going.
        </p>
      )}
      <dl className="facts">
        <dt>Merchant id</dt>
        <dd className="mono">{m.id}</dd>
        <dt>Webhook URL</dt>
        <dd>{m.webhook_url}</dd>
        <dt>Created</dt>
        <dd>
          <Time epoch={m.created_at} />
        </dd>
        {m.suspended_at != null && (
          <>
            <dt>Suspended</dt>
            <dd>
              <Time epoch={m.suspended_at} />
            </dd>
          </>
        )}
      </dl>
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        {(m.api_keys ?? []).length === 0 ? (
          <Empty>No API key.</Empty>
        ) : (
          <div className="table-wrap">
            <table data-testid="api-keys">
              <thead>
                <tr>
                  <th>Prefix</th>
                  <th>Status</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Ends</th>
                </tr>
              </thead>
              <tbody>
                {(m.api_keys ?? []).map((k) => (
                  <tr key={k.id}>
                    <td className="mono">{k.prefix}</td>
                    <td>
                      <StatusBadge status={k.status} />
                    </td>
                    <td>
                      <Time epoch={k.created_at} />
                    </td>
                    <td>{k.last_used_at == null ? 'never' : <Time epoch={k.last_used_at} ago />}</td>
                    <td>
                      {k.revoked_at != null ? (
                        <>
                          revoked <Time epoch={k.revoked_at} />
                        </>
                      ) : k.expires_at != null ? (
                        <>
                          expires <Time epoch={k.expires_at} />
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Webhook endpoints</h2>
        {(m.webhook_endpoints ?? []).length === 0 ? (
          <Empty>No webhook endpoint.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>URL</th>
                  <th>State</th>
                  <th>Events</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {(m.webhook_endpoints ?? []).map((e) => (
                  <tr key={e.id}>
                    <td className="ellipsis" title={e.url}>
                      {e.url}
                    </td>
                    <td>
                      {e.enabled ? 'enabled' : `disabled${e.disabled_reason ? ` (${e.disabled_reason})` : ''}`}
                    </td>
                    <td>{(e.event_types ?? []).join(', ') || 'all'}</td>
                    <td>
                      <Time epoch={e.created_at} />
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
