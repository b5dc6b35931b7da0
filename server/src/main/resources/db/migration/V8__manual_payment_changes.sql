-- A payment's status set by hand through the admin API (PATCH /admin-api/payments/{id}): who, why, from what to
-- what, when. Append-only; the payment's timeline shows these beside the acquirer attempts.
create table payment_manual_changes (
    change_id   uuid primary key,
    payment_id  uuid        not null references payments (payment_id),
    from_status text        not null,
    to_status   text        not null,
    reason      text        not null check (length(reason) between 1 and 500),
    actor       text        not null,
    changed_at  timestamptz not null
);
create index payment_manual_changes_payment on payment_manual_changes (payment_id, changed_at);

-- The janitor's sweep of settled payments with an attempt still open (a payment declined by hand mid-call, a
-- void that failed): only open attempts are in this index, so the sweep stays cheap however many attempts exist.
create index payment_attempts_open on payment_attempts (created_at) where outcome in ('sent', 'unknown', 'pending');
