-- Processing: which acquirer decided a payment and why, and every attempt made on the way.
alter table payments add column acquirer text;
alter table payments add column decline_code text;

-- One row per call to an acquirer for a payment, written BEFORE the call ('sent'), so that after a crash the
-- attempt is known and its outcome is asked for (status inquiry) instead of being guessed or repeated elsewhere.
create table payment_attempts (
    payment_id         uuid        not null references payments (payment_id),
    attempt_no         smallint    not null check (attempt_no between 1 and 20),
    acquirer           text        not null,
    -- the acquirer-side idempotency reference: the payment id (one attempt per acquirer per payment)
    reference          text        not null,
    outcome            text        not null check (outcome in ('sent', 'approved', 'declined', 'pending', 'unknown', 'voided')),
    decline_code       text,
    decline_kind       text        check (decline_kind in ('hard', 'soft')),
    acquirer_reference text,
    latency_ms         integer,
    created_at         timestamptz not null,
    resolved_at        timestamptz,
    primary key (payment_id, attempt_no),
    unique (payment_id, acquirer)
);

-- The janitor looks for payments stuck in processing; only those rows are in this index.
create index payments_processing_since on payments (updated_at) where status = 'processing';
