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
# Beside the payments, what the other operator lists read, in the proportions of real traffic: a merchant-facing
# event for every final payment (payment.approved / declined / failed), its delivery to the merchant's endpoint with
# one attempt (98.5 % delivered, 0.5 % dead, 0.5 % failing, 0.5 % not yet tried), a refund of 3 % of the approved
# payments (succeeded, 5 % of them failed) and 100,000 audit log entries. The seeded endpoints are disabled and
# their pending deliveries due in 30 days, so nothing seeded is ever sent; no refund is left requested, so the
# settler has nothing to do.
# It only adds rows (up to SEED_PAYMENTS seeded payments in all, and the rest for those that lack them), never
# touches the others, and writes no outbox event: nothing is processed. Needs psql (installed from Debian's
# packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${SEED_PAYMENTS:-1000000}
DATA_DIR=${PAYRAIL_DATA_DIR:-./data}
PORT=${BENCH_PORT:-8000}
. bench/common.sh
mkdir -p "$out"
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

-- one webhook endpoint per seeded merchant, disabled: nothing seeded is ever sent
insert into webhook_endpoints (endpoint_id, merchant_id, url, enabled, disabled_reason, created_at, updated_at)
select ('00000000-5eed-4000-9000-' || lpad(m::text, 12, '0'))::uuid,
       ('00000000-5eed-4000-8000-' || lpad(m::text, 12, '0'))::uuid,
       'https://merchant-' || m || '.example/hooks', false, 'seeded for bench/admin-lists.sh',
       now() - interval '120 days', now()
from generate_series(1, 50) m
on conflict (endpoint_id) do nothing;

-- the final payments' events (the event's time 150 ms after the payment's), for those that have none yet
insert into webhook_events (event_id, merchant_id, event_type, object_id, created_at, data)
select uuidv7(-(now() - p.created_at - interval '150 milliseconds')), p.merchant_id, 'payment.' || p.status,
       p.payment_id, p.created_at + interval '150 milliseconds',
       jsonb_build_object('id', p.payment_id, 'object', 'payment', 'amount', p.amount, 'currency', p.currency,
                          'status', p.status, 'order_id', p.order_id)
from payments p
where p.order_id like 'seed-%' and p.status in ('approved', 'declined', 'failed')
  and not exists (select 1 from webhook_events ev where ev.object_id = p.payment_id)
order by p.created_at;

-- each event's delivery: 98.5 % delivered, 0.5 % dead, 0.5 % failing, 0.5 % not yet tried (due in 30 days)
insert into webhook_deliveries (delivery_id, event_id, event_type, endpoint_id, status, attempts, next_attempt_at,
                                created_at, updated_at)
select gen_random_uuid(), ev.event_id, ev.event_type, e.endpoint_id,
       case when r < 0.985 then 'delivered' when r < 0.99 then 'dead' else 'pending' end,
       case when r < 0.985 then 1 when r < 0.99 then 10 when r < 0.995 then 3 else 0 end,
       case when r < 0.99 then ev.created_at + interval '1 second' else now() + interval '30 days' end,
       ev.created_at, ev.created_at + interval '1 second'
from (select ev.*, random() as r from webhook_events ev) ev
join webhook_endpoints e on e.merchant_id = ev.merchant_id and e.endpoint_id::text like '00000000-5eed-4000-9000-%'
on conflict (event_id, endpoint_id) do nothing;

-- each tried delivery's latest attempt
insert into webhook_attempts (attempt_id, delivery_id, started_at, status_code, latency_ms, error, response_excerpt)
select gen_random_uuid(), d.delivery_id, d.created_at + interval '50 milliseconds',
       case when d.status = 'delivered' then 200 else 503 end, 40,
       case when d.status = 'delivered' then null else 'answered 503' end,
       case when d.status = 'delivered' then 'ok' else 'busy, try later' end
from webhook_deliveries d
join webhook_endpoints e on e.endpoint_id = d.endpoint_id and e.endpoint_id::text like '00000000-5eed-4000-9000-%'
where d.attempts > 0 and not exists (select 1 from webhook_attempts a where a.delivery_id = d.delivery_id);

-- refunds of 3 % of the approved payments, a day after the payment; 5 % of them failed
insert into refunds (refund_id, payment_id, merchant_id, amount, currency, status, reason, acquirer,
                     authorization_reference, acquirer_reference, failure_code, created_at, updated_at, settled_at)
select uuidv7(-(now() - p.created_at - interval '1 day')), p.payment_id, p.merchant_id,
       greatest(1, p.amount / 2), p.currency, case when r < 0.95 then 'succeeded' else 'failed' end,
       'seeded refund', 'alpha', 'seed-auth-' || p.payment_id,
       case when r < 0.95 then 'seed-refund-' || p.payment_id end,
       case when r < 0.95 then null else 'refund_declined' end,
       p.created_at + interval '1 day', p.created_at + interval '1 day', p.created_at + interval '1 day'
from (select p.*, random() as r from payments p
      where p.order_id like 'seed-%' and p.status = 'approved' and p.created_at < now() - interval '1 day') p
where (hashtext(p.payment_id::text) & 1023) < 31
  and not exists (select 1 from refunds x where x.payment_id = p.payment_id);

-- 100,000 audit entries over the 90 days (fewer when some are there already)
select count(*) as audited from audit_log where actor like 'seed-%' \gset
insert into audit_log (occurred_at, actor, actor_role, source_ip, action, target_type, target_id, before, after)
select now() - interval '90 days' * (1 - g::float8 / 100000),
       'seed-' || (g % 20) || '@example.com', case when g % 20 < 2 then 'admin' else 'operator' end, '203.0.113.9',
       (array['payment.status_changed', 'refund.created', 'merchant.updated', 'merchant.suspended',
              'webhook_delivery.redelivered'])[1 + g % 5],
       (array['payment', 'refund', 'merchant', 'merchant', 'webhook_delivery'])[1 + g % 5],
       md5(g::text), jsonb_build_object('status', 'processing'), jsonb_build_object('status', 'declined')
from generate_series(:audited + 1, 100000) g;

analyze payments;
analyze payment_search;
analyze merchants;
analyze webhook_events;
analyze webhook_deliveries;
analyze webhook_attempts;
analyze refunds;
analyze audit_log;
select count(*) as payments_now from payments;
select (select count(*) from webhook_events) as events, (select count(*) from webhook_deliveries) as deliveries,
       (select count(*) from refunds) as refunds, (select count(*) from audit_log) as audit_entries;
SQL
