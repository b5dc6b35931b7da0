-- Refunds of approved payments. A refund is committed 'requested' BEFORE the acquirer is called (so a crash during
-- the call leaves a row to settle by repeating the call: the acquirer is idempotent by the refund id), then moves
-- once, by compare-and-set, to 'succeeded' or 'failed' together with its event in the outbox.
create table refunds (
    refund_id          uuid primary key,
    payment_id         uuid        not null references payments (payment_id),
    merchant_id        uuid        not null references merchants (merchant_id),
    amount             bigint      not null check (amount between 1 and 1000000000000),
    currency           char(3)     not null check (currency ~ '^[A-Z]{3}$'),
    status             text        not null check (status in ('requested', 'succeeded', 'failed')),
    reason             text        check (length(reason) <= 1000),
    -- the acquirer that approved the payment, and the authorization's reference there
    acquirer           text        not null,
    authorization_reference text   not null,
    -- the acquirer's own id for the refund, once it succeeded
    acquirer_reference text,
    failure_code       text,
    -- the merchant's Idempotency-Key, when one was sent (the key itself lives in idempotency_keys)
    idempotency_key    text        check (length(idempotency_key) <= 255),
    -- simulators only: the outcome an operator asked for (admin result / simulate-refund success); null otherwise
    simulated_outcome  text        check (simulated_outcome in ('succeeded', 'failed')),
    -- how often the settler has sent it again after the first call
    resends            integer     not null default 0,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    settled_at         timestamptz,
    check ((status = 'requested') = (settled_at is null)),
    check (status <> 'failed' or failure_code is not null)
);
-- a payment's refunds, and the sum of those still counting against its amount
create index refunds_payment on refunds (payment_id, created_at);
-- the admin list: newest first, filtered by status and creation time
create index refunds_created on refunds (created_at desc);
create index refunds_status_created on refunds (status, created_at desc);
-- the settler looks for refunds left requested (a crash, a time-out); only those rows are in this index
create index refunds_requested_since on refunds (updated_at) where status = 'requested';
