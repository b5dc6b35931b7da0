-- q of the operators' payment list searches payment_search, a table of its own filled from the payments topic by
-- payment.PaymentSearchIndexer (admin role), no longer an index on payments. Keeping the trigram index (~100 keys
-- per payment) on payments put its maintenance into every group-commit transaction of the intake: measured with the
-- same warm-up, the intake did about a quarter more CPU per payment with it than without (docs/benchmarks.md,
-- "Search off the intake"). A payment is searchable about a second after it is created (by its full id at once,
-- see Payments.search), as in the search of the big gateways' dashboards.
-- search_text must stay the same expression as Payments.SEARCH_TEXT.
create table payment_search (
    payment_id  uuid primary key,
    search_text text not null
);

insert into payment_search (payment_id, search_text)
select payment_id, payment_id::text || ' ' || coalesce(idempotency_key, '') || ' ' || currency::text || ' ' || order_id
  from payments;

do $$
begin
    if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        execute 'create index payment_search_trigrams on payment_search using gin (search_text gin_trgm_ops)';
    end if;
end
$$;

drop index if exists payments_search_text;
