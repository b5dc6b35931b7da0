-- Core schema: merchants and their API keys, payments, idempotency records, and the transactional outbox.
-- Money is bigint minor units + ISO 4217 code; times are timestamptz (the legacy API renders epoch seconds).

create table merchants (
    merchant_id        uuid primary key,
    name               text        not null default '',
    webhook_url        text        not null,
    -- webhook signing secret, AES-GCM encrypted with the master key (it must be recoverable to sign)
    webhook_secret_enc bytea       not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);

create table api_keys (
    api_key_id  uuid primary key,
    merchant_id uuid        not null references merchants (merchant_id) on delete cascade,
    -- SHA-256 of the full key; the key itself is shown once, at creation
    key_hash    bytea       not null unique,
    key_prefix  text        not null,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index api_keys_merchant on api_keys (merchant_id);

create table payments (
    payment_id       uuid primary key,
    merchant_id      uuid        not null references merchants (merchant_id),
    amount           bigint      not null check (amount between 1 and 1000000000000),
    currency         char(3)     not null check (currency ~ '^[A-Z]{3}$'),
    status           text        not null check (status in ('new', 'processing', 'approved', 'declined', 'failed')),
    order_id         text        not null check (length(order_id) <= 255),
    description      text,
    idempotency_key  text        check (length(idempotency_key) <= 255),
    customer_email   text,
    customer_ip      text,
    customer_country char(2),
    -- card data: never the number or the CVC; BIN, last 4 and a keyed (HMAC) fingerprint only
    card_bin         text,
    card_last4       text,
    card_fingerprint text,
    card_exp_month   smallint,
    card_exp_year    smallint,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    version          integer     not null default 0
);
-- newest-first listing per merchant: ids are UUIDv7, so id order is creation order
create index payments_merchant_newest on payments (merchant_id, payment_id desc);
create index payments_merchant_idempotency_key on payments (merchant_id, idempotency_key) where idempotency_key is not null;

-- One row per (merchant, Idempotency-Key) while the key is retained; holds the exact first answer for replay.
create table idempotency_keys (
    merchant_id     uuid        not null,
    idempotency_key text        not null,
    request_hash    text        not null,
    payment_id      uuid        not null,
    response_status integer     not null,
    response_body   text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    primary key (merchant_id, idempotency_key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);

-- Transactional outbox: written in the same transaction as the state change, published by the relay role.
create table outbox (
    seq          bigint generated always as identity primary key,
    event_id     uuid        not null unique,
    event_type   text        not null,
    aggregate_id uuid        not null,
    topic        text        not null,
    payload      text        not null,
    created_at   timestamptz not null,
    published_at timestamptz
);
create index outbox_unpublished on outbox (seq) where published_at is null;
