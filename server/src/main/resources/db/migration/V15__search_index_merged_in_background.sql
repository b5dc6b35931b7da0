-- The trigram index behind q (V11, V13) must not slow the intake. A GIN index takes ~100 keys per payment; with
-- fastupdate (the default) new rows go to a pending list, but PostgreSQL merges that list into the index inside
-- the insert that finds it over gin_pending_list_limit (4 MB by default): every few seconds one of the intake's
-- group-commit transactions, and the whole batch of payments waiting on it, stalled for the merge. With a 64 MB
-- limit the inserts only append; payment.SearchIndexMerger merges the list in the background every 2 s, so the
-- limit is a backstop, and rows in the pending list are found by searches like any others.
do $$
begin
    if to_regclass('payments_search_text') is not null then
        execute 'alter index payments_search_text set (gin_pending_list_limit = 65536)';
    end if;
end
$$;
