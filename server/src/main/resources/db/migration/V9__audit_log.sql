-- Every change made through the admin side: who (an operator account, "token" for the static admin token),
-- from where, what, and the object before -> after (secrets redacted before they reach this table).
-- Append-only: the trigger below refuses UPDATE, DELETE and TRUNCATE for everyone, the application included.
create table audit_log (
    audit_id    bigint generated always as identity primary key,
    occurred_at timestamptz not null,
    actor       text        not null,
    actor_role  text        not null,
    source_ip   text,
    action      text        not null,
    target_type text        not null,
    target_id   text,
    before      jsonb,
    after       jsonb
);
create index audit_log_target on audit_log (target_type, target_id, audit_id);
create index audit_log_actor on audit_log (actor, audit_id);
create index audit_log_action on audit_log (action, audit_id);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
