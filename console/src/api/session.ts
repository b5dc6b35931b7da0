/**
 * The operator's session: POST/GET/DELETE /admin-api/session, POST /admin-api/session/password.
 *
 * These routes come with the accounts-and-roles work (issue 8); until they are in openapi.json this file is the one
 * place with a hand-written shape, kept to the agreed contract. Once the snapshot has them, switch to `api.POST`.
 */
import { ApiError, authHeaders, toProblem } from './client';
import type { Role } from '../lib/roles';

export interface Session {
  account_id: string;
  email: string;
  role: Role;
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(method) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => undefined);
    throw new ApiError(response.status, toProblem(problem, response));
  }
  return response;
}

/** The current session, or null when not logged in (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    return (await (await call('GET', '/admin-api/session')).json()) as Session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function logIn(email: string, password: string): Promise<Session> {
  return (await (await call('POST', '/admin-api/session', { email, password })).json()) as Session;
}

export async function logOut(): Promise<void> {
  await call('DELETE', '/admin-api/session');
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await call('POST', '/admin-api/session/password', {
    current_password: currentPassword,
    new_password: newPassword,
  });
}
