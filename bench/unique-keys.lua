-- wrk script: POST /v1/payments with a fresh Idempotency-Key on every request (unique keys, so every
-- request creates a payment). Key and body come from the environment set by bench/payments.sh / load_test.sh.
local api_key = os.getenv("PAYRAIL_API_KEY") or "sk_live_0b85ac22a90a4019b0e79d07b672cf34"
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
-- BENCH_CARD (a card number, e.g. 4242424242424242): every payment carries that card, so the intake seals it in
-- the card vault and processing opens it; without it the payments carry no card (the figures in docs/benchmarks.md
-- say which).
local card = os.getenv("BENCH_CARD")
local payment_method = ''
if card and card ~= '' then
  payment_method = ',"payment_method":{"type":"card","number":"' .. card .. '","exp_month":12,"exp_year":2034,"cvc":"123"}'
end
local body = '{"amount":1999,"currency":"USD","order_id":"bench-order","description":"benchmark payment",'
  .. '"customer":{"email":"buyer@example.com","ip":"203.0.113.7","country":"DE"}' .. payment_method .. '}'

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function init(args)
  counter = 0
  prefix = "bench-" .. run_id .. "-" .. tid .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/payments", {
    ["Content-Type"] = "application/json",
    ["X-API-Key"] = api_key,
    ["Idempotency-Key"] = prefix .. counter,
  }, body)
end

-- Paced mode (bench/processing.sh): with BENCH_RATE set, each of the BENCH_PACED_CONNECTIONS connections waits
-- so that together they offer about BENCH_RATE requests per second (less the time each answer takes), instead
-- of sending as fast as answers come. That is the load a processing pipeline can be asked to sustain.
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local paced_connections = tonumber(os.getenv("BENCH_PACED_CONNECTIONS") or "1")
if rate > 0 then
  function delay()
    return math.floor(paced_connections * 1000 / rate)
  end
end
