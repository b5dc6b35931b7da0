import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useCan, useSession } from '../components/session';
import { Empty, ErrorBox, Field, Loading, PageTitle, Time } from '../components/ui';
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
      {accounts.isPending ? (
        <Loading what="Loading accounts" />
      ) : accounts.isError ? (
        <ErrorBox error={accounts.error} retry={() => accounts.refetch()} />
      ) : accounts.data.length === 0 ? (
        <Empty>No account.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>State</th>
                <th>Created</th>
                <th>Last login</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((a) => {
                const self = a.account_id === me.account_id;
                return (
                  <tr key={a.account_id}>
                    <td>{a.email}</td>
                    <td>
                      <select
                        aria-label={`Role of ${a.email}`}
                        value={a.role}
                        disabled={self || update.isPending}
                        onChange={(e) => update.mutate({ id: a.account_id ?? '', body: { role: e.target.value as Role } })}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {self ? (
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
                    </td>
                    <td>
                      <Time epoch={epoch(a.created_at)} />
                    </td>
                    <td>{a.last_login_at ? <Time epoch={epoch(a.last_login_at)} /> : 'never'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
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
      <div className="buttons">
        <button type="submit" disabled={create.isPending}>
          Create account
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
