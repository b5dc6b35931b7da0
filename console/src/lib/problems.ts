import { ApiError } from '../api/client';

/**
 * The server's field errors (problem+json `errors`: {field, code, message}) by field, to show each next to its
 * input. Field names are the server's: `priority`, `targets[1].acquirer`… Several errors of one field are joined.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    if (!e.field) continue;
    const message = e.message ?? e.code ?? 'invalid';
    out[e.field] = out[e.field] ? `${out[e.field]} ${message}` : message;
  }
  return out;
}

/** The field errors that no input of the form shows (so they are not lost): `field: message` lines. */
export function otherErrors(errors: Record<string, string>, shown: (field: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([field]) => !shown(field))
    .map(([field, message]) => `${field}: ${message}`);
}
