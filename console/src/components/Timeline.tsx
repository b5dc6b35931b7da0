import type { ReactNode } from 'react';
import type { components } from '../api/schema';
import { Money, StatusBadge, Time } from './ui';

type Entry = components['schemas']['TimelineEntry'];

function epoch(iso: string | null | undefined): number | undefined {
  const ms = iso == null ? NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** A payment's story from GET /admin-api/payments/{id}/timeline, one item per entry, in time order. */
export function Timeline({ entries }: { entries: Entry[] }) {
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e, i) => (
        <li key={i} className={`tl tl-${e.type}`} data-type={e.type}>
          <span className="tl-when">
            <Time epoch={epoch(e.at)} />
          </span>
          <div className="tl-what">{describe(e)}</div>
        </li>
      ))}
    </ol>
  );
}

function describe(e: Entry): ReactNode {
  switch (e.type) {
    case 'payment_created':
      return (
        <>
          <strong>Created</strong> <Money minor={e.amount} currency={e.currency} />, order <code>{e.order_id}</code>
        </>
      );
    case 'acquirer_attempt':
      return (
        <>
          <strong>Attempt {e.attempt_no}</strong> at <strong>{e.acquirer}</strong> <StatusBadge status={e.outcome} />
          {e.code && (
            <>
              {' '}
              <code>{e.code}</code>
              {e.decline_kind ? ` (${e.decline_kind})` : ''}
            </>
          )}
          {e.latency_ms != null && <span className="muted"> · {e.latency_ms} ms</span>}
        </>
      );
    case 'payment_final':
      return (
        <>
          <strong>Final</strong> <StatusBadge status={e.status} />
          {e.acquirer && <> by {e.acquirer}</>}
          {e.code && (
            <>
              {' '}
              <code>{e.code}</code>
            </>
          )}
        </>
      );
    case 'manual_change':
      return (
        <>
          <strong>Set by hand</strong> {e.from} → {e.to} by {e.actor}: {e.reason}
        </>
      );
    case 'webhook_delivery':
      return (
        <>
          <strong>Webhook</strong> <code>{e.event_type}</code> <StatusBadge status={e.status} />{' '}
          <span className="muted ellipsis-inline" title={e.url}>
            → {e.url}
          </span>
          {(e.attempts ?? []).length > 0 && (
            <ul className="tl-attempts">
              {(e.attempts ?? []).map((a, j) => (
                <li key={j}>
                  <Time epoch={epoch(a.at)} /> · {a.status_code ?? 'no answer'}
                  {a.latency_ms != null && ` · ${a.latency_ms} ms`}
                  {a.error && <span className="bad"> · {a.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      );
    case 'refund':
      return (
        <>
          <strong>Refund</strong> <Money minor={e.amount} currency={e.currency} /> <StatusBadge status={e.status} />
          {e.reason && <> · {e.reason}</>}
          {e.code && (
            <>
              {' '}
              <code>{e.code}</code>
            </>
          )}
        </>
      );
  }
}
