-- q of the operators' payment list (and the console's quick search) also finds a payment by its order id, the
-- reference a merchant's support desk quotes. The trigram index of V11 gets order_id into its expression, so a
-- piece of an order id is found among a million payments without reading them all; the expression must stay the
-- same as Payments.SEARCH_TEXT. Where pg_trgm could not be created (see V11) there is no index to change.
do $$
begin
    if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        drop index if exists payments_search_text;
        execute 'create index payments_search_text on payments using gin '
             || '((payment_id::text || '' '' || coalesce(idempotency_key, '''') || '' '' || currency::text'
             || ' || '' '' || order_id) gin_trgm_ops)';
    end if;
end
$$;
