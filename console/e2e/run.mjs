#!/usr/bin/env node
// Browser tests of the console: Debian's Chromium (/usr/bin/chromium) driven by playwright-core against a running
// Payrail. Never downloads a browser. Run by ConsoleBrowserIT (./mvnw verify), or by hand:
//   node e2e/run.mjs --base http://127.0.0.1:8000 [--out DIR] [--email E --password P] [--admin-token T]
// Exit 0 when every step passed; the steps and any failure are printed; screenshots go to --out.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:8000' },
    out: { type: 'string', default: '../server/target/console-screenshots' },
    email: { type: 'string', default: 'admin@payrail.test' },
    password: { type: 'string', default: 'correct-horse-battery-staple' },
    'admin-token': { type: 'string', default: 'dev-admin' },
    // Only for a server without the session API (before accounts and roles): the admin bearer token stands in for
    // a session and the login, logout and viewer steps are skipped, saying so.
    'allow-stub-session': { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.PAYRAIL_CHROMIUM ?? '/usr/bin/chromium' },
  },
});
const BASE = opt.base.replace(/\/$/, '');
const OUT = opt.out;
const WIDTHS = [1280, 390];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const results = [];
let failed = false;
/** The page a failing step leaves a screenshot of. */
let currentPage;

function log(line) {
  process.stdout.write(line + '\n');
}

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`PASS  ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed = true;
    results.push({ name, ok: false });
    log(`FAIL  ${name}: ${e?.stack ?? e}`);
    if (currentPage) {
      const file = `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
      await currentPage.screenshot({ path: `${OUT}/${file}`, fullPage: true }).catch(() => undefined);
      log(`      screenshot of the page: ${OUT}/${file}; its text: ${(await currentPage.locator('body').innerText().catch(() => '')).slice(0, 1500)}`);
    }
    throw e;
  }
}

function skip(name, why) {
  results.push({ name, ok: null });
  log(`SKIP  ${name}: ${why}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Console errors and uncaught exceptions of a page; `allow` lists expected network refusals (regexps). */
function watch(page) {
  const errors = [];
  const allowed = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = `${msg.text()} @ ${msg.location()?.url ?? ''}`;
    if (allowed.some((re) => re.test(text))) return;
    errors.push(text);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  return {
    errors,
    allow: (re) => allowed.push(re),
    clear: () => errors.splice(0),
    assertNone: (where) => check(errors.length === 0, `console errors on ${where}:\n  ${errors.join('\n  ')}`),
  };
}

async function shot(page, name) {
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
}

async function api(path, init = {}) {
  const response = await fetch(BASE + path, init);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

async function xsrf(context) {
  return (await context.cookies(BASE)).find((c) => c.name === 'XSRF-TOKEN')?.value;
}

/** A write through the browser context's own cookies (the session), with the CSRF header, as the console sends it. */
async function contextWrite(context, method, path, data) {
  const token = await xsrf(context);
  return context.request.fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-XSRF-TOKEN': token } : {}) },
    data: data === undefined ? undefined : JSON.stringify(data),
  });
}

async function logIn(page, email, password) {
  await page.goto(`${BASE}/console/`);
  await page.waitForURL(/\/console\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('role').waitFor();
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const docs = await api('/v3/api-docs');
  check(docs.status === 200, `GET /v3/api-docs: ${docs.status}`);
  const hasSessions = Boolean(docs.body.paths?.['/admin-api/session']);
  if (!hasSessions && !opt['allow-stub-session']) {
    throw new Error('this server has no /admin-api/session (accounts and roles): pass --allow-stub-session to run the rest');
  }
  log(`console e2e against ${BASE}; session API: ${hasSessions ? 'yes' : 'NO (stubbed with the admin token)'}`);

  const browser = await chromium.launch({ executablePath: opt.chromium, headless: true, args: CHROMIUM_ARGS });
  const state = {};
  try {
    // The clipboard permissions let the merchant step press "Copy" and read back what it copied.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US',
      permissions: ['clipboard-read', 'clipboard-write'] });
    if (!hasSessions) {
      await context.setExtraHTTPHeaders({ Authorization: `Bearer ${opt['admin-token']}` });
      await context.route('**/admin-api/session', (route) =>
        route.fulfill({ json: { account_id: 'stub', email: 'token (stub session)', role: 'admin' } }));
    }
    const page = await context.newPage();
    currentPage = page;
    const errors = watch(page);

    if (hasSessions) {
      await step('log in as admin: not logged in → login page → logged in, role shown', async () => {
        // The first visit asks for the session and gets 401: expected, not an error of the console.
        errors.allow(/status of 401.*\/admin-api\/session/);
        await logIn(page, opt.email, opt.password);
        check((await page.getByTestId('role').textContent()) === 'admin', 'role badge says admin');
        await shot(page, 'login-done-1280');
      });
    } else {
      skip('log in as admin', 'no session API on this server');
    }

    await step('create a merchant and read its key (shown once)', async () => {
      await page.goto(`${BASE}/console/merchants`);
      await page.getByRole('button', { name: 'New merchant' }).click();
      state.merchantName = `E2E shop ${Date.now()}`;
      await page.getByLabel('Name').fill(state.merchantName);
      await page.getByLabel('Webhook URL').fill(`${BASE}/simulators/merchant/webhook/e2e`);
      await page.getByRole('button', { name: 'Create merchant' }).click();
      const key = page.getByTestId('api-key');
      await key.waitFor();
      state.apiKey = (await key.textContent())?.trim();
      state.merchantId = (await page.getByTestId('merchant-id').textContent())?.trim();
      check(/^sk_live_[0-9a-f]{32}$/.test(state.apiKey ?? ''), `API key shown: ${state.apiKey}`);
      check(/^whsec_/.test((await page.getByTestId('webhook-secret').textContent()) ?? ''), 'webhook secret shown');
      check(await page.getByText('only time the full API key').isVisible(), 'the shown-once warning');
      await page.getByRole('button', { name: 'Copy API key' }).click();
      await page.getByRole('button', { name: 'Copy API key' }).filter({ hasText: 'Copied' }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      check(copied === state.apiKey, `"Copy API key" put the key on the clipboard (${copied})`);
      await shot(page, 'merchant-created-1280');
      await page.getByRole('button', { name: 'I have stored them' }).click();
      await page.getByRole('link', { name: state.merchantName }).waitFor();
      check(!(await page.getByText(state.apiKey).count()), 'the full key is gone from the page after');
    });

    await step('suspend the merchant: its key is refused (403); resume: it works again', async () => {
      await page.getByRole('link', { name: state.merchantName }).click();
      await page.getByRole('heading', { level: 1, name: new RegExp(state.merchantName) }).waitFor();
      const prefix = state.apiKey.slice(0, 12);
      check((await page.getByTestId('api-keys').textContent()).includes(prefix), `its key listed by prefix ${prefix}`);
      const listPayments = () => api('/v1/payments?limit=1', { headers: { 'X-API-Key': state.apiKey } });
      check((await listPayments()).status === 200, 'the new key works');
      await page.getByRole('button', { name: 'Suspend' }).click();
      await page.locator('h1 .badge-suspended').waitFor();
      const refused = await listPayments();
      check(refused.status === 403 && refused.body.code === 'merchant_suspended',
        `suspended merchant's call: ${refused.status} ${JSON.stringify(refused.body)}`);
      await shot(page, 'merchant-suspended-1280');
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.locator('h1 .badge-active').waitFor();
      check((await listPayments()).status === 200, 'the key works again after resume');
    });

    await step('take a payment through the merchant API with that key', async () => {
      state.idempotencyKey = `e2e-${Date.now()}`;
      state.orderId = `e2e-order-${Date.now()}`;
      const answer = await api('/v1/payments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': state.apiKey, 'Idempotency-Key': state.idempotencyKey },
        body: JSON.stringify({
          amount: 2500, currency: 'EUR', order_id: state.orderId, description: 'console e2e',
          payment_method: { type: 'card', number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' },
        }),
      });
      check(answer.status === 201, `POST /v1/payments: ${answer.status} ${JSON.stringify(answer.body)}`);
      state.paymentId = answer.body.payment_id;
    });

    await step('quick search: its order id or idempotency key opens it; a shared piece lists them', async () => {
      // q searches what the search indexer took from the payments topic, about a second after creation.
      const searchable = async (text, count) => {
        for (let i = 0; i < 60; i++) {
          const found = await api(`/admin-api/payments?q=${encodeURIComponent(text)}`, { headers: { Authorization: `Bearer ${opt['admin-token']}` } });
          if (found.status === 200 && found.body.total === count) return;
          await new Promise((r) => setTimeout(r, 500));
        }
        throw new Error(`${text}: not searchable after 30 s`);
      };
      await searchable(state.orderId, 1);
      const search = page.getByRole('searchbox', { name: /find a payment/i });
      for (const text of [state.orderId, state.idempotencyKey, state.paymentId]) {
        await page.goto(`${BASE}/console/payments`);
        await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
        await search.fill(text);
        await search.press('Enter');
        await page.waitForURL(new RegExp(`/console/payments/${state.paymentId}$`));
        await page.getByTestId('payment-id').filter({ hasText: state.paymentId }).waitFor();
      }
      // Two orders sharing a piece of their ids: several matches, so the list filtered by it, showing both.
      const pair = `e2e-pair-${Date.now()}`;
      const pairIds = [];
      for (const suffix of ['a', 'b']) {
        const made = await api('/v1/payments', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-API-Key': state.apiKey, 'Idempotency-Key': `${pair}-${suffix}-key` },
          body: JSON.stringify({ amount: 100, currency: 'EUR', order_id: `${pair}-${suffix}` }),
        });
        check(made.status === 201, `payment ${pair}-${suffix}: ${made.status}`);
        pairIds.push(made.body.payment_id);
      }
      await searchable(pair, 2);
      await search.fill(pair);
      await search.press('Enter');
      await page.waitForURL((u) => u.pathname === '/console/payments' && u.searchParams.get('q') === pair);
      for (const id of pairIds) await page.getByRole('link', { name: `Payment ${id}` }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('table.payments tbody tr').length === 2);
    });

    await step('find it in the list and open it', async () => {
      await page.goto(`${BASE}/console/payments?q=${state.paymentId}`);
      const link = page.getByRole('link', { name: `Payment ${state.paymentId}` });
      await link.waitFor();
      await page.waitForFunction(() => document.querySelectorAll('table.payments tbody tr').length === 1);
      await shot(page, 'payments-1280');
      await link.click();
      await page.waitForURL(new RegExp(`/console/payments/${state.paymentId}$`));
      await page.getByTestId('payment-id').filter({ hasText: state.paymentId }).waitFor();
    });

    await step('see its acquirer attempt and webhook in the timeline', async () => {
      const timeline = page.getByTestId('timeline');
      await page.locator('h1 .badge-approved').waitFor({ timeout: 60_000 });
      // The attempt shows as soon as it is sent (outcome "sent"), and as approved once the acquirer answered.
      const attempt = timeline.locator('[data-type=acquirer_attempt]').filter({ hasText: 'approved' }).first();
      await attempt.waitFor({ timeout: 60_000 });
      const text = await attempt.textContent();
      check(text.includes('alpha') && text.includes('approved'), `attempt at alpha, approved: ${text}`);
      check(/\d+ ms/.test(text), `attempt latency shown: ${text}`);
      await timeline.locator('[data-type=payment_created]').waitFor();
      await timeline.locator('[data-type=payment_final]').waitFor({ timeout: 60_000 });
      const webhook = timeline.locator('[data-type=webhook_delivery]').first();
      await webhook.waitFor({ timeout: 60_000 });
      check((await webhook.textContent()).includes('payment.approved'), `webhook of payment.approved: ${await webhook.textContent()}`);
      const amount = (await page.locator('h1').textContent()) ?? '';
      check(amount.includes('€25.00'), `amount shown in EUR with 2 decimals: ${amount}`);
    });

    await step('refund part of it and see the refund succeed', async () => {
      await page.getByLabel(/Refund amount/).fill('10.00');
      await page.getByLabel('Reason (optional)').fill('e2e partial refund');
      await page.getByRole('button', { name: 'Refund', exact: true }).click();
      const refunds = page.getByTestId('refunds');
      await refunds.getByText('€10.00').waitFor();
      await refunds.locator('.badge-succeeded').waitFor({ timeout: 60_000 });
      await page.getByTestId('timeline').locator('[data-type=refund]').getByText('€10.00').waitFor();
      // What is left is offered next: 15.00
      check((await page.getByLabel(/Refund amount/).inputValue()) === '15.00', 'the rest (15.00) is offered next');
      await shot(page, 'payment-refunded-1280');
    });

    await step('the refund is in the audit log, under who made it', async () => {
      await page.goto(`${BASE}/console/audit?action=refund.create`);
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      const first = page.locator('table tbody tr').first();
      await first.waitFor();
      const text = await first.textContent();
      check(text.includes('refund.create'), `newest refund.create entry: ${text}`);
      if (hasSessions) check(text.includes(opt.email), `the entry names ${opt.email}: ${text}`);
      check((await page.getByLabel('Action').inputValue()) === 'refund.create', 'the filter is read back from the URL');
      await shot(page, 'audit-refunds-1280');
      await page.goBack();
      await page.getByTestId('refunds').waitFor();
    });

    await step('resend its webhook', async () => {
      await page.getByRole('button', { name: 'Resend webhook' }).click();
      await page.getByText('Queued.').waitFor();
    });

    await step('webhooks page: a dead delivery first, its attempts (status, latency, first bytes), kept in the URL', async () => {
      // A merchant whose receiver answers 500 to everything: its delivery fails, then dies (seconds in tests).
      state.deadReceiver = `e2e-dead-${Date.now()}`;
      const faults = await api(`/simulators/merchant/webhook/${state.deadReceiver}/faults`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ fail_next: 1000, fail_status: 500 }),
      });
      check(faults.status === 200, `receiver faults: ${faults.status} ${JSON.stringify(faults.body)}`);
      const created = await contextWrite(context, 'POST', '/admin-api/merchants', {
        name: `E2E dead hooks ${Date.now()}`, webhook_url: `${BASE}/simulators/merchant/webhook/${state.deadReceiver}`,
        api_secret: 'whsec_e2e_dead_hooks_secret',
      });
      check(created.status() === 201, `create merchant: ${created.status()} ${await created.text()}`);
      const merchant = await created.json();
      state.deadMerchantId = merchant.id;
      state.deadEndpointId = merchant.webhook_endpoint_id;
      const paid = await api('/v1/payments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': merchant.api_key, 'Idempotency-Key': `e2e-dead-${Date.now()}` },
        body: JSON.stringify({ amount: 1200, currency: 'EUR', order_id: `e2e-dead-${Date.now()}` }),
      });
      check(paid.status === 201, `payment of the dead-hooks merchant: ${paid.status}`);
      const listDead = async () => (await (await context.request.get(
        `${BASE}/admin-api/webhook-deliveries?status=dead&merchant_id=${state.deadMerchantId}`)).json()).items;
      const deadline = Date.now() + 90_000;
      while ((await listDead()).length === 0) {
        check(Date.now() < deadline, 'the delivery died within 90 s');
        await new Promise((r) => setTimeout(r, 500));
      }
      state.deadDeliveryId = (await listDead())[0].id;

      // Failures first: on the unfiltered list, no dead one after a failing one, no failing one after the rest.
      await page.goto(`${BASE}/console/webhooks`);
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      const table = page.getByTestId('deliveries');
      await table.waitFor();
      const states = await table.locator('tbody tr[data-key] td:first-child').allTextContents();
      check(states[0] === 'dead', `a dead delivery comes first: ${states.slice(0, 5)}`);
      const rank = { dead: 0, failing: 1, pending: 2, delivered: 2 };
      check(states.every((st, i) => i === 0 || rank[states[i - 1]] <= rank[st]), `failures first: ${states.join(',')}`);

      // Filters are in the URL; the merchant's endpoint is offered once the merchant is chosen.
      await page.locator('select[name=status]').selectOption('dead');
      await page.locator('select[name=merchant]').selectOption(state.deadMerchantId);
      await page.waitForURL((u) => u.searchParams.get('status') === 'dead' && u.searchParams.get('merchant_id') === state.deadMerchantId);
      await page.locator('select[name=endpoint]').selectOption(state.deadEndpointId);
      await page.waitForURL((u) => u.searchParams.get('endpoint_id') === state.deadEndpointId);
      const row = table.locator(`tr[data-key="${state.deadDeliveryId}"]`);
      await row.waitFor();
      // Only this endpoint's dead delivery (the previous list may still show for a moment while the new one loads).
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=deliveries] tbody tr[data-key]').length === 1);
      check((await row.textContent()).includes('HTTP 500'), `its last answer: ${await row.textContent()}`);
      await page.getByRole('button', { name: `Attempts of delivery ${state.deadDeliveryId}` }).click();
      await page.waitForURL((u) => u.searchParams.get('open') === state.deadDeliveryId);
      const attempts = page.getByTestId('attempts');
      await attempts.getByTestId('attempt').first().waitFor();
      check((await attempts.getByTestId('attempt').count()) > 1, 'every attempt is listed');
      const first = await attempts.getByTestId('attempt').first().textContent();
      check(first.includes('HTTP 500') && /\d+ ms/.test(first) && first.includes('{"received":false}'),
        `an attempt: status, latency, first bytes of the answer: ${first}`);
      // A reload shows the same: filters and the open delivery come from the URL.
      await page.reload();
      await page.getByTestId('attempts').getByTestId('attempt').first().waitFor();
      check((await page.locator('select[name=status]').inputValue()) === 'dead', 'the state filter is read back from the URL');
      await shot(page, 'webhooks-dead-attempts-1280');
    });

    await step('webhooks page: redeliver one, then every dead one of the endpoint', async () => {
      // The receiver works again: what is sent again now arrives.
      const reset = await api(`/simulators/merchant/webhook/${state.deadReceiver}/reset`, { method: 'POST' });
      check(reset.status === 204, `receiver reset: ${reset.status}`);
      await page.getByRole('button', { name: `Redeliver ${state.deadDeliveryId}` }).click();
      await page.getByText('Queued again.').waitFor();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const d = await (await context.request.get(`${BASE}/admin-api/webhook-deliveries/${state.deadDeliveryId}`)).json();
        if (d.delivery.status === 'delivered') {
          check(d.attempts.at(-1).status_code === 200, `the last attempt was answered 200: ${JSON.stringify(d.attempts.at(-1))}`);
          break;
        }
        check(Date.now() < deadline, `redelivered within 60 s: ${d.delivery.status}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      // Nothing dead is left on the endpoint: "redeliver all dead" queues none, and says so.
      await page.getByRole('button', { name: 'Redeliver all dead' }).click();
      await page.getByText('Send every dead delivery of this endpoint again').waitFor();
      await page.getByRole('button', { name: 'Yes, redeliver' }).click();
      await page.getByText(/Queued \d+ dead deliveries again/).waitFor();
      const audit = await (await context.request.get(`${BASE}/admin-api/audit-log?action=webhook_endpoint.redeliver_dead&target_id=${state.deadEndpointId}`)).json();
      check(audit.data.length === 1, `redeliver-dead is audited: ${JSON.stringify(audit)}`);
    });

    await step('merchant page: its volume and approval rate; a new API key shown once, rotated (old one still works), revoked after asking', async () => {
      await page.goto(`${BASE}/console/merchants/${state.merchantId}`);
      await page.getByTestId('api-keys').waitFor();
      // its activity: the approved payment taken above counts in the volume and the approval rate
      const volume = page.getByTestId('merchant-volume');
      await volume.waitFor();
      const taken = Number((await volume.textContent()).replace(/,/g, ''));
      check(taken >= 1, `merchant volume ${taken}, expected the payment taken above`);
      const rate = (await page.getByTestId('merchant-approval-rate').textContent()).trim();
      check(/^\d+\.\d %/.test(rate) && !/ 0 approved/.test(rate), `merchant approval rate "${rate}"`);
      const call = (key) => api('/v1/payments?limit=1', { headers: { 'X-API-Key': key } });
      await page.getByRole('button', { name: 'New API key' }).click();
      const once = page.getByTestId('secret-once');
      const newKey = (await once.getByTestId('new-api-key').textContent()).trim();
      check(/^sk_live_[0-9a-f]{32}$/.test(newKey), `the new key is shown: ${newKey}`);
      check(await once.getByText('only time the full API key').isVisible(), 'the shown-once warning');
      check(await once.getByRole('button', { name: 'Copy API key' }).isVisible(), 'a copy button');
      check((await call(newKey)).status === 200, 'the new key works');
      await shot(page, 'merchant-new-key-1280');
      await once.getByRole('button', { name: 'I have stored it' }).click();
      check(!(await page.getByText(newKey).count()), 'the full key is gone from the page after');

      const prefix = newKey.slice(0, 12);
      await page.getByRole('button', { name: `Rotate key ${prefix}` }).click();
      const successor = (await page.getByTestId('secret-once').getByTestId('new-api-key').textContent()).trim();
      check(successor !== newKey && /^sk_live_/.test(successor), 'a successor is shown');
      check(await page.getByTestId('secret-once').getByText(/keeps working until/).isVisible(), 'says the old key keeps working');
      check((await call(newKey)).status === 200 && (await call(successor)).status === 200, 'both keys work during the grace');
      await page.getByRole('button', { name: 'I have stored it' }).click();
      const oldRow = page.getByTestId('api-keys').locator('tr', { hasText: prefix });
      await oldRow.locator('.badge-rotated').waitFor();

      await page.getByRole('button', { name: `Revoke ${prefix}` }).click();
      await page.getByText(/Its calls are refused at once/).waitFor();
      check((await call(newKey)).status === 200, 'nothing happens before the confirmation');
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await oldRow.locator('.badge-revoked').waitFor();
      check((await call(newKey)).status === 401, 'the revoked key is refused');
      check((await call(successor)).status === 200, 'its successor still works');
      check((await call(state.apiKey)).status === 200, 'the merchant\'s first key is untouched');
    });

    await step('merchant page: add an endpoint (secret shown once), change it, rotate its secret, delete it', async () => {
      const endpoints = page.getByTestId('webhook-endpoints');
      const url = `${BASE}/simulators/merchant/webhook/e2e-extra-${Date.now()}`;
      await page.getByLabel('New endpoint URL').fill(url);
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.getByTestId('secret-once').getByTestId('new-webhook-secret').textContent()).trim();
      check(/^whsec_/.test(secret), `the signing secret is shown once: ${secret}`);
      await page.getByRole('button', { name: 'I have stored it' }).click();
      const row = endpoints.locator('tr[data-key]', { hasText: url });
      await row.waitFor();

      await page.getByRole('button', { name: `Edit ${url}` }).click();
      const form = page.getByRole('form', { name: `Change ${url}` });
      await form.getByLabel('URL').fill(`${url}-v2`);
      await form.getByLabel('Enabled').uncheck();
      await form.getByRole('button', { name: 'Save' }).click();
      const changed = endpoints.locator('tr[data-key]', { hasText: `${url}-v2` });
      await changed.waitFor();
      check((await changed.textContent()).includes('disabled'), `disabled: ${await changed.textContent()}`);

      await changed.getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByRole('button', { name: 'Yes, rotate' }).click();
      const rotated = (await page.getByTestId('secret-once').getByTestId('new-webhook-secret').textContent()).trim();
      check(/^whsec_/.test(rotated) && rotated !== secret, 'a new secret is shown once');
      await shot(page, 'merchant-endpoint-secret-1280');
      await page.getByRole('button', { name: 'I have stored it' }).click();

      await changed.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await changed.waitFor({ state: 'detached' });
      const listed = await (await context.request.get(`${BASE}/admin-api/merchants/${state.merchantId}/webhook-endpoints`)).json();
      check(!listed.data.some((e) => e.url.startsWith(url)), 'the endpoint is gone on the server');
    });

    const ADMIN_API = { Authorization: `Bearer ${opt['admin-token']}` };

    await step('overview: per-minute payments, approval by acquirer, refunds, webhook backlog and intake p99 charts', async () => {
      // A fresh intake, so the p99 (a window of about 2 minutes) has something to show.
      const fresh = await api('/v1/payments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': state.apiKey, 'Idempotency-Key': `e2e-ovw-${Date.now()}` },
        body: JSON.stringify({ amount: 1200, currency: 'EUR', order_id: `e2e-ovw-${Date.now()}` }),
      });
      check(fresh.status === 201, `POST /v1/payments: ${fresh.status}`);
      await page.goto(`${BASE}/console/`);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      for (const id of ['chart-payments-per-minute', 'chart-approval-by-acquirer', 'chart-refunds-per-minute']) {
        await page.getByTestId(id).locator('.recharts-surface').first().waitFor();
      }
      // The webhook backlog and the p99 are "now" figures: their charts draw once two polls came in (5 s apart).
      await page.getByTestId('chart-webhook-backlog').locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
      await page.getByTestId('chart-intake-p99').locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
      const p99 = (await page.getByTestId('intake-p99').textContent()) ?? '';
      check(/\d+(\.\d+)? (ms|s)$/.test(p99), `intake p99 shown: ${p99}`);
      check(/^\d[\d,]*\+?$/.test((await page.getByTestId('webhook-backlog').textContent()) ?? ''), 'webhook backlog count shown');
      const alphaRow = page.getByTestId('acquirer-stats').locator('tr', { hasText: 'alpha' });
      check(/\d+\.\d %/.test((await alphaRow.textContent()) ?? ''), `alpha's approval rate over the hour: ${await alphaRow.textContent()}`);
      const api1 = await api('/admin-api/stats/overview?minutes=60', { headers: ADMIN_API });
      check(api1.status === 200 && api1.body.payments_by_status.approved >= 1, `stats/overview: ${JSON.stringify(api1.body).slice(0, 300)}`);
      await shot(page, 'overview-charts-1280');
    });

    await step('acquirers: switch one off and on (audited); a simulator knob refused at its field, then changed and reset', async () => {
      await page.goto(`${BASE}/console/acquirers`);
      await page.getByRole('heading', { level: 1, name: 'Acquirers' }).waitFor();
      const gammaSwitch = page.getByRole('switch', { name: 'gamma takes new payments' });
      await gammaSwitch.waitFor();
      check(await gammaSwitch.isChecked(), 'gamma starts enabled');
      // A click, not uncheck(): the switch shows the server's state, which changes once the PATCH is answered.
      await gammaSwitch.click();
      await page.getByTestId('acquirers').locator('tr[data-key=gamma] .badge-failed', { hasText: 'disabled' }).waitFor();
      check((await api('/admin-api/acquirers/gamma', { headers: ADMIN_API })).body.enabled === false, 'gamma disabled on the server');
      await gammaSwitch.click();
      await page.getByTestId('acquirers').locator('tr[data-key=gamma] .badge-approved', { hasText: 'enabled' }).waitFor();
      check((await api('/admin-api/acquirers/gamma', { headers: ADMIN_API })).body.enabled === true, 'gamma enabled again');
      const audit = await api('/admin-api/audit-log?action=acquirer.update&limit=2', { headers: ADMIN_API });
      const entries = audit.body.data ?? [];
      check(entries.length === 2 && entries.every((e) => e.target_id === 'gamma'), `both switches audited: ${JSON.stringify(audit.body).slice(0, 400)}`);
      if (hasSessions) check(entries[0].actor === opt.email, `audited as ${opt.email}: ${entries[0].actor}`);

      const knobs = page.getByTestId('knobs-gamma');
      const rate = knobs.getByLabel('Approval rate (%)');
      await rate.fill('150');
      await knobs.getByRole('button', { name: 'Save knobs' }).click();
      const knobError = knobs.locator('.field.invalid', { hasText: 'Approval rate' }).locator('.field-error');
      await knobError.waitFor();
      check((await knobError.textContent()).includes('0 to 100 %'), `the refusal in the form's units: ${await knobError.textContent()}`);
      await shot(page, 'acquirers-knob-refused-1280');
      await rate.fill('55');
      await knobs.getByRole('button', { name: 'Save knobs' }).click();
      // Saved once the form is back to the server's values (its "Undo changes" goes; a refusal would keep it).
      await knobs.getByRole('button', { name: 'Undo changes' }).waitFor({ state: 'detached' });
      check((await knobs.locator('.field-error').count()) === 0, 'no field error after saving 55 %');
      const changed = await api('/simulators/acquirers/gamma/knobs');
      check(changed.body.approval_rate === 0.55, `gamma's approval rate now 0.55: ${JSON.stringify(changed.body)}`);
      await knobs.getByRole('button', { name: 'Reset to defaults' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=knobs-gamma] input[name=approval_rate]')?.value === '60');
      await shot(page, 'acquirers-1280');
    });

    await step('routing rules: create (bad fields shown at their inputs), edit (kept in the URL), delete', async () => {
      const name = `e2e rule ${Date.now()}`;
      await page.goto(`${BASE}/console/routing`);
      await page.getByRole('heading', { level: 1, name: 'Routing rules' }).waitFor();
      await page.getByRole('button', { name: 'New rule' }).click();
      await page.waitForURL(/\/console\/routing\?edit=new$/);
      const form = page.getByTestId('rule-form');
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Priority').fill('999999');
      // Harmless if it were ever left behind: disabled, and for BINs no card of the tests has.
      await form.getByLabel('Enabled').uncheck();
      await form.getByLabel('Currency').fill('ZZZ');
      await form.getByLabel('BIN from').fill('99999900');
      await form.getByLabel('BIN to').fill('999999');
      await form.getByLabel('Target 1 acquirer').selectOption('gamma');
      await form.getByLabel('Target 1 weight').fill('0');
      await form.getByRole('button', { name: 'Create rule' }).click();
      for (const label of ['Currency', 'BIN to', 'Target 1 weight']) {
        await form.locator('.field.invalid', { hasText: label }).locator('.field-error').waitFor();
      }
      await shot(page, 'routing-errors-1280');
      await form.getByLabel('Currency').fill('EUR');
      await form.getByLabel('BIN to').fill('99999999');
      await form.getByLabel('Target 1 weight').fill('');
      await form.getByRole('button', { name: 'Create rule' }).click();
      const row = page.locator(`tr[data-rule="${name}"]`);
      await row.waitFor();
      check((await row.textContent()).includes('EUR, BIN 99999900–99999999'), `the rule listed: ${await row.textContent()}`);

      await page.getByRole('button', { name: `Edit rule ${name}` }).click();
      await page.waitForURL(/\/console\/routing\?edit=/);
      await page.reload();
      const again = page.getByTestId('rule-form');
      check((await again.getByLabel('Name').inputValue()) === name, 'the edited rule is still open after a reload');
      await again.getByLabel('Priority').fill('999998');
      await again.getByRole('button', { name: 'Add target' }).click();
      await again.getByLabel('Target 2 acquirer').selectOption('alpha');
      await again.getByRole('button', { name: 'Save rule' }).click();
      await page.getByTestId('rule-form').waitFor({ state: 'detached' });
      await page.waitForFunction((n) => {
        const tr = document.querySelector(`tr[data-rule="${n}"]`);
        return tr?.textContent?.includes('gamma → alpha') && tr.textContent.includes('999998');
      }, name);
      await shot(page, 'routing-edited-1280');

      await page.getByRole('button', { name: `Delete rule ${name}` }).click();
      await page.getByRole('button', { name: `Confirm deleting rule ${name}` }).click();
      await row.waitFor({ state: 'detached' });
      const left = await api('/admin-api/routing-rules', { headers: ADMIN_API });
      check(!(left.body.items ?? []).some((r) => r.name === name), 'the rule is gone on the server');
      const audit = await api('/admin-api/audit-log?target_type=routing_rule&limit=3', { headers: ADMIN_API });
      check(JSON.stringify((audit.body.data ?? []).map((e) => e.action)) === '["routing_rule.delete","routing_rule.update","routing_rule.create"]',
        `create, update and delete audited: ${JSON.stringify((audit.body.data ?? []).map((e) => e.action))}`);
    });

    if (hasSessions) {
      await step('a viewer sees no refund button and gets 403 calling the route', async () => {
        const email = `viewer-${Date.now()}@payrail.test`;
        const password = 'viewer-password-123456';
        // Created by the admin on the accounts page.
        await page.goto(`${BASE}/console/accounts`);
        await page.getByRole('button', { name: 'New account' }).click();
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('First password').fill(password);
        await page.locator('form select[name=role]').selectOption('viewer');
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.getByRole('cell', { name: email }).waitFor();
        check(await page.getByLabel(`Role of ${email}`).inputValue() === 'viewer', 'the new account is a viewer');
        await shot(page, 'accounts-1280');
        const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
        const viewerPage = await viewerContext.newPage();
        currentPage = viewerPage;
        const viewerErrors = watch(viewerPage);
        viewerErrors.allow(/status of 401.*\/admin-api\/session/);
        await logIn(viewerPage, email, password);
        check((await viewerPage.getByTestId('role').textContent()) === 'viewer', 'role badge says viewer');
        await viewerPage.goto(`${BASE}/console/payments/${state.paymentId}`);
        await viewerPage.getByTestId('refunds').waitFor();
        check((await viewerPage.getByRole('button', { name: 'Refund', exact: true }).count()) === 0, 'no Refund button');
        check((await viewerPage.getByRole('button', { name: 'Resend webhook' }).count()) === 0, 'no Resend button');
        await viewerPage.goto(`${BASE}/console/merchants`);
        await viewerPage.getByRole('heading', { name: 'Merchants' }).waitFor();
        check((await viewerPage.getByRole('button', { name: 'New merchant' }).count()) === 0, 'no New merchant button');
        check((await viewerPage.getByRole('link', { name: 'Accounts' }).count()) === 0, 'no Accounts page offered');
        await viewerPage.goto(`${BASE}/console/merchants/${state.merchantId}`);
        await viewerPage.getByTestId('api-keys').waitFor();
        check((await viewerPage.getByRole('button', { name: 'Suspend' }).count()) === 0, 'no Suspend button');
        check((await viewerPage.getByRole('button', { name: 'New API key' }).count()) === 0, 'no New API key button');
        check((await viewerPage.getByRole('button', { name: /^Rotate|^Revoke/ }).count()) === 0, 'no key rotate or revoke');
        check((await viewerPage.getByRole('button', { name: 'Add endpoint' }).count()) === 0, 'no Add endpoint');
        check((await viewerPage.getByRole('button', { name: /^Edit |^Delete$|^Rotate secret$/ }).count()) === 0, 'no endpoint edits');
        await viewerPage.goto(`${BASE}/console/webhooks?merchant_id=${state.deadMerchantId}&endpoint_id=${state.deadEndpointId}`);
        await viewerPage.getByTestId('deliveries').waitFor();
        check((await viewerPage.getByRole('button', { name: /^Redeliver/ }).count()) === 0, 'no Redeliver for a viewer');
        await viewerPage.getByRole('button', { name: /^Attempts of delivery/ }).first().click();
        await viewerPage.getByTestId('attempt').first().waitFor();
        const redeliver = await contextWrite(viewerContext, 'POST', `/admin-api/webhook-deliveries/${state.deadDeliveryId}/redeliver`);
        check(redeliver.status() === 403, `viewer redeliver: ${redeliver.status()}`);
        await viewerPage.goto(`${BASE}/console/acquirers`);
        await viewerPage.getByTestId('knobs-gamma').waitFor();
        check((await viewerPage.getByRole('switch').count()) === 0, 'no acquirer switch for a viewer');
        check((await viewerPage.getByRole('button', { name: 'Save knobs' }).count()) === 0, 'no knob saving for a viewer');
        await viewerPage.goto(`${BASE}/console/routing`);
        await viewerPage.getByRole('heading', { level: 1, name: 'Routing rules' }).waitFor();
        check((await viewerPage.getByRole('button', { name: 'New rule' }).count()) === 0, 'no New rule button for a viewer');
        const switchRefused = await contextWrite(viewerContext, 'PATCH', '/admin-api/acquirers/gamma', { enabled: false });
        check(switchRefused.status() === 403, `viewer acquirer switch: ${switchRefused.status()}`);
        const refused = await contextWrite(viewerContext, 'POST', `/admin-api/payments/${state.paymentId}/refunds`, { amount: 100 });
        check(refused.status() === 403, `viewer refund: ${refused.status()} ${await refused.text()}`);
        check((refused.headers()['content-type'] ?? '').includes('problem+json'), 'the 403 is problem+json');
        await viewerPage.goto(`${BASE}/console/account`);
        await viewerPage.getByLabel('Current password').fill(password);
        await viewerPage.getByLabel('New password', { exact: true }).fill(`${password}-2`);
        await viewerPage.getByLabel('New password again').fill(`${password}-2`);
        await viewerPage.getByRole('button', { name: 'Change password' }).click();
        await viewerPage.getByText('Password changed.').waitFor();
        viewerErrors.assertNone('the viewer pages');
        await shot(viewerPage, 'viewer-payment-1280');
        // The admin changes the account's role on the accounts page, then disables it: the server applies both to
        // the account's live session.
        await page.goto(`${BASE}/console/accounts`);
        await page.getByLabel(`Role of ${email}`).selectOption('operator');
        const sessionOf = () => viewerContext.request.get(`${BASE}/admin-api/session`);
        for (let i = 0; i < 50 && (await (await sessionOf()).json()).role !== 'operator'; i++) {
          await page.waitForTimeout(100);
        }
        check((await (await sessionOf()).json()).role === 'operator', 'the role chosen on the accounts page is the session\'s');
        const row = page.getByRole('row').filter({ hasText: email });
        await row.getByRole('button', { name: 'Disable' }).click();
        await row.getByText('disabled', { exact: true }).waitFor();
        const afterDisable = await sessionOf();
        check(afterDisable.status() === 401, `a disabled account's session is refused: ${afterDisable.status()}`);
        await viewerContext.close();
        currentPage = page;
      });
    } else {
      skip('a viewer sees no refund button and gets 403', 'no accounts API on this server');
    }

    const pages = [
      ['overview', '/console/', 'Overview'],
      ['payments', '/console/payments?status=approved&currency=EUR', 'Payments'],
      ['payment', `/console/payments/${state.paymentId}`, null],
      ['merchants', '/console/merchants', 'Merchants'],
      ['merchant', `/console/merchants/${state.merchantId}`, null],
      ['webhooks', '/console/webhooks', 'Webhooks'],
      ['webhooks-filtered', `/console/webhooks?merchant_id=${state.deadMerchantId}&endpoint_id=${state.deadEndpointId}&open=${state.deadDeliveryId}`, 'Webhooks'],
      ['acquirers', '/console/acquirers', 'Acquirers'],
      ['routing', '/console/routing', 'Routing rules'],
      ['account', '/console/account', 'Your account'],
      ['accounts', '/console/accounts', 'Accounts'],
      ['audit', '/console/audit', 'Audit log'],
      ['not-found', '/console/no-such-page', 'Not found'],
    ];
    for (const width of WIDTHS) {
      await step(`every page loads with no console error at ${width} px`, async () => {
        await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
        for (const [name, path, heading] of pages) {
          errors.clear();
          await page.goto(BASE + path);
          await page.locator('main h1').first().waitFor();
          if (heading) {
            await page.getByRole('heading', { level: 1, name: heading }).waitFor();
          }
          await page.waitForLoadState('networkidle');
          check((await page.locator('[role=alert].error, .error[role=alert]').count()) === 0,
            `${path}: an error box is shown: ${await page.locator('.error').allTextContents()}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          check(overflow <= 1, `${path} at ${width} px: the page scrolls sideways by ${overflow} px`);
          if (width >= 1280) {
            // One row: brand, navigation, quick search and the account all centred on the same line.
            const centres = await page.evaluate(() => [...document.querySelectorAll(
              '.topbar > .brand, .topbar nav a, .topbar > .quick-search, .topbar > .who')]
              .map((el) => { const r = el.getBoundingClientRect(); return Math.round(r.top + r.height / 2); }));
            check(Math.max(...centres) - Math.min(...centres) <= 4,
              `${path} at ${width} px: the top bar wraps (item centres at ${[...new Set(centres)].join(', ')} px)`);
          }
          if (name === 'overview') {
            await page.locator('.recharts-surface').first().waitFor();
          }
          await shot(page, `${name}-${width}`);
          errors.assertNone(`${path} at ${width} px`);
        }
      });
    }

    await step('keyboard: skip link and navigation reach the payments page', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${BASE}/console/`);
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.keyboard.press('Tab');
      check(await page.getByRole('link', { name: 'Skip to content' }).evaluate((el) => el === document.activeElement),
        'first Tab focuses the skip link');
      await page.getByRole('link', { name: 'Payments', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
    });

    if (hasSessions) {
      await step('log out: back to the login page, the session is gone', async () => {
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.waitForURL(/\/console\/login/);
        const after = await context.request.get(`${BASE}/admin-api/session`);
        check(after.status() === 401, `GET /admin-api/session after logout: ${after.status()}`);
      });
    } else {
      skip('log out', 'no session API on this server');
    }
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  if (!failed) log(`FAIL  ${e?.stack ?? e}`);
  failed = true;
}
const passed = results.filter((r) => r.ok === true).length;
const skipped = results.filter((r) => r.ok === null).length;
log(`console e2e: ${passed} passed, ${skipped} skipped, ${failed ? 'FAILED' : 'all passed'}; screenshots in ${OUT}`);
process.exit(failed ? 1 : 0);
