-- Routing: which acquirers a payment is offered to. Acquirer connection settings stay in PAYRAIL_ACQUIRERS_*;
-- only what an operator changes at runtime lives here.

-- An acquirer's switch. No row means enabled: a fresh database routes over every configured acquirer.
create table acquirer_states (
    name       text        primary key,
    enabled    boolean     not null,
    updated_at timestamptz not null
);

-- Routing rules: the first enabled rule (lowest priority, then oldest) whose every given condition matches decides
-- the route. A null condition matches anything.
create table routing_rules (
    rule_id      uuid        primary key,
    name         text        not null default '',
    priority     integer     not null check (priority between 0 and 1000000),
    enabled      boolean     not null,
    merchant_id  uuid,
    currency     char(3),
    -- the first 6 to 8 digits of the card number, both of the same length, from <= to
    bin_from     text        check (bin_from ~ '^[0-9]{6,8}$'),
    bin_to       text        check (bin_to ~ '^[0-9]{6,8}$'),
    card_country char(2),
    -- [{"acquirer": "beta", "weight": 3}, ...]: the first choice by weight, then the others in this order
    targets      jsonb       not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    check ((bin_from is null) = (bin_to is null)),
    check (bin_from is null or (length(bin_from) = length(bin_to) and bin_from <= bin_to))
);

-- One number every change to the two tables above raises, in the same transaction: each node polls it and
-- reloads its routing cache when it moved.
create table routing_version (
    id      boolean primary key default true check (id),
    version bigint  not null
);
insert into routing_version (id, version) values (true, 0);
