-- The operators' payment list (GET /admin-api/payments) under 100 ms at a million payments, whatever filter the
-- dashboard combines (bench/admin-lists.sh measures each). The list is ordered by payment_id (UUIDv7: creation
-- order) or by amount, and counts its matches only up to 10,000 (then the planner's estimate). A filter that
-- keeps few payments needs an index that finds them without reading the others:
--   status, currency: (column, payment_id), so a rare value is read newest first without a sort;
--   amount range and sort by amount: (amount, payment_id);
--   created range: (created_at, payment_id), which a list with a created range is also ordered by (ids carry
--   the creation time too, but from another clock reading).
-- A merchant's payments already have (merchant_id, payment_id desc) from V1.
-- "if not exists" lets the benchmark build them ahead on a seeded database.
create index if not exists payments_status_newest on payments (status, payment_id);
create index if not exists payments_currency_newest on payments (currency, payment_id);
create index if not exists payments_amount on payments (amount, payment_id);
create index if not exists payments_created on payments (created_at, payment_id);

-- q: a substring of the payment id, the idempotency key or the currency. A trigram index (pg_trgm) finds a
-- piece of an id among a million without reading them all; the query adds "search_text ilike %q%", which every
-- match satisfies, so the index can be used without changing what matches. pg_trgm is a trusted extension
-- (PostgreSQL 13+): a database owner may create it. Where it cannot be created, the list still works and q
-- reads the table (slowly at a million payments): said in the log here and in the README.
do $$
begin
    create extension if not exists pg_trgm;
exception when others then
    raise warning 'pg_trgm could not be created (%): the payment list''s q= search will scan payments', sqlerrm;
end
$$;

do $$
begin
    if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        execute 'create index if not exists payments_search_text on payments using gin '
             || '((payment_id::text || '' '' || coalesce(idempotency_key, '''') || '' '' || currency::text) gin_trgm_ops)';
    end if;
end
$$;
