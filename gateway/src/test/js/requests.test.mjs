import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SwitchboardClient, SwitchboardError, socketUrl, fetchDevToken } from '../../main/resources/web/switchboard.js';
import { harness, settle } from './fakes.mjs';

async function connected(options) {
  const h = harness(SwitchboardClient, options);
  h.client.connect();
  await settle();
  h.hello();
  return h;
}

test('publish resolves with the ack that echoes its ref', async () => {
  const h = await connected();
  const first = h.client.publish('general', { text: 'one' });
  const second = h.client.publish('general', { text: 'two' });
  const [a, b] = h.socket().sentOf('publish');
  assert.deepEqual(Object.keys(a), ['type', 'channel', 'data', 'ref'], 'type first, ref last');
  assert.notEqual(a.ref, b.ref);
  h.socket().receive({ type: 'ack', channel: 'general', seq: 42, epoch: 1, id: 'm42', ref: b.ref });
  h.socket().receive({ type: 'ack', channel: 'general', seq: 41, epoch: 1, id: 'm41', ref: a.ref });
  assert.equal((await first).seq, 41);
  assert.equal((await second).id, 'm42');
});

test('publish rejects with the error that echoes its ref', async () => {
  const h = await connected();
  const ok = h.client.publish('general', 'fine');
  const refused = h.client.publish('secret', 'nope');
  const ref = h.socket().last('publish').ref;
  h.socket().receive({ type: 'error', code: 'forbidden', message: 'not allowed in secret', ref, channel: 'secret' });
  await assert.rejects(refused, (error) => error instanceof SwitchboardError && error.code === 'forbidden'
    && error.ref === ref && error.channel === 'secret');
  assert.equal(h.of('error').length, 0, 'an answered error is not also an error event');
  h.socket().receive({ type: 'ack', channel: 'general', seq: 1, epoch: 1, id: 'm1', ref: h.socket().sentOf('publish')[0].ref });
  assert.equal((await ok).seq, 1);
});

test('an error without a matching ref is an error event', async () => {
  const h = await connected();
  h.socket().receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: null });
  assert.equal(h.of('error')[0].code, 'rate_limited');
});

test('a publish while disconnected waits for the next hello; one in flight fails when the connection drops', async () => {
  const h = await connected();
  const inFlight = h.client.publish('general', 'lost ack');
  h.socket().drop(1006);
  await assert.rejects(inFlight, (error) => error.code === 'disconnected');
  const queued = h.client.publish('general', 'later');
  h.clock.advance(h.of('state').at(-1).delayMs);
  await settle();
  assert.equal(h.socket().sentOf('publish').length, 0, 'nothing is sent before hello');
  h.hello();
  const frame = h.socket().last('publish');
  assert.equal(frame.data, 'later');
  h.socket().receive({ type: 'ack', channel: 'general', seq: 2, epoch: 1, id: 'm2', ref: frame.ref });
  assert.equal((await queued).seq, 2);
});

test('a publish without a reply times out', async () => {
  const h = await connected({ requestTimeoutMs: 2_000 });
  const publish = h.client.publish('general', 'x');
  h.clock.advance(2_000);
  await assert.rejects(publish, (error) => error.code === 'timeout');
});

test('typing is sent at most once per channel every 3 s', async () => {
  const h = await connected();
  const sent = [];
  for (let t = 0; t <= 7_000; t += 250) {
    h.clock.advance(t === 0 ? 0 : 250);
    if (h.client.typing('general')) sent.push(h.clock.now);
    h.client.typing('random');
  }
  assert.deepEqual(sent, [0, 3_000, 6_000]);
  assert.equal(h.socket().sentOf('typing').filter((f) => f.channel === 'random').length, 3);
  assert.deepEqual(h.socket().sentOf('typing')[0], { type: 'typing', channel: 'general' });
});

test('typing while disconnected sends nothing and does not use up the interval', async () => {
  const h = harness(SwitchboardClient);
  h.client.connect();
  await settle();
  assert.equal(h.client.typing('general'), false);
  h.hello();
  assert.equal(h.client.typing('general'), true);
});

test('presence.watch is debounced and carries the whole last set', async () => {
  const h = await connected();
  h.client.watchPresence(['ada']);
  h.clock.advance(100);
  h.client.watchPresence(['ada', 'bob']);
  h.clock.advance(100);
  h.client.watchPresence(['bob', 'cy', 'bob']);
  h.clock.advance(249);
  assert.equal(h.socket().sentOf('presence.watch').length, 0);
  h.clock.advance(1);
  assert.deepEqual(h.socket().sentOf('presence.watch'), [{ type: 'presence.watch', users: ['bob', 'cy'] }]);
  h.client.watchPresence(['cy', 'bob'].reverse());
  h.clock.advance(250);
  assert.equal(h.socket().sentOf('presence.watch').length, 1, 'an unchanged set is not sent again');
});

test('presence.watch is capped at 500 users', async () => {
  const h = await connected();
  h.client.watchPresence(Array.from({ length: 700 }, (_, i) => `user${i}`));
  h.clock.advance(250);
  const { users } = h.socket().last('presence.watch');
  assert.equal(users.length, 500);
  assert.equal(users[499], 'user499');
});

test('the watched set is sent again after a reconnect', async () => {
  const h = await connected();
  h.client.watchPresence(['bob']);
  h.clock.advance(250);
  h.socket().drop(1006);
  h.clock.advance(h.of('state').at(-1).delayMs);
  await settle();
  h.hello();
  assert.deepEqual(h.socket().last('presence.watch').users, ['bob']);
});

test('presence updates are remembered and emitted', async () => {
  const h = await connected();
  h.socket().receive({ type: 'presence', updates: [{ user: 'bob', status: 'online' }] });
  assert.equal(h.client.statusOf('bob'), 'online');
  assert.equal(h.client.statusOf('cy'), 'unknown');
  assert.deepEqual(h.of('presence'), [{ updates: [{ user: 'bob', status: 'online' }] }]);
});

test('the viewport helper watches the users whose list items are visible', async () => {
  const h = await connected();
  const observers = [];
  class FakeIntersectionObserver {
    constructor(callback, options) {
      this.callback = callback;
      this.options = options;
      this.observed = new Set();
      observers.push(this);
    }
    observe(element) { this.observed.add(element); }
    unobserve(element) { this.observed.delete(element); }
    disconnect() { this.observed.clear(); }
    fire(element, isIntersecting) { this.callback([{ target: element, isIntersecting }]); }
  }
  const element = (user) => ({ isConnected: true, getAttribute: () => user });
  const items = ['ada', 'bob', 'cy', 'dee'].map(element);
  const list = { querySelectorAll: () => items };

  const viewport = h.client.watchViewport(list, { IntersectionObserver: FakeIntersectionObserver, MutationObserver: null });
  const [io] = observers;
  assert.equal(io.observed.size, 4);
  io.fire(items[0], true);
  io.fire(items[1], true);
  io.fire(items[2], true);
  io.fire(items[0], false);
  h.clock.advance(250);
  assert.deepEqual(h.socket().sentOf('presence.watch').map((f) => f.users), [['bob', 'cy']]);

  items[1].isConnected = false;
  items.splice(1, 1);
  viewport.refresh();
  h.clock.advance(250);
  assert.deepEqual(h.socket().last('presence.watch').users, ['cy']);
  viewport.disconnect();
  h.clock.advance(250);
  assert.deepEqual(h.socket().last('presence.watch').users, []);
});

test('typing and transient events older than their TTL are dropped', async () => {
  const h = await connected();
  h.clock.advance(20_000);
  h.socket().receive({ type: 'typing', channel: 'general', user: 'bob', ts: 19_000 });
  h.socket().receive({ type: 'typing', channel: 'general', user: 'cy', ts: 10_000 });
  h.socket().receive({ type: 'transient', channel: 'general', user: 'bob', event: 'cursor', ts: 19_500, data: { x: 1 } });
  assert.deepEqual(h.of('typing'), [{ channel: 'general', user: 'bob', ts: 19_000 }]);
  assert.deepEqual(h.of('transient').map((e) => e.data), [{ x: 1 }]);
});

test('reactions are passed on as one batch of counts', async () => {
  const h = await connected();
  assert.equal(h.client.react('general', 'm1', '👍'), true);
  assert.deepEqual(h.socket().last('react'), { type: 'react', channel: 'general', target: 'm1', emoji: '👍' });
  h.socket().receive({ type: 'reactions', channel: 'general', target: 'm1', counts: { '👍': 3, '🎉': 1 } });
  assert.deepEqual(h.of('reactions'), [{ channel: 'general', target: 'm1', counts: { '👍': 3, '🎉': 1 } }]);
});

test('close stops everything and rejects what is waiting', async () => {
  const h = await connected();
  const publish = h.client.publish('general', 'x');
  h.client.close();
  await assert.rejects(publish, (error) => error.code === 'closed');
  assert.equal(h.client.state, 'closed');
  assert.equal(h.clock.pending, 0, 'no timer left behind');
  await assert.rejects(h.client.publish('general', 'y'), (error) => error.code === 'closed');
});

test('socket urls are normalised and tokens come from POST /api/tokens', async () => {
  assert.equal(socketUrl('http://gw:8080'), 'ws://gw:8080/ws');
  assert.equal(socketUrl('https://gw.example/ws?token=old'), 'wss://gw.example/ws');
  assert.equal(socketUrl('/ws', 'http://page.test:9000/index.html'), 'ws://page.test:9000/ws');

  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return { ok: true, json: async () => ({ token: 'jwt' }) };
  };
  const token = await fetchDevToken({ user: 'ada', channels: ['general'], baseUrl: 'http://gw:8080', apiKey: 'k', fetch });
  assert.equal(token, 'jwt');
  assert.equal(calls[0].url, 'http://gw:8080/api/tokens');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer k');
  assert.deepEqual(JSON.parse(calls[0].init.body), { user: 'ada', channels: ['general'] });
});
