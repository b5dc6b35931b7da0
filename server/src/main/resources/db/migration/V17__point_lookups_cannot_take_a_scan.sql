-- Two indexes that a point lookup could be planned on, reading every row they hold instead of one: measured under
-- bench/processing-cost.sh's paced load (pg_stat_user_indexes), per payment finalised, simulator_ledger_newest was
-- scanned 0.73 times reading ~3,700 rows each, and payments_processing_since 0.8 times reading ~65 each, because a
-- connection's cached generic plan for "where acquirer = $1 and reference = $2" (the simulator's books) and for
-- "where payment_id = $1 and status = 'processing'" (every state change of a payment) had taken them. Each read
-- grows with the table (the acquirer's whole books) or with the backlog (every payment in processing), so processing
-- slowed as it ran. Neither index serves anything that another index does not:

-- The janitor's "in processing for too long" reads payments_status_newest (status, payment_id) instead: the
-- payments in processing, which its count of them reads every round anyway. One index less on every intake insert
-- and every status change.
drop index if exists payments_processing_since;

-- The simulator's newest rows are found by time alone (three acquirers share it); an index that starts with the
-- acquirer can no longer stand in for the primary key (acquirer, reference).
drop index if exists simulator_ledger_newest;
create index simulator_ledger_newest on simulator_ledger (created_at desc);
