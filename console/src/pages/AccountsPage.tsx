import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Account } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan, useSession } from '../components/session';
import { Empty, ErrorBox, Field, FormButtons, Loaded, PageTitle, Time } from '../components/ui';
import { ROLES, type Role } from '../lib/roles';

/** The API gives these times as ISO-8601 strings; the console shows every time the same way. */
function epoch(iso: string | null | undefined): number | undefined {
  const ms = iso == null ? NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** Operator accounts (admin only): create, change role, disable or enable. */
export function AccountsPage() {
  const allowed = useCan('manage-accounts');
  const me = useSession();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const accounts = useQuery({
    queryKey: ['accounts'],
    queryFn: () => unwrap(api.GET('/admin-api/accounts')),
    enabled: allowed,
  });
  const update = useMutation({
    mutationFn: (v: { id: string; body: { role?: Role; disabled?: boolean } }) =>
      unwrap(api.PATCH('/admin-api/accounts/{accountId}', { params: { path: { accountId: v.id } }, body: v.body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });

  const isMe = (a: Account) => a.account_id === me.account_id;
  const columns: Column<Account>[] = [
    { header: 'Email', cell: (a) => a.email },
    {
      header: 'Role',
      cell: (a) => (
        <select
          aria-label={`Role of ${a.email}`}
          value={a.role}
          disabled={isMe(a) || update.isPending}
          onChange={(e) => update.mutate({ id: a.account_id ?? '', body: { role: e.target.value as Role } })}
        >
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      ),
    },
    {
      header: 'State',
      cell: (a) => (
        <>
          {isMe(a) ? (
            'you'
          ) : (
            <button
              type="button"
              className="secondary small"
              disabled={update.isPending}
              onClick={() => update.mutate({ id: a.account_id ?? '', body: { disabled: !a.disabled } })}
            >
              {a.disabled ? 'Enable' : 'Disable'}
            </button>
          )}{' '}
          {a.disabled && <span className="badge badge-failed">disabled</span>}
        </>
      ),
    },
    { header: 'Created', cell: (a) => <Time epoch={epoch(a.created_at)} /> },
    { header: 'Last login', cell: (a) => (a.last_login_at ? <Time epoch={epoch(a.last_login_at)} /> : 'never') },
  ];

  if (!allowed) {
    return (
      <div>
        <PageTitle>Accounts</PageTitle>
        <Empty>Only an admin manages operator accounts.</Empty>
      </div>
    );
  }
  return (
    <div>
      <PageTitle actions={!creating && <button type="button" onClick={() => setCreating(true)}>New account</button>}>
        Accounts
      </PageTitle>
      {creating && <CreateAccount onDone={() => setCreating(false)} />}
      {update.isError && <ErrorBox error={update.error} />}
      <Loaded query={accounts} what="Loading accounts">
        {(data) =>
          data.length === 0 ? (
            <Empty>No account.</Empty>
          ) : (
            <DataTable rows={data} columns={columns} rowKey={(a) => a.account_id} />
          )
        }
      </Loaded>
    </div>
  );
}

function CreateAccount({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { email: string; password: string; role: Role }) =>
      unwrap(api.POST('/admin-api/accounts', { body })),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['accounts'] });
      onDone();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({
      email: String(form.get('email') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      role: String(form.get('role') ?? 'viewer') as Role,
    });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-account">
      <h2 id="new-account">New operator account</h2>
      <Field label="Email">
        <input name="email" type="email" required autoComplete="off" autoFocus />
      </Field>
      <Field label="First password" hint="12 to 200 characters; tell it to them, they change it after logging in">
        <input name="password" type="password" minLength={12} maxLength={200} required autoComplete="new-password" />
      </Field>
      <Field label="Role" hint="viewer: reads only · operator: refunds, redeliveries, suspend merchants · admin: everything">
        <select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      {create.isError && <ErrorBox error={create.error} />}
      <FormButtons submit="Create account" disabled={create.isPending} onCancel={onDone} />
    </form>
  );
}
