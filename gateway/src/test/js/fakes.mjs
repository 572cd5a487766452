// Test doubles for the Switchboard client: a manual clock with timers, and a WebSocket the test plays the gateway on.

/** Timers that run only when the test advances the clock, in due order (ties in scheduling order). */
export class FakeClock {
  now = 0;
  #timers = new Map();
  #nextId = 1;

  setTimeout = (fn, ms = 0) => {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.now + Math.max(0, ms), fn, id });
    return id;
  };

  clearTimeout = (id) => {
    this.#timers.delete(id);
  };

  /** @returns {number} timers waiting to run. */
  get pending() {
    return this.#timers.size;
  }

  /** Move time forward, running every timer that falls due on the way (including ones they schedule). */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers.delete(due.id);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
  }
}

/** A WebSocket constructor that records every socket it makes, for the test to act as the gateway. */
export function fakeWebSockets() {
  const sockets = [];

  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 1;
      this.sent = [];
      this.closedByClient = null;
      this.onmessage = null;
      this.onclose = null;
      this.onerror = null;
      sockets.push(this);
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('send on a closed socket');
      this.sent.push(JSON.parse(text));
    }

    close(code, reason) {
      this.readyState = 3;
      this.closedByClient = { code, reason };
    }

    /** The gateway sends a frame. */
    receive(frame) {
      this.onmessage({ data: JSON.stringify(frame) });
    }

    /** The connection ends (by the gateway or the network). */
    drop(code = 1006, reason = '') {
      this.readyState = 3;
      this.onclose({ code, reason });
    }

    /** @returns {object[]} frames the client sent of one type. */
    sentOf(type) {
      return this.sent.filter((frame) => frame.type === type);
    }

    /** @returns {object} the last frame the client sent of one type. */
    last(type) {
      return this.sentOf(type).at(-1);
    }
  }

  return { FakeWebSocket, sockets };
}

/** Let pending promise callbacks (and the client's async token step) run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A client wired to fakes, with every event it emits recorded.
 *
 * @param {typeof import('../../main/resources/web/switchboard.js').SwitchboardClient} SwitchboardClient
 * @param {object} [options] client options to override.
 */
export function harness(SwitchboardClient, options = {}) {
  const clock = new FakeClock();
  const { FakeWebSocket, sockets } = fakeWebSockets();
  const client = new SwitchboardClient({
    url: 'ws://gateway.test/ws',
    token: 'tok',
    WebSocket: FakeWebSocket,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: () => clock.now,
    random: () => 0.5,
    ...options,
  });
  const events = [];
  for (const type of ['state', 'hello', 'message', 'gap', 'typing', 'transient', 'reactions', 'presence', 'error',
    'subscribed']) {
    client.on(type, (event) => events.push({ type, event }));
  }
  const of = (type) => events.filter((e) => e.type === type).map((e) => e.event);
  const socket = () => sockets.at(-1);
  const hello = (s = socket(), channels = ['general']) => s.receive({
    type: 'hello', user: 'ada', session: String(sockets.length), gateway: 'g1', region: 'local', channels,
    heartbeatMs: 15_000,
  });
  const seqs = (channel = 'general') => of('message').filter((m) => m.channel === channel).map((m) => m.seq);
  return { client, clock, sockets, socket, events, of, hello, seqs };
}

/** A live message frame as the gateway sends it. */
export function message(seq, { channel = 'general', epoch = 1, user = 'bob', data = { text: `m${seq}` } } = {}) {
  return { type: 'message', channel, seq, epoch, id: `${channel}-${epoch}-${seq}`, user, ts: 1000 + seq, data };
}

/** A history reply for a request the client sent, with messages from..to. */
export function historyReply(request, { from, to, lastSeq = to, epoch = request.epoch, complete = true } = {}) {
  const messages = [];
  for (let seq = from; seq <= to; seq++) {
    messages.push({ seq, id: `${request.channel}-${epoch}-${seq}`, user: 'bob', ts: 1000 + seq, data: { text: `m${seq}` } });
  }
  return { type: 'history', channel: request.channel, epoch, lastSeq, complete, messages, ref: request.ref };
}
