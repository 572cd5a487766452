// Browser test of the demo page: two people in two headless Chromium contexts talk through a running gateway.
//
//   SWITCHBOARD_URL=http://127.0.0.1:8080 SWITCHBOARD_API_KEY=secret node src/test/browser/demo-e2e.mjs
//
// Environment:
//   SWITCHBOARD_URL          the gateway's HTTP base (serves / and /ws). Unset: an in-process fake gateway is
//                            started (fake-gateway.mjs), which checks the page and this script, not the gateway.
//   SWITCHBOARD_API_KEY      API key for POST /api/tokens, /api/publish and /admin/drain (sent as a Bearer token and
//                            to the page as ?apiKey=). Optional when the gateway asks for none.
//   SWITCHBOARD_DRAIN_BODY   JSON body of POST /admin/drain (default {}), e.g.
//                            {"url":"ws://127.0.0.1:8082/ws","reconnectInMs":500,"graceMs":5000}. The drained pages
//                            reconnect to that url and must be accepted there and not drained again: point it at a
//                            second gateway (or at a server that drains only the sessions present at the call).
//                            The pages' tokens keep coming from SWITCHBOARD_URL (the last one is reused if it stops
//                            answering), so both gateways must accept the same tokens.
//   SWITCHBOARD_E2E_TIMEOUT_MS  how long each step may wait (default 15000).
//   CHROMIUM                 browser executable (default /usr/bin/chromium).
//
// Screenshots go to gateway/target/screenshots/. Exits 0 when every step passed, 1 with the failing step otherwise.

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = Number(process.env.SWITCHBOARD_E2E_TIMEOUT_MS ?? 15_000);
const SCREENSHOTS = fileURLToPath(new URL('../../../target/screenshots/', import.meta.url));
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

const run = Date.now().toString(36).slice(-5);
const channel = `e2e-${run}`;
const ada = `ada-${run}`;
const bob = `bob-${run}`;
const results = [];
const pageErrors = [];

let fake = null;
let base = process.env.SWITCHBOARD_URL;
const apiKey = process.env.SWITCHBOARD_API_KEY || '';
if (!base) {
  const { startFakeGateway } = await import('./fake-gateway.mjs');
  fake = await startFakeGateway({ apiKey: apiKey || undefined });
  base = fake.url;
  console.log(`demo-e2e: SWITCHBOARD_URL not set, using the fake gateway at ${base}`);
}
base = base.replace(/\/+$/, '');

await mkdir(SCREENSHOTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});

let exitCode = 0;
const people = {};
try {
  people.a = await openPerson('a', ada);
  people.b = await openPerson('b', bob);
  const { a, b } = people;

  await step('both people join and connect', async () => {
    await Promise.all([join(a), join(b)]);
    await shot(a, '01-ada-joined');
    await shot(b, '01-bob-joined');
  });

  const hello = `Hello from ${ada}, run ${run}`;
  await step('ada types and bob sees the typing indicator', async () => {
    await a.page.getByTestId('composer-input').pressSequentially(hello, { delay: 15 });
    await expectAttribute(b.page.getByTestId('typing-indicator'), 'data-users', (users) => users.split(',').includes(ada),
      `bob's typing indicator never named ${ada}`);
    await shot(b, '02-bob-sees-typing');
  });

  await step('ada sends and bob sees the message', async () => {
    await a.page.getByTestId('composer-input').press('Enter');
    await messageText(b.page, hello).waitFor({ timeout: TIMEOUT_MS });
    await expectAttribute(b.page.getByTestId('typing-indicator'), 'data-users', (users) => !users.includes(ada),
      'the typing indicator stayed after the message arrived');
    await shot(b, '03-bob-sees-message');
  });

  await step("bob sees ada's green dot", async () => {
    await expectAttribute(member(b.page, ada), 'data-status', (status) => status === 'online',
      `${ada} never turned online in bob's member list`);
    await shot(b, '04-bob-sees-ada-online');
  });

  await step('a reaction clicked by ada shows its count for bob', async () => {
    const adaMessage = message(a.page, hello);
    await adaMessage.hover();
    await adaMessage.locator('[data-testid="reaction-button"][data-emoji="👍"]').click();
    const bobCount = message(b.page, hello).locator('[data-testid="reaction-count"][data-emoji="👍"]');
    await expectAttribute(bobCount, 'data-count', (count) => count === '1', 'bob never saw the 👍 count reach 1');
    await shot(b, '05-bob-sees-reaction');
  });

  const duringDrain = [`ada while draining ${run}`, `bob while draining ${run}`, `api while draining ${run}`];
  await step('the server drains; both pages reconnect and resume without losing a message', async () => {
    const before = { a: await session(a.page), b: await session(b.page) };
    await httpPost('/admin/drain', JSON.parse(process.env.SWITCHBOARD_DRAIN_BODY || '{}'));
    await send(a.page, duringDrain[0]);
    await send(b.page, duringDrain[1]);
    await httpPost('/api/publish', { channel, user: 'ops', data: { text: duringDrain[2] } });
    for (const person of [a, b]) {
      await expectAttribute(person.page.getByTestId('status-line'), 'data-drains', (n) => Number(n) >= 1,
        `${person.user} was never told to drain`);
    }
    await shot(a, '06-ada-after-drain-notice');
    for (const person of [a, b]) {
      await person.page.waitForFunction(([old]) => {
        const line = document.querySelector('[data-testid="status-line"]');
        return line.dataset.state === 'connected' && line.dataset.session !== old;
      }, [before[person.id]], { timeout: TIMEOUT_MS });
    }
    const after = `ada after the drain ${run}`;
    await send(a.page, after);
    for (const person of [a, b]) {
      for (const text of [hello, ...duringDrain, after]) {
        await messageText(person.page, text).first().waitFor({ timeout: TIMEOUT_MS });
        const count = await messageText(person.page, text).count();
        if (count !== 1) throw new Error(`${person.user} shows "${text}" ${count} times`);
      }
      await expectStrictlyIncreasingSeqs(person);
    }
    await shot(a, '07-ada-resumed');
    await shot(b, '07-bob-resumed');
  });

  await step("ada leaves and bob sees her dot go grey", async () => {
    await a.context.close();
    await expectAttribute(member(b.page, ada), 'data-status', (status) => status === 'offline',
      `${ada} still looks online to bob after closing her page`);
    await shot(b, '08-bob-sees-ada-offline');
  });

  if (pageErrors.length > 0) {
    results.push({ name: 'no uncaught errors in the pages', ok: false, error: pageErrors.join('\n') });
    exitCode = 1;
  }
} catch (error) {
  exitCode = 1;
  if (!(error instanceof StepFailure)) console.error(`demo-e2e: ${error.stack ?? error}`);
} finally {
  await browser.close().catch(() => {});
  await fake?.close();
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n     ${r.error}`}`);
console.log(`demo-e2e: ${passed} passed, ${failed} failed (screenshots in ${SCREENSHOTS})`);
process.exit(exitCode === 0 && failed === 0 ? 0 : 1);

// ---- helpers --------------------------------------------------------------------------------------------------

class StepFailure extends Error {}

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`demo-e2e: ok ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, error: error.message.split('\n')[0] });
    console.error(`demo-e2e: FAILED ${name}: ${error.message}`);
    for (const person of Object.values(people)) {
      if (!person.page.isClosed()) await shot(person, `failure-${person.id}`).catch(() => {});
      console.error(`--- ${person.user}'s console (last 20 lines) ---\n${person.logs.slice(-20).join('\n')}`);
    }
    throw new StepFailure(name);
  }
}

async function openPerson(id, user) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const logs = [];
  page.on('console', (msg) => logs.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (error) => pageErrors.push(`${user}: ${error.message}`));
  return { id, user, context, page, logs };
}

async function join(person) {
  const query = new URLSearchParams({ channels: `${channel},general` });
  if (apiKey) query.set('apiKey', apiKey);
  await person.page.goto(`${base}/?${query}`);
  await person.page.getByTestId('name-input').fill(person.user);
  await person.page.getByTestId('join-button').click();
  await expectAttribute(person.page.getByTestId('status-line'), 'data-state', (state) => state === 'connected',
    `${person.user} never connected`);
  await expectAttribute(person.page.locator(`[data-testid="channel-item"][data-channel="${channel}"]`), 'class',
    (cls) => cls.includes('active'), `${person.user} is not in #${channel}`);
}

async function send(page, text) {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

function message(page, text) {
  return page.locator('[data-testid="message"]', { has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

function messageText(page, text) {
  return page.getByTestId('message-text').getByText(text, { exact: true });
}

function member(page, user) {
  return page.locator(`[data-testid="member"][data-user="${user}"]`);
}

async function session(page) {
  return page.getByTestId('status-line').getAttribute('data-session');
}

async function expectAttribute(locator, name, accept, failure) {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = null;
  while (Date.now() < deadline) {
    last = await locator.first().getAttribute(name, { timeout: Math.max(1, deadline - Date.now()) }).catch(() => null);
    if (last !== null && accept(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${failure} (last ${name}=${JSON.stringify(last)})`);
}

async function expectStrictlyIncreasingSeqs(person) {
  const seqs = await person.page.$$eval('[data-testid="message"]', (nodes) => nodes.map((n) => Number(n.dataset.seq)));
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] <= seqs[i - 1]) throw new Error(`${person.user}'s messages are out of order or repeated: ${seqs.join(',')}`);
  }
}

async function shot(person, name) {
  await person.page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

async function httpPost(path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return response.json().catch(() => ({}));
}
