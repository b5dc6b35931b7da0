-- Webhooks: endpoints per merchant, the merchant-facing events (the events API), one delivery per
-- (event, endpoint) and every attempt made to deliver it.

create table webhook_endpoints (
    endpoint_id                uuid primary key,
    merchant_id                uuid        not null references merchants (merchant_id) on delete cascade,
    url                        text        not null,
    -- Standard Webhooks secret (whsec_...), AES-GCM sealed with a data key derived from the master key; null only
    -- for endpoints this migration creates, until a node fills it at start-up (SQL cannot seal it)
    secret_enc                 bytea,
    secret_key_id              text,
    -- during a rotation the previous secret still signs until it expires
    previous_secret_enc        bytea,
    previous_secret_key_id     text,
    previous_secret_expires_at timestamptz,
    enabled                    boolean     not null default true,
    disabled_reason            text,
    -- empty: every merchant-facing event except payment.created
    event_types                text[]      not null default '{}',
    created_at                 timestamptz not null,
    updated_at                 timestamptz not null
);
create index webhook_endpoints_merchant on webhook_endpoints (merchant_id, created_at);

create table webhook_events (
    event_id    uuid primary key, -- the outbox event id
    merchant_id uuid        not null,
    event_type  text        not null,
    object_id   uuid        not null, -- the aggregate: the payment
    created_at  timestamptz not null,
    data        jsonb       not null
);
create index webhook_events_merchant_created on webhook_events (merchant_id, created_at desc, event_id desc);
create index webhook_events_object on webhook_events (object_id);

create table webhook_deliveries (
    delivery_id     uuid primary key,
    event_id        uuid        not null references webhook_events (event_id) on delete cascade,
    endpoint_id     uuid        not null references webhook_endpoints (endpoint_id) on delete cascade,
    status          text        not null check (status in ('pending', 'delivered', 'dead')),
    -- attempts in the current round (a redelivery starts a new round; webhook_attempts keeps them all)
    attempts        int         not null default 0,
    -- when pending: when it is due; while claimed: when the claim's lease ends
    next_attempt_at timestamptz not null,
    -- the sender's claim: only the holder of this lease may record the outcome
    lease_id        uuid,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    unique (event_id, endpoint_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, status);

create table webhook_attempts (
    attempt_id       uuid primary key,
    delivery_id      uuid        not null references webhook_deliveries (delivery_id) on delete cascade,
    started_at       timestamptz not null,
    status_code      int,
    latency_ms       int         not null,
    error            text,
    response_excerpt text
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, started_at);

-- The prototype's single webhook_url becomes each existing merchant's first endpoint.
insert into webhook_endpoints (endpoint_id, merchant_id, url, created_at, updated_at)
select gen_random_uuid(), merchant_id, webhook_url, now(), now() from merchants;
