/**
 * The operator's session: POST/GET/DELETE /admin-api/session, POST /admin-api/session/password. Logging in sets
 * the HttpOnly session cookie and the script-readable XSRF-TOKEN cookie the client echoes on writes.
 */
import { api, ApiError, unwrap } from './client';
import { ROLES, type Role } from '../lib/roles';

export interface Session {
  account_id: string;
  email: string;
  role: Role;
}

function session(view: { account_id?: string; email?: string; role?: string }): Session {
  const role = (ROLES as readonly string[]).includes(view.role ?? '') ? (view.role as Role) : 'viewer';
  return { account_id: view.account_id ?? '', email: view.email ?? '', role };
}

/** The current session, or null when not logged in (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    return session(await unwrap(api.GET('/admin-api/session')));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function logIn(email: string, password: string): Promise<Session> {
  return session(await unwrap(api.POST('/admin-api/session', { body: { email, password } })));
}

export async function logOut(): Promise<void> {
  await unwrap(api.DELETE('/admin-api/session'));
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await unwrap(
    api.POST('/admin-api/session/password', {
      body: { current_password: currentPassword, new_password: newPassword },
    }),
  );
}
