-- Idempotency keys serve any POST, not only payment creation: the stored answer names the operation and the
-- resource it created (if any), and carries the operation's own status code.
alter table idempotency_keys rename column payment_id to resource_id;
alter table idempotency_keys alter column resource_id drop not null;
alter table idempotency_keys add column operation text not null default 'payment.create';
alter table idempotency_keys alter column operation drop default;
-- Null only inside the transaction of an operation that holds the key and has not answered yet; a committed
-- key always has its answer (IdempotencyKeys.execute stores it before commit).
alter table idempotency_keys alter column response_status drop not null;
alter table idempotency_keys alter column response_body drop not null;

-- Card vault: the card number and CVC, AES-GCM sealed under a data key derived from the master key (key_id
-- names which one, for rotation), with the payment id as associated data so a box cannot be moved to another
-- payment. Referenced by token from the payment; never in an event, a log or an API answer.
create table card_vault (
    token         uuid primary key,
    payment_id    uuid        not null unique references payments (payment_id),
    key_id        text        not null,
    pan_enc       bytea,
    cvc_enc       bytea,
    created_at    timestamptz not null,
    -- set when the payment reached a final status; the PAN is erased a retention period after it
    settled_at    timestamptz,
    cvc_erased_at timestamptz,
    pan_erased_at timestamptz,
    check (pan_enc is not null or pan_erased_at is not null)
);
create index card_vault_pan_to_erase on card_vault (settled_at) where pan_enc is not null and settled_at is not null;

alter table payments add column card_token uuid;

-- The CVC may be kept only until the authorization is over: whoever moves a payment to a final status (the
-- processing role, an operator, a script), the database erases its CVC in the same transaction.
create function card_vault_settle() returns trigger language plpgsql as $$
begin
    update card_vault
       set cvc_enc = null,
           cvc_erased_at = case when cvc_enc is null then cvc_erased_at else now() end,
           settled_at = coalesce(settled_at, now())
     where payment_id = new.payment_id;
    return null;
end $$;

create trigger payments_final_settles_card
    after update of status on payments
    for each row
    when (new.status in ('approved', 'declined', 'failed') and old.status is distinct from new.status)
    execute function card_vault_settle();
