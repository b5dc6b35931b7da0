import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap, type ApiKey, type Schemas } from '../api/client';
import { useOverview } from '../components/useOverview';
import { activity, formatCount, formatRate } from '../lib/overview';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import {
  ConfirmButton,
  Empty,
  ErrorBox,
  Field,
  FormButtons,
  Loading,
  PageTitle,
  SecretOnce,
  StatusBadge,
  Time,
} from '../components/ui';

type Endpoint = Schemas['EndpointView'];

/** What the page shows once after a change that made a secret (a key, an endpoint's signing secret). */
interface Shown {
  title: string;
  warning: ReactNode;
  secrets: { label: string; value: string; testId: string }[];
}

/** What the merchant's API keys and webhook endpoints sections each get besides their rows. */
interface SectionProps {
  merchantId: string;
  /** whether the operator may change them (else the section only shows them) */
  mayEdit: boolean;
  /** after a change: reads the merchant again */
  onChanged: () => void;
  /** shows a new secret once */
  show: (s: Shown) => void;
}

const KEY_WARNING =
  'This is the only time the full API key is shown: Payrail keeps only a hash of it. Store it in the merchant’s configuration before leaving this page.';
const SECRET_WARNING =
  'This is the only time the full signing secret is shown. Store it in the merchant’s webhook receiver before leaving this page.';

/**
 * One merchant: its standing (suspend / resume for operators), API keys (admins: create, rotate, revoke) and
 * webhook endpoints (admins: add, change URL, enable or disable, delete, rotate the signing secret). A new key or
 * secret is shown once, with a copy button and a warning.
 */
export function MerchantPage() {
  const { merchantId = '' } = useParams();
  const queryClient = useQueryClient();
  const maySuspend = useCan('suspend-merchant');
  const mayManageKeys = useCan('manage-api-keys');
  const mayEditEndpoints = useCan('edit-webhook-endpoints');
  const [shown, setShown] = useState<Shown | null>(null);
  const merchant = useQuery({
    queryKey: ['merchant', merchantId],
    queryFn: () => unwrap(api.GET('/admin-api/merchants/{merchantId}', { params: { path: { merchantId } } })),
  });
  const reload = () => {
    queryClient.invalidateQueries({ queryKey: ['merchant', merchantId] });
    queryClient.invalidateQueries({ queryKey: ['webhook-endpoints', merchantId] });
  };
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
            <Link to={`/webhooks?merchant_id=${m.id}`}>Its webhooks</Link>
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
      {shown && <SecretOnce {...shown} onDone={() => setShown(null)} />}
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
      <Activity merchantId={m.id} />
      <ApiKeys merchantId={m.id} keys={m.api_keys ?? []} mayEdit={mayManageKeys} onChanged={reload} show={setShown} />
      <Endpoints
        merchantId={m.id}
        endpoints={m.webhook_endpoints ?? []}
        mayEdit={mayEditEndpoints}
        onChanged={reload}
        show={setShown}
      />
    </div>
  );
}

function ApiKeys({ merchantId, keys, mayEdit, onChanged, show }: SectionProps & { keys: ApiKey[] }) {
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/admin-api/merchants/{merchantId}/api-keys', { params: { path: { merchantId } } })),
    onSuccess: (issued) => {
      onChanged();
      show({
        title: 'New API key: copy it now',
        warning: KEY_WARNING,
        secrets: [{ label: 'API key', value: issued.api_key, testId: 'new-api-key' }],
      });
    },
  });
  const rotate = useMutation({
    mutationFn: (keyId: string) =>
      unwrap(
        api.POST('/admin-api/merchants/{merchantId}/api-keys/{keyId}/rotate', { params: { path: { merchantId, keyId } } }),
      ),
    onSuccess: (rotation) => {
      onChanged();
      show({
        title: 'Key rotated: copy its successor now',
        warning: (
          <>
            {KEY_WARNING} The old key <code>{rotation.previous.prefix}</code> keeps working until{' '}
            <Time epoch={rotation.previous.expires_at} />.
          </>
        ),
        secrets: [{ label: 'API key', value: rotation.api_key.api_key, testId: 'new-api-key' }],
      });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      unwrap(
        api.POST('/admin-api/merchants/{merchantId}/api-keys/{keyId}/revoke', { params: { path: { merchantId, keyId } } }),
      ),
    onSuccess: onChanged,
  });
  const busy = create.isPending || rotate.isPending || revoke.isPending;
  const error = create.error ?? rotate.error ?? revoke.error;

  const columns: Column<ApiKey>[] = [
    { header: 'Prefix', className: 'mono', cell: (k) => k.prefix },
    { header: 'Status', cell: (k) => <StatusBadge status={k.status} /> },
    { header: 'Created', cell: (k) => <Time epoch={k.created_at} /> },
    { header: 'Last used', cell: (k) => (k.last_used_at == null ? 'never' : <Time epoch={k.last_used_at} ago />) },
    {
      header: 'Ends',
      cell: (k) =>
        k.revoked_at != null ? (
          <>
            revoked <Time epoch={k.revoked_at} />
          </>
        ) : k.expires_at != null ? (
          <>
            expires <Time epoch={k.expires_at} />
          </>
        ) : (
          '—'
        ),
    },
  ];
  if (mayEdit) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      cell: (k) => (
        <span className="row-actions">
          {k.status === 'active' && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              aria-label={`Rotate key ${k.prefix}`}
              onClick={() => rotate.mutate(k.id)}
            >
              Rotate
            </button>
          )}
          {(k.status === 'active' || k.status === 'rotated') && (
            <ConfirmButton
              label={`Revoke ${k.prefix}`}
              question={
                <>
                  Revoke <code>{k.prefix}</code>? Its calls are refused at once; this cannot be undone.
                </>
              }
              confirmLabel="Yes, revoke"
              disabled={busy}
              onConfirm={() => revoke.mutate(k.id)}
            />
          )}
        </span>
      ),
    });
  }

  return (
    <section className="card" aria-labelledby="keys-title">
      <div className="page-title">
        <h2 id="keys-title">API keys</h2>
        {mayEdit && (
          <button type="button" className="small" disabled={busy} onClick={() => create.mutate()}>
            New API key
          </button>
        )}
      </div>
      {error && <ErrorBox error={error} />}
      {keys.length === 0 ? (
        <Empty>No API key.</Empty>
      ) : (
        <DataTable rows={keys} columns={columns} testId="api-keys" label="API keys" />
      )}
    </section>
  );
}

function Endpoints({ merchantId, endpoints, mayEdit, onChanged, show }: SectionProps & { endpoints: Endpoint[] }) {
  const [editing, setEditing] = useState<string | null>(null);
  const path = (endpointId: string) => ({ params: { path: { merchantId, endpointId } } });
  const add = useMutation({
    mutationFn: (url: string) =>
      unwrap(api.POST('/admin-api/merchants/{merchantId}/webhook-endpoints', { params: { path: { merchantId } }, body: { url } })),
    onSuccess: (created, _url) => {
      onChanged();
      if (created.secret) {
        show({
          title: 'Endpoint added: copy its signing secret now',
          warning: SECRET_WARNING,
          secrets: [{ label: 'Signing secret', value: created.secret, testId: 'new-webhook-secret' }],
        });
      }
    },
  });
  const update = useMutation({
    mutationFn: ({ endpointId, body }: { endpointId: string; body: { url?: string; enabled?: boolean } }) =>
      unwrap(api.PATCH('/admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}', { ...path(endpointId), body })),
    onSuccess: () => {
      setEditing(null);
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: (endpointId: string) =>
      unwrap(api.DELETE('/admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}', path(endpointId))),
    onSuccess: onChanged,
  });
  const rotate = useMutation({
    mutationFn: (endpointId: string) =>
      unwrap(api.POST('/admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}/rotate-secret', path(endpointId))),
    onSuccess: (rotated) => {
      onChanged();
      show({
        title: 'Signing secret rotated: copy the new one now',
        warning: (
          <>
            {SECRET_WARNING}
            {rotated.previous_secret_expires_at != null && (
              <>
                {' '}
                The old secret signs too until <Time epoch={rotated.previous_secret_expires_at} />.
              </>
            )}
          </>
        ),
        secrets: [{ label: 'Signing secret', value: rotated.secret ?? '', testId: 'new-webhook-secret' }],
      });
    },
  });
  const busy = add.isPending || update.isPending || remove.isPending || rotate.isPending;
  const error = add.error ?? update.error ?? remove.error ?? rotate.error;

  const submitAdd = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const url = String(new FormData(form).get('url') ?? '').trim();
    add.mutate(url, { onSuccess: () => form.reset() });
  };

  /** The changes to an endpoint that cannot be taken back, in the order of their buttons: each asks first. */
  const askFirst: { label: string; question: string; confirmLabel: string; act: (endpointId: string) => void }[] = [
    {
      label: 'Rotate secret',
      question: 'Make a new signing secret? The old one keeps signing for a while, so the receiver can switch.',
      confirmLabel: 'Yes, rotate',
      act: rotate.mutate,
    },
    {
      label: 'Delete',
      question: 'Delete this endpoint? Its deliveries stop and are deleted with it.',
      confirmLabel: 'Yes, delete',
      act: remove.mutate,
    },
  ];

  const columns: Column<Endpoint>[] = [
    { header: 'URL', className: 'ellipsis', title: (e) => e.url, cell: (e) => e.url },
    {
      header: 'State',
      cell: (e) => (e.enabled ? 'enabled' : `disabled${e.disabled_reason ? ` (${e.disabled_reason})` : ''}`),
    },
    { header: 'Events', cell: (e) => (e.event_types ?? []).join(', ') || 'all' },
    { header: 'Created', cell: (e) => <Time epoch={e.created_at} /> },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (e) => (
        <span className="row-actions">
          <Link to={`/webhooks?merchant_id=${merchantId}&endpoint_id=${e.id}`}>Deliveries</Link>
          {mayEdit && (
            <>
              <button
                type="button"
                className="secondary small"
                aria-label={`Edit ${e.url}`}
                aria-expanded={editing === e.id}
                onClick={() => setEditing(editing === e.id ? null : e.id)}
              >
                Edit
              </button>
              {askFirst.map(({ act, ...ask }) => (
                <ConfirmButton key={ask.label} {...ask} disabled={busy} onConfirm={() => act(e.id)} />
              ))}
            </>
          )}
        </span>
      ),
    },
  ];

  return (
    <section className="card" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">Webhook endpoints</h2>
      {error && <ErrorBox error={error} />}
      {endpoints.length === 0 ? (
        <Empty>No webhook endpoint.</Empty>
      ) : (
        <DataTable
          rows={endpoints}
          columns={columns}
          testId="webhook-endpoints"
          label="Webhook endpoints"
          open={{
            key: editing,
            detail: (e) => (
              <EditEndpoint
                endpoint={e}
                busy={busy}
                onSave={(body) => update.mutate({ endpointId: e.id, body })}
                onCancel={() => setEditing(null)}
              />
            ),
          }}
        />
      )}
      {mayEdit && (
        <form className="inline-form" onSubmit={submitAdd} aria-label="Add an endpoint">
          <Field label="New endpoint URL">
            <input name="url" type="url" required placeholder="https://shop.example/hooks/payrail" />
          </Field>
          <button type="submit" disabled={busy}>
            Add endpoint
          </button>
        </form>
      )}
    </section>
  );
}

function EditEndpoint({
  endpoint,
  busy,
  onSave,
  onCancel,
}: {
  endpoint: Endpoint;
  busy: boolean;
  onSave: (body: { url?: string; enabled?: boolean }) => void;
  onCancel: () => void;
}) {
  const [url, setUrl] = useState(endpoint.url);
  const [enabled, setEnabled] = useState(endpoint.enabled);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: { url?: string; enabled?: boolean } = {};
    if (url.trim() !== endpoint.url) body.url = url.trim();
    if (enabled !== endpoint.enabled) body.enabled = enabled;
    if (Object.keys(body).length === 0) onCancel();
    else onSave(body);
  };
  return (
    <form className="endpoint-edit" onSubmit={submit} aria-label={`Change ${endpoint.url}`}>
      <Field label="URL">
        <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <label className="inline">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
      <FormButtons submit="Save" disabled={busy} onCancel={onCancel} />
    </form>
  );
}

/** The window of the merchant's activity panel: the longest the overview endpoint takes. */
const ACTIVITY_MINUTES = 180;

/** The merchant's volume and approval rate over the last three hours, refreshed like the overview. */
function Activity({ merchantId }: { merchantId: string }) {
  const overview = useOverview(ACTIVITY_MINUTES, merchantId);
  if (overview.isError) return <ErrorBox error={overview.error} />;
  const a = overview.data ? activity(overview.data.payments_by_status) : null;
  return (
    <section className="card" aria-labelledby="activity-title" data-testid="merchant-activity">
      <h2 id="activity-title">Last 3 hours</h2>
      {a == null ? (
        <Loading />
      ) : (
        <dl className="facts">
          <dt>Payments</dt>
          <dd data-testid="merchant-volume">{formatCount(a.total)}</dd>
          <dt>Approval rate</dt>
          <dd data-testid="merchant-approval-rate">
            {formatRate(a.rate)}{' '}
            <span className="muted">
              ({formatCount(a.approved)} approved, {formatCount(a.declined)} declined, {formatCount(a.failed)} failed)
            </span>
          </dd>
        </dl>
      )}
    </section>
  );
}
