-- The acquirer simulators' own books (role simulators): one row per operation an acquirer received, keyed by
-- (acquirer, the caller's reference), so a repeated reference finds the first row instead of acting twice. The
-- simulators stand in for external acquirers, so nothing of Payrail refers to this table; it lives in the same
-- database only because embedded mode has one. Never the card number: its last 4 digits at most.
create table simulator_ledger (
    acquirer                text        not null,
    reference               text        not null check (length(reference) between 1 and 255),
    kind                    text        not null check (kind in ('authorization', 'refund')),
    -- refunds: the authorization they refund
    authorization_reference text,
    amount                  bigint      not null check (amount between 1 and 1000000000000),
    currency                char(3)     not null check (currency ~ '^[A-Z]{3}$'),
    -- pending while the simulator is still "working" (a late answer); voided: an authorization cancelled
    status                  text        not null check (status in ('pending', 'approved', 'declined', 'voided')),
    code                    text,
    decline_type            text        check (decline_type in ('hard', 'soft')),
    acquirer_reference      text        not null,
    card_last4              text        check (card_last4 ~ '^[0-9]{4}$'),
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    primary key (acquirer, reference),
    check ((kind = 'refund') = (authorization_reference is not null))
);
create index simulator_ledger_refunds on simulator_ledger (acquirer, authorization_reference) where kind = 'refund';
create index simulator_ledger_newest on simulator_ledger (acquirer, created_at desc);
