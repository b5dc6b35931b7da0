import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { currentSession, logIn } from '../api/session';
import { ErrorBox, Field } from '../components/ui';
import { safeNext } from '../lib/navigation';

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Already logged in (a bookmarked login page, the back button): go where the link pointed.
  const session = useQuery({ queryKey: ['session'], queryFn: currentSession, staleTime: 60_000, retry: false });

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await logIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
      queryClient.setQueryData(['session'], session);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  return (
    <main id="main" className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Payrail console</h1>
        <p className="muted">Log in with your operator account.</p>
        <Field label="Email">
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </Field>
        <Field label="Password">
          <input name="password" type="password" autoComplete="current-password" required />
        </Field>
        {error !== null &&
          (error instanceof ApiError && error.status === 401 ? (
            <div className="error" role="alert">
              Wrong email or password.
            </div>
          ) : (
            <ErrorBox error={error} />
          ))}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="hint">
          First start: the admin's email and password are printed once by <code>./payrail</code> and written to the
          data directory.
        </p>
      </form>
    </main>
  );
}
