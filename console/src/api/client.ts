/**
 * The typed API client: openapi-fetch over the types openapi-typescript generates from openapi.json (the server's
 * /v3/api-docs, committed). A route or field the server no longer has fails `tsc` in `npm run build`.
 *
 * Authentication is the session cookie (HttpOnly, set by POST /admin-api/session); every write carries the
 * XSRF-TOKEN cookie's value in X-XSRF-TOKEN, as the server's CSRF protection asks.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type AdminPayment = Schemas['AdminPayment'];
export type Attempt = Schemas['AttemptView'];
export type Stats = Schemas['Stats'];
export type Overview = Schemas['Overview'];
export type KnobsView = Schemas['KnobsView'];
export type ListedMerchant = Schemas['ListedMerchant'];
export type CreatedMerchant = Schemas['CreatedMerchant'];
export type AcquirerView = Schemas['AcquirerView'];
export type RuleView = Schemas['RuleView'];
export type AdminRefund = Schemas['AdminRefund'];
export type ConsoleDelivery = Schemas['ConsoleDelivery'];
export type ConsoleAttempt = Schemas['ConsoleAttempt'];
export type WebhookEndpoint = Schemas['View'];
export type ApiKey = Schemas['KeyView'];
export type IssuedKey = Schemas['IssuedKeyView'];
export type AuditEntry = Schemas['AuditEntry'];
export type Account = Schemas['AccountView'];

/** An RFC 9457 problem as the server sends it (problem+json with a stable code). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field?: string; code?: string; message?: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of a cookie readable from script (the CSRF token), or undefined. */
export function cookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie) {
  for (const part of cookies.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Headers every request gets: CSRF on writes; in `npm run dev` only, an optional admin bearer token. */
export function authHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (WRITE_METHODS.has(method.toUpperCase())) {
    const token = cookie('XSRF-TOKEN');
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  if (import.meta.env.DEV && import.meta.env.VITE_PAYRAIL_ADMIN_TOKEN) {
    headers.Authorization = `Bearer ${import.meta.env.VITE_PAYRAIL_ADMIN_TOKEN}`;
  }
  return headers;
}

const auth: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders(request.method))) {
      request.headers.set(name, value);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);

/** Listeners told when the server answers 401 (the session ended): the app goes back to the login page. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** openapi-fetch's answer → its data, or an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    if (response.status === 401) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(response.status, toProblem(error, response));
  }
  return data as T;
}

export function toProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === 'object') return body as Problem;
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}
