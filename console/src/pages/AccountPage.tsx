import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { changePassword } from '../api/session';
import { useSession } from '../components/session';
import { ErrorBox, Field, PageTitle } from '../components/ui';

export function AccountPage() {
  const me = useSession();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: (v: { current: string; next: string }) => changePassword(v.current, v.next),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const element = e.currentTarget;
    const form = new FormData(element);
    const next = String(form.get('new') ?? '');
    if (next !== String(form.get('repeat') ?? '')) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ current: String(form.get('current') ?? ''), next }, { onSuccess: () => element.reset() });
  };
  return (
    <div>
      <PageTitle>Your account</PageTitle>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Role</dt>
        <dd>{me.role}</dd>
      </dl>
      <form className="card form" onSubmit={submit} aria-labelledby="pw-title">
        <h2 id="pw-title">Change your password</h2>
        <Field label="Current password">
          <input name="current" type="password" autoComplete="current-password" required />
        </Field>
        <Field label="New password" hint="at least 12 characters">
          <input name="new" type="password" autoComplete="new-password" minLength={12} required />
        </Field>
        <Field label="New password again">
          <input name="repeat" type="password" autoComplete="new-password" minLength={12} required />
        </Field>
        {mismatch && (
          <p className="error" role="alert">
            The two new passwords differ.
          </p>
        )}
        {change.isError && <ErrorBox error={change.error} />}
        {change.isSuccess && (
          <p className="ok" role="status">
            Password changed.
          </p>
        )}
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </div>
  );
}
