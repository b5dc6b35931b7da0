import { Fragment, useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { formatMoney } from '../lib/money';
import { formatAgo, formatLocal, formatUtc } from '../lib/time';

/** An amount in minor units, in the currency's format. */
export function Money({ minor, currency }: { minor: number | null | undefined; currency: string | null | undefined }) {
  if (minor == null || !currency) return <span>—</span>;
  return <span className="num">{formatMoney(minor, currency)}</span>;
}

/** A time in the browser's zone; UTC on hover (and for screen readers via the datetime attribute). */
export function Time({ epoch, ago = false }: { epoch: number | null | undefined; ago?: boolean }) {
  if (epoch == null) return <span>—</span>;
  const iso = new Date(epoch * 1000).toISOString();
  return (
    <time dateTime={iso} title={formatUtc(epoch)}>
      {ago ? formatAgo(epoch) : formatLocal(epoch)}
    </time>
  );
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  return <span className={`badge badge-${status ?? 'unknown'}`}>{status ?? 'unknown'}</span>;
}

/** Whether something (an acquirer) is switched on: "enabled" in green, "disabled" in red. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return <span className={`badge badge-${enabled ? 'approved' : 'failed'}`}>{enabled ? 'enabled' : 'disabled'}</span>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/**
 * What a query has to show: {@link Loading} while it is pending, its error (with "Try again") when it failed, else
 * what `children` makes of its data.
 */
export function Loaded<T>({ query, what, children }: { query: UseQueryResult<T>; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <ErrorBox error={query.error} retry={() => query.refetch()} />;
  return children(query.data);
}

/** An error from the API (problem+json) or the network, with what to do. */
export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  let title = 'Something went wrong';
  let detail = error instanceof Error ? error.message : String(error);
  let code: string | undefined;
  if (error instanceof ApiError) {
    title = error.problem.title ?? `HTTP ${error.status}`;
    detail = error.problem.detail ?? '';
    code = error.problem.code;
    if (error.status === 403) title = 'Your role may not do this';
  } else if (error instanceof TypeError) {
    title = 'The server could not be reached';
  }
  const fieldErrors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      {detail && <span> — {detail}</span>}
      {code && <code className="code">{code}</code>}
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((f, i) => (
            <li key={i}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Copies a value; says so (and where the clipboard is not available, selects the text to copy by hand). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="secondary small"
      aria-label={`Copy ${label}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setState('copied');
        } catch {
          setState('failed');
        }
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy by hand' : 'Copy'}
    </button>
  );
}

/** A labelled input; `error` (the server's message for this field, e.g. from problem+json `errors`) under it. */
export function Field({ label, children, hint, error }: { label: string; children: ReactNode; hint?: string; error?: string }) {
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label>
        <span className="label">{label}</span>
        {children}
      </label>
      {hint && <span className="hint">{hint}</span>}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/** One choice of a {@link SelectFilter}. */
export type Choice = { value: string; label: string };

/** Choices whose label is their value (statuses). */
export function choicesOf(values: readonly string[]): Choice[] {
  return values.map((value) => ({ value, label: value }));
}

/** A list filter's select: "any" first (the empty value, reported as undefined), then the choices. */
export function SelectFilter({ label, name, value, choices, onChange }: {
  label: string;
  name?: string;
  value: string | undefined;
  choices: readonly Choice[];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Field label={label}>
      <select name={name} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">any</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A form's submit button and, next to it, "Cancel". */
export function FormButtons({
  submit,
  disabled,
  onCancel,
  className = 'buttons',
}: {
  submit: ReactNode;
  disabled?: boolean;
  onCancel: () => void;
  className?: string;
}) {
  return (
    <div className={className}>
      <button type="submit" disabled={disabled}>
        {submit}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** One way through a list's pages: what the button says, whether it is there to take, and what it does. */
export interface PageStep {
  label: string;
  disabled: boolean;
  onClick: () => void;
}

/** A list's pager: back, where this page is (when the list knows), forward, then anything else (the page size). */
export function Pager({ back, forward, page, children }: { back: PageStep; forward: PageStep; page?: ReactNode; children?: ReactNode }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={back.disabled} onClick={back.onClick}>
        {back.label}
      </button>
      {page != null && <span>{page}</span>}
      <button type="button" className="secondary" disabled={forward.disabled} onClick={forward.onClick}>
        {forward.label}
      </button>
      {children}
    </nav>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/**
 * A button for a change that cannot be taken back (revoke a key, delete an endpoint): the first click asks, in
 * place, with the consequence spelled out; only "Yes" acts.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  className = 'secondary small',
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={className} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="small danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="secondary small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/**
 * A secret that exists in full only in the answer that made it (an API key, a webhook signing secret): shown
 * once, with copy buttons and a warning, until the operator says it is stored.
 */
export function SecretOnce({
  title,
  warning,
  secrets,
  onDone,
}: {
  title: string;
  warning: ReactNode;
  secrets: { label: string; value: string; testId: string }[];
  onDone: () => void;
}) {
  return (
    <section className="card secrets" aria-label={title} data-testid="secret-once">
      <h2>{title}</h2>
      <p className="warning" role="alert">
        {warning}
      </p>
      <dl className="facts">
        {secrets.map((s) => (
          <Fragment key={s.testId}>
            <dt>{s.label}</dt>
            <dd>
              <code data-testid={s.testId}>{s.value}</code> <CopyButton value={s.value} label={s.label} />
            </dd>
          </Fragment>
        ))}
      </dl>
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
