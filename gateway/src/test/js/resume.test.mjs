import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SwitchboardClient } from '../../main/resources/web/switchboard.js';
import { harness, historyReply, message, settle } from './fakes.mjs';

/** A connected client following 'general' at epoch 1 from seq 5, with 6 and 7 received live. */
async function following() {
  const h = harness(SwitchboardClient);
  h.client.connect();
  await settle();
  h.hello();
  h.socket().receive({ type: 'subscribed', channels: [{ channel: 'general', seq: 5, epoch: 1 }], ref: null });
  h.socket().receive(message(6));
  h.socket().receive(message(7));
  assert.deepEqual(h.seqs(), [6, 7]);
  assert.equal(h.socket().sentOf('history').length, 0, 'a first subscription needs no history');
  return h;
}

async function reconnect(h) {
  h.socket().drop(1006);
  h.clock.advance(h.of('state').at(-1).delayMs);
  await settle();
  h.hello();
}

test('after a reconnect each channel resumes from its last seq and epoch', async () => {
  const h = await following();
  h.socket().receive({ type: 'subscribed', channels: [{ channel: 'random', seq: 3, epoch: 4 }], ref: null });
  h.socket().receive(message(4, { channel: 'random', epoch: 4 }));
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [
    { channel: 'general', seq: 9, epoch: 1 }, { channel: 'random', seq: 4, epoch: 4 }] });

  const requests = h.socket().sentOf('history');
  assert.deepEqual(requests.map(({ channel, since, epoch }) => ({ channel, since, epoch })), [
    { channel: 'general', since: 7, epoch: 1 }, { channel: 'random', since: 4, epoch: 4 }]);

  h.socket().receive(historyReply(requests[0], { from: 8, to: 9 }));
  await settle();
  h.socket().receive(historyReply(requests[1], { from: 5, to: 4, lastSeq: 4 }));
  await settle();
  assert.deepEqual(h.seqs(), [6, 7, 8, 9]);
  assert.deepEqual(h.of('message').filter((m) => m.seq >= 8).map((m) => m.replayed), [true, true]);
  assert.equal(h.of('gap').length, 0);
  assert.deepEqual(h.client.position('general'), { epoch: 1, seq: 9 });
});

test('after a drain the client moves to the drain url and resumes there', async () => {
  const h = await following();
  const drained = h.socket();
  drained.receive({ type: 'drain', reason: 'deploy', reconnectInMs: 2_000, url: 'http://gw2.test:8081' });
  assert.equal(h.client.state, 'drained');
  assert.equal(h.of('state').at(-1).url, 'ws://gw2.test:8081/ws');

  h.clock.advance(1_999);
  await settle();
  assert.equal(h.sockets.length, 1, 'moved before reconnectInMs');
  drained.receive(message(8)); // the drained gateway keeps delivering until we leave
  h.clock.advance(1);
  await settle();
  assert.equal(h.sockets.length, 2);
  assert.equal(h.socket().url, 'ws://gw2.test:8081/ws?token=tok');
  assert.equal(drained.closedByClient, null, 'make before break: the old socket stays until the new hello');

  const publish = h.client.publish('general', { text: 'during the move' });
  h.hello();
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 10, epoch: 1 }] });
  const request = h.socket().last('history');
  assert.deepEqual({ since: request.since, epoch: request.epoch }, { since: 8, epoch: 1 });
  assert.equal(h.socket().last('publish').data.text, 'during the move', 'queued publish goes out after hello');

  h.socket().receive(historyReply(request, { from: 8, to: 10 }));
  await settle();
  assert.deepEqual(h.seqs(), [6, 7, 8, 9, 10]);
  h.socket().receive({ type: 'ack', channel: 'general', seq: 11, epoch: 1, id: 'x', ref: h.socket().last('publish').ref });
  assert.equal((await publish).seq, 11);

  h.clock.advance(1_000);
  assert.equal(drained.closedByClient?.code, 1000, 'the drained socket is closed after the new hello');
  drained.drop(1000);
  assert.equal(h.client.state, 'connected', 'closing the old socket is no failure');
});

test('a drained socket that the gateway closes early waits for the drain timer, not the backoff', async () => {
  const h = await following();
  h.socket().receive({ type: 'drain', reason: 'deploy', reconnectInMs: 3_000, url: null });
  h.socket().drop(1001);
  assert.equal(h.client.state, 'drained');
  h.clock.advance(3_000);
  await settle();
  assert.equal(h.sockets.length, 2);
  assert.equal(h.socket().url, 'ws://gateway.test/ws?token=tok');
});

test('incomplete history tells the application which seqs are lost', async () => {
  const h = await following();
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 25, epoch: 1 }] });
  h.socket().receive(historyReply(h.socket().last('history'), { from: 20, to: 25, complete: false }));
  await settle();
  assert.deepEqual(h.of('gap'), [{ channel: 'general', reason: 'evicted', epoch: 1, previousEpoch: 1, from: 8, to: 19 }]);
  assert.deepEqual(h.seqs(), [6, 7, 20, 21, 22, 23, 24, 25]);
});

test('a rebuilt channel (new epoch) is reported and followed from its retained history', async () => {
  const h = await following();
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 3, epoch: 2 }] });
  const request = h.socket().last('history');
  assert.deepEqual({ since: request.since, epoch: request.epoch }, { since: 7, epoch: 1 });
  h.socket().receive(historyReply(request, { from: 1, to: 3, epoch: 2, complete: false }));
  await settle();
  const [gap] = h.of('gap');
  assert.equal(gap.reason, 'epoch');
  assert.equal(gap.previousEpoch, 1);
  assert.equal(gap.epoch, 2);
  assert.deepEqual(h.of('message').map((m) => `${m.epoch}:${m.seq}`), ['1:6', '1:7', '2:1', '2:2', '2:3']);
  h.socket().receive(message(4, { epoch: 2 }));
  assert.deepEqual(h.client.position('general'), { epoch: 2, seq: 4 });
});

test('a live message ahead of a hole waits for history; overlaps are delivered once, in order', async () => {
  const h = await following();
  h.socket().receive(message(10));
  assert.deepEqual(h.seqs(), [6, 7], 'seq 10 must wait for 8 and 9');
  const request = h.socket().last('history');
  assert.equal(request.since, 7);
  h.socket().receive(message(11));
  h.socket().receive(message(10));
  assert.equal(h.socket().sentOf('history').length, 1, 'one history request at a time');
  h.socket().receive(historyReply(request, { from: 8, to: 11 }));
  await settle();
  h.socket().receive(message(11));
  h.socket().receive(message(12));
  assert.deepEqual(h.seqs(), [6, 7, 8, 9, 10, 11, 12]);
});

test('live messages during a resume are not delivered twice', async () => {
  const h = await following();
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 9, epoch: 1 }] });
  const request = h.socket().last('history');
  h.socket().receive(message(10));
  h.socket().receive(message(11));
  h.socket().receive(historyReply(request, { from: 8, to: 11 }));
  await settle();
  assert.deepEqual(h.seqs(), [6, 7, 8, 9, 10, 11]);
});

test('history is paged until the channel end', async () => {
  const h = harness(SwitchboardClient, { historyPageSize: 3 });
  h.client.connect();
  await settle();
  h.hello();
  h.socket().receive({ type: 'subscribed', channels: [{ channel: 'general', seq: 0, epoch: 1 }], ref: null });
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 7, epoch: 1 }] });
  for (const [from, to] of [[1, 3], [4, 6], [7, 7]]) {
    const request = h.socket().last('history');
    assert.equal(request.since, from - 1);
    assert.equal(request.limit, 3);
    h.socket().receive(historyReply(request, { from, to, lastSeq: 7 }));
    await settle();
  }
  assert.equal(h.socket().sentOf('history').length, 3);
  assert.deepEqual(h.seqs(), [1, 2, 3, 4, 5, 6, 7]);
});

test('initial history loads the last messages without reporting a gap', async () => {
  const h = harness(SwitchboardClient, { initialHistory: 50 });
  h.client.connect();
  await settle();
  h.hello();
  h.socket().receive({ type: 'subscribed', channels: [{ channel: 'general', seq: 120, epoch: 3 }], ref: null });
  const request = h.socket().last('history');
  assert.deepEqual({ since: request.since, epoch: request.epoch }, { since: 70, epoch: 3 });
  h.socket().receive(historyReply(request, { from: 100, to: 120, complete: false }));
  await settle();
  assert.equal(h.of('gap').length, 0);
  assert.equal(h.seqs().length, 21);
});

test('a failed history request is retried', async () => {
  const h = await following();
  await reconnect(h);
  h.socket().receive({ type: 'subscribed', ref: null, channels: [{ channel: 'general', seq: 9, epoch: 1 }] });
  const first = h.socket().last('history');
  h.socket().receive({ type: 'error', code: 'unavailable', message: 'host lost', ref: first.ref, channel: 'general' });
  await settle();
  h.clock.advance(1_000);
  const second = h.socket().last('history');
  assert.notEqual(second.ref, first.ref);
  assert.equal(second.since, 7);
});

test('drains in a row back off so a gateway that drains every new session is not hammered', async () => {
  const h = await following();
  const delays = [];
  for (let i = 0; i < 4; i++) {
    h.socket().receive({ type: 'drain', reason: 'deploy', reconnectInMs: 100, url: null });
    delays.push(h.of('state').at(-1).delayMs);
    h.clock.advance(h.of('state').at(-1).delayMs);
    await settle();
    h.hello();
  }
  assert.deepEqual(delays, [100, 350, 600, 1100]);
  h.clock.advance(1_000);
  assert.deepEqual(h.sockets.slice(0, -1).map((s) => s.closedByClient?.code), [1000, 1000, 1000, 1000],
    'every drained socket is closed once its successor said hello');
  h.clock.advance(15_000); // one heartbeat period on a connection that was not drained
  h.socket().receive({ type: 'drain', reason: 'deploy', reconnectInMs: 100, url: null });
  assert.equal(h.of('state').at(-1).delayMs, 100);
});
