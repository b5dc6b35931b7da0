#!/usr/bin/env bash
# Seeds a running embedded Payrail with a million payments (and the merchants they belong to), straight into
# PostgreSQL with generate_series: what the admin lists are measured against (bench/admin-lists.sh).
#
#   ./payrail &                                  # or any embedded Payrail; its data dir holds embedded.env
#   bench/seed-million.sh                        # 1,000,000 payments, data dir ./data
#   SEED_PAYMENTS=200000 PAYRAIL_DATA_DIR=/tmp/pr bench/seed-million.sh
#
# The rows look like real traffic, spread over the last 90 days: 50 seeded merchants (one of them, seed-01, with
# half the payments, the others sharing the rest unevenly) besides the demo merchant; statuses about 72 % approved,
# 20 % declined, 7 % failed, 0.7 % processing, 0.3 % new; seven currencies from USD (50 %) down to SEK (0.5 %);
# amounts log-uniform from 1 to 10^6 minor units; an idempotency key on 95 %, a card summary on 80 %.
# Ids are UUIDv7 made for the row's creation time (PostgreSQL's uuidv7(shift)), as the intake makes them.
# It only adds payments (up to SEED_PAYMENTS seeded ones in all), never touches the others, and writes no outbox
# event: nothing is processed or sent as a webhook. Needs psql (installed from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${SEED_PAYMENTS:-1000000}
DATA_DIR=${PAYRAIL_DATA_DIR:-./data}
out=bench-results; mkdir -p "$out"
PORT=${BENCH_PORT:-8000}
. bench/common.sh
need psql postgresql-client
[ -f "$DATA_DIR/embedded.env" ] || { echo "seed: no $DATA_DIR/embedded.env: start ./payrail (embedded mode) first, or set PAYRAIL_DATA_DIR" >&2; exit 1; }
set -a; . "$DATA_DIR/embedded.env"; set +a

psql -q -v ON_ERROR_STOP=1 -v target="$TARGET" <<'SQL'
\timing on
-- 50 merchants; the webhook secret is random bytes (these merchants never get a webhook)
insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
select ('00000000-5eed-4000-8000-' || lpad(m::text, 12, '0'))::uuid, 'seed-' || lpad(m::text, 2, '0'),
       'https://merchant-' || m || '.example/hooks', decode(md5(m::text) || md5(m::text), 'hex'), now() - interval '120 days', now()
from generate_series(1, 50) m
on conflict (merchant_id) do nothing;

select count(*) as already from payments where order_id like 'seed-%' \gset
select greatest(:target - :already, 0) as missing \gset
\echo seeding :missing payments (:already already there)

insert into payments (payment_id, merchant_id, amount, currency, status, order_id, description, idempotency_key,
                      customer_email, customer_ip, customer_country, card_bin, card_last4, card_fingerprint,
                      card_exp_month, card_exp_year, created_at, updated_at, acquirer, decline_code)
select uuidv7(-ago), merchant, amount, currency, status, 'seed-' || (:already + g), 'seeded payment',
       case when r_key < 0.95 then 'seed-' || md5((:already + g)::text) end,
       'buyer' || (g % 5000) || '@example.com', '203.0.113.' || (g % 250), 'DE',
       case when r_card < 0.8 then '424242' end, case when r_card < 0.8 then lpad((g % 10000)::text, 4, '0') end,
       case when r_card < 0.8 then md5('card' || (g % 50000)) end,
       case when r_card < 0.8 then 12 end, case when r_card < 0.8 then 2030 end,
       now() - ago, now() - ago + interval '150 milliseconds',
       case when status in ('approved', 'declined') then 'alpha' end,
       case when status = 'declined' then 'do_not_honor' end
from (
    select g, r_key, r_card,
           -- spread over the last 90 days, newest last
           interval '90 days' * (1 - (g::float8 / :missing)) as ago,
           case when r_m < 0.5 then '00000000-5eed-4000-8000-000000000001'::uuid
                else ('00000000-5eed-4000-8000-' || lpad((2 + floor(49 * power(random(), 2)))::int::text, 12, '0'))::uuid
           end as merchant,
           greatest(1, floor(exp(random() * ln(1000000))))::bigint as amount,
           case when r_c < 0.50 then 'USD' when r_c < 0.80 then 'EUR' when r_c < 0.92 then 'GBP'
                when r_c < 0.96 then 'JPY' when r_c < 0.98 then 'CHF' when r_c < 0.995 then 'CAD' else 'SEK' end as currency,
           case when r_s < 0.72 then 'approved' when r_s < 0.92 then 'declined' when r_s < 0.99 then 'failed'
                when r_s < 0.997 then 'processing' else 'new' end as status
    from (select g, random() as r_m, random() as r_c, random() as r_s, random() as r_key, random() as r_card
          from generate_series(1, :missing) g) raw
) rows
order by ago desc;

-- written without events, so made searchable here as payment.PaymentSearchIndexer makes every created payment
insert into payment_search (payment_id, search_text)
select payment_id, payment_id::text || ' ' || coalesce(idempotency_key, '') || ' ' || currency::text || ' ' || order_id
from payments where order_id like 'seed-%'
on conflict (payment_id) do nothing;

analyze payments;
analyze payment_search;
analyze merchants;
select count(*) as payments_now from payments;
SQL
