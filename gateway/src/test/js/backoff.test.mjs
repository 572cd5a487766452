import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, SwitchboardClient } from '../../main/resources/web/switchboard.js';
import { harness, settle } from './fakes.mjs';

const BASE = 500;
const CAP = 30_000;

test('backoff bound doubles from the base until the cap', () => {
  const almostOne = () => 0.999_999;
  const bounds = [];
  for (let attempt = 0; attempt < 10; attempt++) bounds.push(backoffDelay(attempt, BASE, CAP, almostOne));
  assert.deepEqual(bounds, [499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999]);
});

test('full jitter stays within [0, min(cap, base * 2^n))', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const bound = Math.min(CAP, BASE * 2 ** attempt);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(attempt, BASE, CAP);
      assert.ok(delay >= 0 && delay < bound, `attempt ${attempt}: ${delay} outside [0, ${bound})`);
    }
  }
  assert.equal(backoffDelay(3, BASE, CAP, () => 0), 0);
});

test('client waits longer after each failed connection', async () => {
  const h = harness(SwitchboardClient, { backoffBaseMs: BASE, backoffCapMs: 4_000 });
  h.client.connect();
  await settle();
  const delays = [];
  for (let i = 0; i < 6; i++) {
    const socketsBefore = h.sockets.length;
    h.socket().drop(1006);
    const reconnecting = h.of('state').at(-1);
    assert.equal(reconnecting.state, 'reconnecting');
    delays.push(reconnecting.delayMs);
    h.clock.advance(reconnecting.delayMs - 1);
    await settle();
    assert.equal(h.sockets.length, socketsBefore, 'reconnected before the backoff delay');
    h.clock.advance(1);
    await settle();
    assert.equal(h.sockets.length, socketsBefore + 1, 'did not reconnect after the backoff delay');
  }
  // random() is 0.5: half of 500, 1000, 2000, 4000 (cap), 4000, 4000
  assert.deepEqual(delays, [250, 500, 1000, 2000, 2000, 2000]);
  assert.deepEqual(h.of('state').filter((s) => s.state === 'reconnecting').map((s) => s.attempt), [1, 2, 3, 4, 5, 6]);
});

test('backoff starts again from the base after a successful hello', async () => {
  const h = harness(SwitchboardClient);
  h.client.connect();
  await settle();
  for (let i = 0; i < 3; i++) {
    h.socket().drop(1006);
    h.clock.advance(h.of('state').at(-1).delayMs);
    await settle();
  }
  assert.equal(h.of('state').at(-1).delayMs, 1000);
  h.hello();
  assert.equal(h.client.state, 'connected');
  h.socket().drop(1006);
  assert.equal(h.of('state').at(-1).delayMs, 250);
});

test('a refused static token closes the client instead of retrying', async () => {
  const h = harness(SwitchboardClient);
  const connected = h.client.connect();
  await settle();
  h.socket().drop(4001, 'token expired');
  await assert.rejects(connected);
  assert.equal(h.client.state, 'closed');
  h.clock.advance(60_000);
  await settle();
  assert.equal(h.sockets.length, 1);
  assert.equal(h.of('error')[0].code, 'forbidden');
});

test('a token function is asked again for every connection', async () => {
  let issued = 0;
  const h = harness(SwitchboardClient, { token: async () => `t${++issued}` });
  h.client.connect();
  await settle();
  h.socket().drop(4001);
  h.clock.advance(h.of('state').at(-1).delayMs);
  await settle();
  assert.deepEqual(h.sockets.map((s) => new URL(s.url).searchParams.get('token')), ['t1', 't2']);
});

test('a gateway that goes quiet is given up and reconnected', async () => {
  const h = harness(SwitchboardClient);
  h.client.connect();
  await settle();
  h.hello();
  // heartbeat 15 s: pings go out, nothing comes back for more than two periods
  h.clock.advance(45_000);
  await settle();
  assert.equal(h.sockets[0].closedByClient?.code, 4000);
  assert.equal(h.client.state, 'reconnecting');
  assert.ok(h.sockets[0].sentOf('ping').length >= 2);
});

test('no hello within the connect timeout counts as a failed attempt', async () => {
  const h = harness(SwitchboardClient, { connectTimeoutMs: 5_000 });
  h.client.connect();
  await settle();
  h.clock.advance(5_000);
  assert.equal(h.client.state, 'reconnecting');
  assert.equal(h.sockets[0].closedByClient?.code, 4000);
});
