import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap, type CreatedMerchant, type ListedMerchant } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import { CopyButton, Empty, ErrorBox, Field, FormButtons, Loaded, PageTitle, Time } from '../components/ui';
import { useMerchants } from './PaymentsPage';

export function MerchantsPage() {
  const merchants = useMerchants();
  const mayCreate = useCan('create-merchant');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedMerchant | null>(null);

  return (
    <div>
      <PageTitle
        actions={
          mayCreate &&
          !creating && (
            <button type="button" onClick={() => { setCreating(true); setCreated(null); }}>
              New merchant
            </button>
          )
        }
      >
        Merchants
      </PageTitle>
      {created && <SecretsOnce merchant={created} onDone={() => setCreated(null)} />}
      {creating && (
        <CreateMerchant
          onCreated={(m) => {
            setCreated(m);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <Loaded query={merchants} what="Loading merchants">
        {(data) =>
          data.length === 0 ? (
            <Empty>No merchant yet.</Empty>
          ) : (
            <DataTable rows={data} columns={MERCHANT_COLUMNS} />
          )
        }
      </Loaded>
    </div>
  );
}

const MERCHANT_COLUMNS: Column<ListedMerchant>[] = [
  { header: 'Name', cell: (m) => <Link to={`/merchants/${m.id}`}>{m.name || '(no name)'}</Link> },
  { header: 'Merchant id', cellClassName: 'mono', cell: (m) => m.id },
  { header: 'API key', cellClassName: 'mono', cell: (m) => m.api_key || '—' },
  { header: 'Webhook URL', cellClassName: 'ellipsis', title: (m) => m.webhook_url, cell: (m) => m.webhook_url },
  { header: 'Created', cell: (m) => <Time epoch={m.created_at} /> },
];

function CreateMerchant({ onCreated, onCancel }: { onCreated: (m: CreatedMerchant) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { name?: string; webhook_url: string; api_secret: string }) =>
      unwrap(api.POST('/admin-api/merchants', { body })),
    onSuccess: (merchant) => {
      queryClient.invalidateQueries({ queryKey: ['merchants'] });
      onCreated(merchant);
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    create.mutate({
      ...(name ? { name } : {}),
      webhook_url: String(form.get('webhook_url') ?? '').trim(),
      api_secret: String(form.get('api_secret') ?? ''),
    });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-merchant">
      <h2 id="new-merchant">New merchant</h2>
      <Field label="Name">
        <input name="name" maxLength={200} autoFocus />
      </Field>
      <Field label="Webhook URL" hint="where Payrail sends this merchant's events (http or https)">
        <input name="webhook_url" type="url" required placeholder="https://shop.example/hooks/payrail" />
      </Field>
      <Field label="Legacy signing secret (api_secret)" hint="signs the prototype's X-Signature header">
        <input name="api_secret" required autoComplete="off" defaultValue={randomSecret()} />
      </Field>
      {create.isError && <ErrorBox error={create.error} />}
      <FormButtons submit={create.isPending ? 'Creating…' : 'Create merchant'} disabled={create.isPending} onCancel={onCancel} />
    </form>
  );
}

/** The API key and webhook secret exist in full only in this answer: shown once, with copy buttons. */
function SecretsOnce({ merchant, onDone }: { merchant: CreatedMerchant; onDone: () => void }) {
  return (
    <section className="card secrets" aria-labelledby="secrets-title" data-testid="secrets">
      <h2 id="secrets-title">Merchant created: copy its secrets now</h2>
      <p className="warning" role="alert">
        This is the only time the full API key and webhook signing secret are shown. Payrail keeps only a hash of
        the key; store both in the merchant's configuration before leaving this page.
      </p>
      <dl className="facts">
        <dt>Merchant id</dt>
        <dd className="mono" data-testid="merchant-id">
          {merchant.id}
        </dd>
        <dt>API key</dt>
        <dd>
          <code data-testid="api-key">{merchant.api_key}</code> <CopyButton value={merchant.api_key ?? ''} label="API key" />
        </dd>
        <dt>Webhook secret</dt>
        <dd>
          <code data-testid="webhook-secret">{merchant.webhook_secret}</code>{' '}
          <CopyButton value={merchant.webhook_secret ?? ''} label="webhook secret" />
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        I have stored them
      </button>
    </section>
  );
}

function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return 'whsec_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
