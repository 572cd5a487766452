/**
 * Switchboard JavaScript client: one ES module, no dependencies, no build step.
 *
 * Speaks the gateway's JSON WebSocket protocol v1 (docs/protocol.md, DESIGN.md "Client protocol"). It keeps one
 * connection alive (exponential backoff with full jitter after a failure, a new gateway after a drain), resumes every
 * channel from its last `seq` and `epoch` through `history` so the application sees each message once and in
 * order, and tells the application with a `gap` event when history could not fill a hole.
 *
 * @example
 * import { SwitchboardClient, fetchDevToken } from '/switchboard.js';
 * const client = new SwitchboardClient({ token: () => fetchDevToken({ user: 'ada', channels: ['general'] }) });
 * client.on('message', (m) => console.log(m.channel, m.seq, m.user, m.data));
 * client.on('state', (s) => console.log('now', s.state));
 * await client.connect();
 * await client.publish('general', { text: 'hello' });
 *
 * @module switchboard
 */

/** Client protocol version this module speaks. */
export const PROTOCOL_VERSION = 1;

/** Default settings; every one can be overridden in the constructor's options. */
export const DEFAULTS = Object.freeze({
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  typingIntervalMs: 3_000,
  presenceDebounceMs: 250,
  maxWatchedUsers: 500,
  historyPageSize: 200,
  historyRetryMs: 1_000,
  initialHistory: 0,
  transientTtlMs: 5_000,
});

/** Close codes the gateway uses (DESIGN.md "Client protocol"). */
export const CloseCodes = Object.freeze({
  NORMAL: 1000,
  DRAINED: 1001,
  TOO_LARGE: 1009,
  BAD_TOKEN: 4001,
  FLOODING: 4008,
  SLOW_CONSUMER: 4013,
});

const CLIENT_GONE_QUIET = 4000;
const RETIRE_GRACE_MS = 1_000;

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): "full jitter", a uniformly random time in
 * [0, min(capMs, baseMs * 2^attempt)), so that thousands of clients cut off together do not come back together.
 *
 * @param {number} attempt consecutive failures so far, from 0.
 * @param {number} baseMs delay bound of the first retry.
 * @param {number} capMs largest delay bound.
 * @param {() => number} [random] uniform in [0, 1).
 * @returns {number} milliseconds to wait.
 */
export function backoffDelay(attempt, baseMs, capMs, random = Math.random) {
  const bound = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * bound);
}

/**
 * The WebSocket address of a gateway: `ws(s)://host/ws`. Accepts an http(s) or ws(s) URL, relative or absolute; a
 * URL with no path gets `/ws`. Any token in it is dropped (the client adds its own).
 *
 * @param {string} url where to connect, e.g. a drain's `url`.
 * @param {string} [base] what a relative `url` is relative to.
 * @returns {string} the normalised WebSocket URL.
 */
export function socketUrl(url, base) {
  const parsed = new URL(url, base);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/ws';
  parsed.searchParams.delete('token');
  return parsed.toString();
}

/**
 * Ask a gateway in dev mode for a token: `POST /api/tokens {user, channels}` → `{token}`.
 * Sends `Authorization: Bearer <apiKey>` when an API key is given.
 *
 * @param {object} request
 * @param {string} request.user who the token is for.
 * @param {string[]} [request.channels] channels the token allows.
 * @param {string} [request.baseUrl] the gateway's HTTP address; defaults to the page's origin.
 * @param {string} [request.apiKey] the integrator API key, when the gateway asks for one.
 * @param {typeof fetch} [request.fetch] fetch implementation (for tests).
 * @returns {Promise<string>} the token.
 */
export async function fetchDevToken({ user, channels = [], baseUrl, apiKey, fetch: fetchImpl = globalThis.fetch }) {
  const origin = baseUrl ?? globalThis.location?.origin;
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  const response = await fetchImpl(new URL('/api/tokens', origin).toString(), {
    method: 'POST',
    headers,
    body: JSON.stringify({ user, channels }),
  });
  if (!response.ok) {
    const detail = await response.text().catch(() => '');
    throw new SwitchboardError('forbidden', `POST /api/tokens answered ${response.status} ${detail}`.trim());
  }
  const body = await response.json();
  if (typeof body.token !== 'string') throw new SwitchboardError('bad_request', 'POST /api/tokens gave no token');
  return body.token;
}

/** An error the gateway sent (`error {code, message, ref}`) or one the client raised. */
export class SwitchboardError extends Error {
  /**
   * @param {string} code a protocol error code (bad_request, forbidden, ...) or a client one (disconnected, timeout,
   *     closed).
   * @param {string} message for people.
   * @param {{ref?: unknown, channel?: string}} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'SwitchboardError';
    /** @type {string} */
    this.code = code;
    /** @type {unknown} */
    this.ref = details.ref;
    /** @type {string|undefined} */
    this.channel = details.channel;
  }
}

/** A minimal event emitter; listeners that throw are reported on the console and do not stop the others. */
export class Emitter {
  #listeners = new Map();

  /**
   * @param {string} type event name.
   * @param {(event: any) => void} listener
   * @returns {() => void} a function that removes the listener.
   */
  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  /**
   * @param {string} type event name.
   * @param {(event: any) => void} listener
   */
  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /**
   * @param {string} type event name.
   * @param {(event: any) => void} listener called at most once.
   * @returns {() => void} a function that removes the listener.
   */
  once(type, listener) {
    const off = this.on(type, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  /**
   * @param {string} type event name.
   * @param {any} event
   */
  emit(type, event) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        console.error(`switchboard: a '${type}' listener threw`, error);
      }
    }
  }
}

/**
 * Where one channel stands: the epoch and last seq handed to the application, messages received ahead of a hole,
 * and the highest seq known to exist. Messages are handed on strictly in seq order, each once.
 */
class ChannelCursor {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
    this.known = false;
    this.epoch = 0;
    this.lastSeq = 0;
    this.target = 0;
    /** @type {Map<number, object>} seq → message of the current epoch, waiting for the seqs before it */
    this.pending = new Map();
    /** @type {object[]} live messages of another epoch, kept until history confirms the change */
    this.stray = [];
    this.fetching = false;
    /** a forced catch-up was asked for while a request was out: ask again when it answers */
    this.again = false;
    this.initialLoad = false;
    this.retryTimer = null;
  }

  /** @param {number} epoch @param {number} lastSeq */
  start(epoch, lastSeq) {
    this.known = true;
    this.epoch = epoch;
    this.lastSeq = lastSeq;
    this.target = Math.max(this.target, lastSeq);
  }

  behind() {
    return this.lastSeq < this.target;
  }
}

/**
 * @typedef {object} ClientOptions
 * @property {string | (() => string | Promise<string>)} token a token, or a function giving a fresh one for every
 *     connection (recommended: a static token cannot recover from close code 4001).
 * @property {string} [url] the gateway's WebSocket URL; defaults to `/ws` on the page's host.
 * @property {number} [backoffBaseMs] first reconnect delay bound (500).
 * @property {number} [backoffCapMs] largest reconnect delay bound (30000).
 * @property {number} [connectTimeoutMs] how long to wait for `hello` (10000).
 * @property {number} [requestTimeoutMs] how long to wait for an ack or reply (10000).
 * @property {number} [typingIntervalMs] at most one `typing` per channel in this time (3000).
 * @property {number} [presenceDebounceMs] quiet time before a `presence.watch` is sent (250).
 * @property {number} [maxWatchedUsers] cap on one `presence.watch` (500).
 * @property {number} [historyPageSize] `limit` of each resume `history` request (200).
 * @property {number} [initialHistory] messages to load per channel when first subscribed (0).
 * @property {number} [transientTtlMs] typing and transient events older than this are dropped (5000).
 * @property {typeof WebSocket} [WebSocket] WebSocket constructor (for tests).
 * @property {typeof setTimeout} [setTimeout] timer function (for tests).
 * @property {typeof clearTimeout} [clearTimeout] timer function (for tests).
 * @property {() => number} [random] uniform in [0, 1) (for tests).
 * @property {() => number} [now] wall clock in ms (for tests).
 * @property {typeof fetch} [fetch] fetch implementation (for tests).
 */

/**
 * A connection to a Switchboard gateway that survives failures and drains.
 *
 * Events (subscribe with {@link Emitter#on}):
 * - `state` `{state, previous, attempt, delayMs, reason, url}`: `connecting`, `connected`, `reconnecting`,
 *   `drained` (moving to another gateway) or `closed`.
 * - `hello` the gateway's `hello {user, session, gateway, region, channels, heartbeatMs}`.
 * - `subscribed` `{channel, seq, epoch}` each time a channel's subscription (re)starts.
 * - `message` `{channel, seq, epoch, id, user, ts, data, replayed}`, once per seq and in seq order per channel;
 *   `replayed` is true when it came from history.
 * - `gap` `{channel, reason, epoch, previousEpoch, from, to}`: messages `from`..`to` (inclusive) of the old state
 *   cannot be had (`reason` `evicted`: older than the retained history; `epoch`: the channel was rebuilt without its
 *   history, and `from`/`to` describe the old epoch). The application should treat its view of the channel as
 *   possibly incomplete.
 * - `typing` `{channel, user, ts}`, `transient` `{channel, user, event, ts, data}`.
 * - `reactions` `{channel, target, counts}`: the counts of one batching window (add them to what you have).
 * - `presence` `{updates: [{user, status}]}` for watched users (also after a `presence.query`).
 * - `error` a {@link SwitchboardError} the gateway sent that answers no request of this client.
 *
 * Not thread-safe in any sense that matters to JavaScript: use it from one realm (a page or a worker).
 */
export class SwitchboardClient extends Emitter {
  #options;
  #WebSocket;
  #setTimeout;
  #clearTimeout;
  #random;
  #now;
  #url;
  #state = 'idle';
  #socket = null;
  #retiring = null;
  #hello = null;
  #helloSocket = null;
  #attempt = 0;
  #reconnectTimer = null;
  #connectTimer = null;
  #heartbeatTimer = null;
  #drainTimer = null;
  #retireTimers = new Set();
  #drainStreak = 0;
  #lastReceivedAt = 0;
  #clockSkewMs = 0;
  #nextRef = 1;
  /** @type {Map<string, {resolve: Function, reject: Function, timer: any, socket: any, frame: object}>} */
  #requests = new Map();
  /** @type {{frame: object, resolve: Function, reject: Function}[]} */
  #outbox = [];
  /** @type {Map<string, ChannelCursor>} */
  #cursors = new Map();
  #extraChannels = new Set();
  #typingSentAt = new Map();
  #watchUsers = [];
  #watchSent = null;
  #watchTimer = null;
  #presence = new Map();
  #connected = null;

  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    if (!options || options.token === undefined) throw new TypeError('SwitchboardClient needs a token option');
    this.#options = { ...DEFAULTS, ...options };
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#setTimeout = options.setTimeout ?? globalThis.setTimeout.bind(globalThis);
    this.#clearTimeout = options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#url = socketUrl(options.url ?? '/ws', globalThis.location?.href ?? 'ws://localhost/');
  }

  /** @returns {string} `idle`, `connecting`, `connected`, `reconnecting`, `drained` or `closed`. */
  get state() {
    return this.#state;
  }

  /** @returns {string|null} the user this connection belongs to, once connected. */
  get user() {
    return this.#hello?.user ?? null;
  }

  /** @returns {object|null} the last `hello` frame. */
  get hello() {
    return this.#hello;
  }

  /** @returns {string} the WebSocket URL the next connection goes to. */
  get url() {
    return this.#url;
  }

  /**
   * @param {string} channel
   * @returns {{epoch: number, seq: number}|null} the epoch and last seq handed to the application.
   */
  position(channel) {
    const cursor = this.#cursors.get(channel);
    return cursor?.known ? { epoch: cursor.epoch, seq: cursor.lastSeq } : null;
  }

  /**
   * @param {string} user
   * @returns {string} last known status: `online`, `away`, `offline`, or `unknown`.
   */
  statusOf(user) {
    return this.#presence.get(user) ?? 'unknown';
  }

  /**
   * Open the connection. Resolves at the first `hello`; rejects only if the client is closed (or the token refused)
   * before that. Failures before and after are retried with backoff.
   *
   * @returns {Promise<object>} the `hello` frame.
   */
  connect() {
    if (!this.#connected) {
      this.#connected = new Promise((resolve, reject) => {
        this.once('hello', resolve);
        this.once('closed', reject);
      });
      this.#connected.catch(() => {});
      this.#setState('connecting', {});
      this.#open();
    }
    return this.#connected;
  }

  /** Close for good: no reconnect; pending requests are rejected with code `closed`. */
  close() {
    if (this.#state === 'closed') return;
    this.#clearAllTimers();
    for (const socket of [this.#socket, this.#retiring]) closeQuietly(socket, CloseCodes.NORMAL, 'client closed');
    this.#socket = null;
    this.#retiring = null;
    this.#failRequests(() => true, 'closed', 'client closed');
    for (const item of this.#outbox.splice(0)) item.reject(new SwitchboardError('closed', 'client closed'));
    this.#setState('closed', { reason: 'client closed' });
    this.emit('closed', new SwitchboardError('closed', 'client closed'));
  }

  /**
   * Publish a persistent message. While disconnected it waits in an outbox and goes out after the next `hello`; a
   * publish already sent when the connection drops is rejected with code `disconnected` (it may or may not have
   * been stored: its ack was lost).
   *
   * @param {string} channel
   * @param {any} data any JSON value.
   * @returns {Promise<{channel: string, seq: number, epoch: number, id: string}>} the ack.
   */
  publish(channel, data) {
    return this.#request({ type: 'publish', channel, data }, { queue: true });
  }

  /**
   * Say the user is typing in a channel; sends at most one `typing` per channel every `typingIntervalMs` (3 s), so
   * it can be called on every keystroke.
   *
   * @param {string} channel
   * @returns {boolean} whether a frame was sent.
   */
  typing(channel) {
    const now = this.#now();
    const last = this.#typingSentAt.get(channel);
    if (last !== undefined && now - last < this.#options.typingIntervalMs) return false;
    if (!this.#send({ type: 'typing', channel })) return false;
    this.#typingSentAt.set(channel, now);
    return true;
  }

  /**
   * Send a transient event (never stored, dropped by receivers after its TTL).
   *
   * @param {string} channel
   * @param {string} event the event's name, e.g. `cursor`.
   * @param {any} data any JSON value.
   * @returns {boolean} whether it was sent (false while disconnected).
   */
  sendTransient(channel, event, data) {
    return this.#send({ type: 'transient', channel, event, data });
  }

  /**
   * React to something in a channel; counts come back batched in `reactions` events.
   *
   * @param {string} channel
   * @param {string} target what is reacted to, usually a message id.
   * @param {string} emoji
   * @returns {boolean} whether it was sent (false while disconnected).
   */
  react(channel, target, emoji) {
    return this.#send({ type: 'react', channel, target, emoji });
  }

  /**
   * Subscribe to channels beyond those the gateway subscribes at connect; remembered across reconnects.
   *
   * @param {string[]} channels
   * @returns {Promise<object>} the `subscribed` reply.
   */
  subscribe(channels) {
    channels.forEach((channel) => this.#extraChannels.add(channel));
    return this.#request({ type: 'subscribe', channels }, { queue: true });
  }

  /**
   * Stop receiving channels.
   *
   * @param {string[]} channels
   */
  unsubscribe(channels) {
    for (const channel of channels) {
      this.#extraChannels.delete(channel);
      this.#dropCursor(channel);
    }
    this.#send({ type: 'unsubscribe', channels });
  }

  /**
   * Fetch history directly (the client already resumes on its own; this is for loading older pages).
   * The messages are returned, not emitted as `message` events.
   *
   * @param {string} channel
   * @param {{since?: number, epoch?: number, limit?: number}} [range]
   * @returns {Promise<{channel: string, epoch: number, lastSeq: number, complete: boolean, messages: object[]}>}
   */
  history(channel, { since = 0, epoch = 0, limit = this.#options.historyPageSize } = {}) {
    return this.#request({ type: 'history', channel, since, epoch, limit });
  }

  /**
   * Set the users whose presence this client wants (the whole visible set each time). Debounced by
   * `presenceDebounceMs`, capped at `maxWatchedUsers`, and sent again after every reconnect.
   *
   * @param {Iterable<string>} users
   */
  watchPresence(users) {
    this.#watchUsers = [...new Set(users)].slice(0, this.#options.maxWatchedUsers);
    if (this.#watchTimer !== null) this.#clearTimeout(this.#watchTimer);
    this.#watchTimer = this.#setTimeout(() => {
      this.#watchTimer = null;
      this.#sendWatch(false);
    }, this.#options.presenceDebounceMs);
  }

  /**
   * Ask for the status of some users once.
   *
   * @param {string[]} users
   * @returns {Promise<{updates: {user: string, status: string}[]}>}
   */
  queryPresence(users) {
    return this.#request({ type: 'presence.query', users });
  }

  /**
   * Set this user's own status.
   *
   * @param {'online'|'away'} status
   * @returns {boolean} whether it was sent.
   */
  setStatus(status) {
    return this.#send({ type: 'presence.set', status });
  }

  /**
   * Watch list elements that name users and keep `presence.watch` equal to the users whose elements are visible
   * (IntersectionObserver), picking up elements added later (MutationObserver).
   *
   * @param {Element} container the list.
   * @param {object} [options]
   * @param {string} [options.selector] elements to watch (`[data-presence-user]`).
   * @param {(element: Element) => string|null} [options.userOf] user an element shows (its `data-presence-user`).
   * @param {Element|null} [options.root] IntersectionObserver root (null: the viewport).
   * @param {string} [options.rootMargin] IntersectionObserver margin, e.g. `64px` to watch a little ahead.
   * @param {typeof IntersectionObserver} [options.IntersectionObserver]
   * @param {typeof MutationObserver} [options.MutationObserver]
   * @returns {{refresh: () => void, disconnect: () => void, visibleUsers: () => string[]}}
   */
  watchViewport(container, options = {}) {
    const {
      selector = '[data-presence-user]',
      userOf = (element) => element.getAttribute('data-presence-user'),
      root = null,
      rootMargin = '0px',
      IntersectionObserver: IO = globalThis.IntersectionObserver,
      MutationObserver: MO = globalThis.MutationObserver,
    } = options;
    const visible = new Map();
    const observed = new Set();
    const visibleUsers = () => [...new Set([...visible.values()].filter(Boolean))];
    const push = () => this.watchPresence(visibleUsers());

    const intersections = new IO((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) visible.set(entry.target, userOf(entry.target));
        else visible.delete(entry.target);
      }
      push();
    }, { root, rootMargin });

    const refresh = () => {
      for (const element of container.querySelectorAll(selector)) {
        if (!observed.has(element)) {
          observed.add(element);
          intersections.observe(element);
        } else if (visible.has(element)) {
          visible.set(element, userOf(element));
        }
      }
      for (const element of [...observed]) {
        if (!element.isConnected) {
          observed.delete(element);
          visible.delete(element);
          intersections.unobserve(element);
        }
      }
      push();
    };

    const mutations = MO ? new MO(refresh) : null;
    mutations?.observe(container, { childList: true, subtree: true });
    refresh();
    return {
      refresh,
      visibleUsers,
      disconnect: () => {
        intersections.disconnect();
        mutations?.disconnect();
        this.watchPresence([]);
      },
    };
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  async #open() {
    this.#reconnectTimer = null;
    let token;
    try {
      const { token: source } = this.#options;
      token = typeof source === 'function' ? await source() : source;
    } catch (error) {
      this.emit('error', new SwitchboardError('unavailable', `could not get a token: ${error.message ?? error}`));
      this.#scheduleReconnect('no token');
      return;
    }
    if (this.#state === 'closed') return;

    const url = new URL(this.#url);
    url.searchParams.set('token', token);
    let socket;
    try {
      socket = new this.#WebSocket(url.toString());
    } catch (error) {
      this.#scheduleReconnect(`cannot open socket: ${error.message ?? error}`);
      return;
    }
    this.#socket = socket;
    socket.onmessage = (event) => this.#onFrameText(socket, event.data);
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
    socket.onerror = () => {};
    this.#connectTimer = this.#setTimeout(() => {
      this.#connectTimer = null;
      if (this.#socket === socket && this.#helloSocket !== socket) {
        closeQuietly(socket, CLIENT_GONE_QUIET, 'no hello');
        this.#onLost(socket, 'no hello in time');
      }
    }, this.#options.connectTimeoutMs);
  }

  #onClose(socket, code, reason) {
    this.#failRequests((request) => request.socket === socket, 'disconnected', 'connection lost before the reply');
    if (socket === this.#retiring) this.#retiring = null;
    if (socket !== this.#socket || this.#state === 'closed') return;
    if (code === CloseCodes.BAD_TOKEN && typeof this.#options.token !== 'function') {
      this.#socket = null;
      const error = new SwitchboardError('forbidden', `token refused (${reason || code}); give a token function`);
      this.emit('error', error);
      this.#clearAllTimers();
      this.#setState('closed', { reason: 'token refused' });
      this.emit('closed', error);
      return;
    }
    this.#onLost(socket, `closed ${code}${reason ? ` ${reason}` : ''}`);
  }

  #onLost(socket, reason) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopSocketTimers();
    this.#failRequests((request) => request.socket === socket, 'disconnected', 'connection lost before the reply');
    for (const cursor of this.#cursors.values()) cursor.fetching = false;
    if (this.#drainTimer !== null) return; // the drain timer opens the next connection
    this.#scheduleReconnect(reason);
  }

  #scheduleReconnect(reason) {
    if (this.#state === 'closed') return;
    const delayMs = backoffDelay(this.#attempt, this.#options.backoffBaseMs, this.#options.backoffCapMs, this.#random);
    const attempt = ++this.#attempt;
    this.#setState('reconnecting', { attempt, delayMs, reason });
    this.#reconnectTimer = this.#setTimeout(() => this.#open(), delayMs);
  }

  #onHello(socket, frame) {
    if (socket !== this.#socket) return;
    this.#hello = frame;
    this.#helloSocket = socket;
    this.#attempt = 0;
    if (this.#connectTimer !== null) this.#clearTimeout(this.#connectTimer);
    this.#connectTimer = null;
    if (this.#retiring) this.#retire(this.#retiring);
    this.#setState('connected', { url: this.#url });
    this.emit('hello', frame);
    this.#startHeartbeat(socket, frame.heartbeatMs);
    if (this.#extraChannels.size > 0) {
      this.#request({ type: 'subscribe', channels: [...this.#extraChannels] }).catch(() => {});
    }
    this.#sendWatch(true);
    for (const item of this.#outbox.splice(0)) this.#sendRequest(item);
  }

  #onDrain(socket, frame) {
    if (socket !== this.#socket || this.#drainTimer !== null) return;
    const url = frame.url ? socketUrl(frame.url, this.#url) : this.#url;
    // A gateway that drains every new session (a drain url pointing back at itself) must not make us spin: drains
    // in a row add backoff until a connection lives through one heartbeat period.
    const streak = this.#drainStreak++;
    const backoffMs = streak === 0 ? 0
      : backoffDelay(streak - 1, this.#options.backoffBaseMs, this.#options.backoffCapMs, this.#random);
    const delayMs = Math.max(0, Number(frame.reconnectInMs) || 0) + backoffMs;
    this.#setState('drained', { reason: frame.reason, delayMs, url });
    this.#drainTimer = this.#setTimeout(() => this.#moveTo(url), delayMs);
  }

  /** Make before break: the drained socket keeps delivering until the new one says hello. */
  #moveTo(url) {
    this.#drainTimer = null;
    this.#url = url;
    const old = this.#socket;
    this.#stopSocketTimers();
    if (old && old.readyState <= 1) this.#retiring = old;
    this.#socket = null;
    this.#open();
  }

  /** Replies to requests sent on the drained socket may still be on their way: close it after a short grace. */
  #retire(socket) {
    const timer = this.#setTimeout(() => {
      this.#retireTimers.delete(timer);
      closeQuietly(socket, CloseCodes.NORMAL, 'moved after drain');
      this.#failRequests((request) => request.socket === socket, 'disconnected', 'connection retired');
      if (this.#retiring === socket) this.#retiring = null;
    }, RETIRE_GRACE_MS);
    this.#retireTimers.add(timer);
  }

  #startHeartbeat(socket, heartbeatMs) {
    const periodMs = Number(heartbeatMs) > 0 ? Number(heartbeatMs) : 15_000;
    const silenceLimitMs = periodMs * 2 + 2_000;
    this.#lastReceivedAt = this.#now();
    this.#ping();
    const beat = () => {
      if (socket !== this.#socket) return;
      if (this.#now() - this.#lastReceivedAt > silenceLimitMs) {
        closeQuietly(socket, CLIENT_GONE_QUIET, 'gateway went quiet');
        this.#onLost(socket, 'gateway went quiet');
        return;
      }
      this.#drainStreak = 0;
      this.#ping();
      this.#heartbeatTimer = this.#setTimeout(beat, periodMs);
    };
    this.#heartbeatTimer = this.#setTimeout(beat, periodMs);
  }

  /** A ping keeps the connection alive and, from the pong's `ts`, tells how far our clock is off the gateway's. */
  #ping() {
    const sentAt = this.#now();
    this.#request({ type: 'ping' }).then((pong) => {
      const receivedAt = this.#now();
      if (typeof pong.ts === 'number') this.#clockSkewMs = pong.ts - (sentAt + receivedAt) / 2;
    }, () => {});
  }

  #stopSocketTimers() {
    if (this.#connectTimer !== null) this.#clearTimeout(this.#connectTimer);
    if (this.#heartbeatTimer !== null) this.#clearTimeout(this.#heartbeatTimer);
    this.#connectTimer = null;
    this.#heartbeatTimer = null;
  }

  #clearAllTimers() {
    this.#stopSocketTimers();
    for (const timer of [this.#reconnectTimer, this.#drainTimer, this.#watchTimer, ...this.#retireTimers]) {
      if (timer !== null) this.#clearTimeout(timer);
    }
    this.#reconnectTimer = null;
    this.#drainTimer = null;
    this.#retireTimers.clear();
    this.#watchTimer = null;
    for (const cursor of this.#cursors.values()) this.#clearRetry(cursor);
  }

  #setState(state, details) {
    const previous = this.#state;
    this.#state = state;
    this.emit('state', { state, previous, ...details });
  }

  // ---- sending ---------------------------------------------------------------------------------------------------

  #send(frame) {
    if (!this.#isReadyOrDraining()) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #isReadyOrDraining() {
    return this.#socket !== null && this.#helloSocket === this.#socket
      && (this.#state === 'connected' || this.#state === 'drained');
  }

  #request(frame, { queue = false } = {}) {
    return new Promise((resolve, reject) => {
      const item = { frame, resolve, reject };
      if (this.#isReadyOrDraining()) this.#sendRequest(item);
      else if (queue && this.#state !== 'closed') this.#outbox.push(item);
      else reject(new SwitchboardError(this.#state === 'closed' ? 'closed' : 'disconnected', 'not connected'));
    });
  }

  #sendRequest({ frame, resolve, reject }) {
    const ref = this.#nextRef++;
    const socket = this.#socket;
    const timer = this.#setTimeout(() => {
      this.#requests.delete(String(ref));
      reject(new SwitchboardError('timeout', `no reply to ${frame.type} in ${this.#options.requestTimeoutMs} ms`,
        { ref, channel: frame.channel }));
    }, this.#options.requestTimeoutMs);
    this.#requests.set(String(ref), { resolve, reject, timer, socket, frame });
    socket.send(JSON.stringify({ ...frame, ref }));
  }

  #settle(frame) {
    if (frame.ref === undefined || frame.ref === null) return false;
    const request = this.#requests.get(String(frame.ref));
    if (!request) return false;
    this.#requests.delete(String(frame.ref));
    this.#clearTimeout(request.timer);
    if (frame.type === 'error') {
      request.reject(new SwitchboardError(frame.code, frame.message, { ref: frame.ref, channel: frame.channel }));
    } else {
      request.resolve(frame);
    }
    return true;
  }

  #failRequests(predicate, code, message) {
    for (const [ref, request] of [...this.#requests]) {
      if (!predicate(request)) continue;
      this.#requests.delete(ref);
      this.#clearTimeout(request.timer);
      request.reject(new SwitchboardError(code, `${request.frame.type}: ${message}`,
        { ref: Number(ref), channel: request.frame.channel }));
    }
  }

  #sendWatch(afterReconnect) {
    const users = this.#watchUsers;
    const key = users.join('\u0000');
    if (!afterReconnect && key === this.#watchSent) return;
    if (afterReconnect && users.length === 0) return;
    if (this.#send({ type: 'presence.watch', users })) this.#watchSent = key;
  }

  // ---- receiving -------------------------------------------------------------------------------------------------

  #onFrameText(socket, text) {
    if (socket === this.#socket) this.#lastReceivedAt = this.#now();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      console.warn('switchboard: ignoring a frame that is not JSON');
      return;
    }
    if (frame === null || typeof frame.type !== 'string') return;
    this.#onFrame(socket, frame);
  }

  #onFrame(socket, frame) {
    switch (frame.type) {
      case 'hello': return this.#onHello(socket, frame);
      case 'drain': return this.#onDrain(socket, frame);
      case 'message': return this.#onLiveMessage(frame);
      case 'subscribed': return this.#onSubscribed(frame);
      case 'typing': return this.#onTransient('typing', frame);
      case 'transient': return this.#onTransient('transient', frame);
      case 'reactions': return this.emit('reactions', { channel: frame.channel, target: frame.target,
        counts: frame.counts ?? {} });
      case 'presence': return this.#onPresence(frame);
      case 'presence.result': this.#onPresence(frame); return this.#settle(frame);
      case 'error': return this.#onError(frame);
      default: return this.#settle(frame);
    }
  }

  #onError(frame) {
    if (this.#settle(frame)) return;
    this.emit('error', new SwitchboardError(frame.code, frame.message, { ref: frame.ref, channel: frame.channel }));
  }

  #onTransient(type, frame) {
    if (typeof frame.ts === 'number' && this.#now() + this.#clockSkewMs - frame.ts > this.#options.transientTtlMs) {
      return;
    }
    const { type: _type, ...event } = frame;
    this.emit(type, event);
  }

  #onPresence(frame) {
    const updates = Array.isArray(frame.updates) ? frame.updates : [];
    for (const { user, status } of updates) this.#presence.set(user, status);
    if (updates.length > 0) this.emit('presence', { updates });
  }

  // ---- channels: ordering, dedup and resume ----------------------------------------------------------------------

  #cursor(channel) {
    let cursor = this.#cursors.get(channel);
    if (!cursor) {
      cursor = new ChannelCursor(channel);
      this.#cursors.set(channel, cursor);
    }
    return cursor;
  }

  #dropCursor(channel) {
    const cursor = this.#cursors.get(channel);
    if (cursor) this.#clearRetry(cursor);
    this.#cursors.delete(channel);
  }

  #onSubscribed(frame) {
    this.#settle(frame);
    for (const entry of frame.channels ?? []) {
      const cursor = this.#cursor(entry.channel);
      const seq = Number(entry.seq) || 0;
      const epoch = Number(entry.epoch) || 0;
      this.emit('subscribed', { channel: entry.channel, seq, epoch });
      if (!cursor.known) {
        const initial = Math.min(this.#options.initialHistory, seq);
        cursor.start(epoch, seq - initial);
        cursor.target = seq;
        cursor.initialLoad = initial > 0;
        if (cursor.initialLoad) this.#catchUp(cursor);
        continue;
      }
      // A resumed subscription: always ask, since the seq a gateway reports may lag what it has already sent.
      if (epoch === cursor.epoch) cursor.target = Math.max(cursor.target, seq);
      this.#catchUp(cursor, true);
    }
  }

  #onLiveMessage(frame) {
    const cursor = this.#cursor(frame.channel);
    const message = toMessage(frame, frame.channel, Number(frame.epoch) || 0, false);
    if (!cursor.known) cursor.start(message.epoch, message.seq - 1);
    if (message.epoch !== cursor.epoch) {
      cursor.stray.push(message);
      this.#catchUp(cursor, true);
      return;
    }
    this.#accept(cursor, message);
    this.#deliver(cursor);
    if (cursor.behind()) this.#catchUp(cursor);
  }

  #accept(cursor, message) {
    if (message.seq <= cursor.lastSeq || cursor.pending.has(message.seq)) return;
    cursor.pending.set(message.seq, message);
    cursor.target = Math.max(cursor.target, message.seq);
  }

  #deliver(cursor) {
    while (cursor.pending.has(cursor.lastSeq + 1)) {
      const message = cursor.pending.get(cursor.lastSeq + 1);
      cursor.pending.delete(cursor.lastSeq + 1);
      cursor.lastSeq += 1;
      this.emit('message', message);
    }
  }

  /**
   * Ask history for everything after lastSeq. `force` asks even when nothing is known to be missing (after a
   * reconnect, when messages may have been published while away).
   */
  #catchUp(cursor, force = false) {
    if (cursor.fetching) {
      cursor.again ||= force;
      return;
    }
    if (!this.#isReadyOrDraining() || (!force && !cursor.behind())) return;
    this.#clearRetry(cursor);
    cursor.fetching = true;
    cursor.again = false;
    const since = cursor.lastSeq;
    const epoch = cursor.epoch;
    this.#request({ type: 'history', channel: cursor.name, since, epoch, limit: this.#options.historyPageSize })
      .then((reply) => this.#onHistory(cursor, epoch, reply), (error) => this.#onHistoryFailed(cursor, error));
  }

  #onHistory(cursor, epoch, reply) {
    if (this.#cursors.get(cursor.name) !== cursor) return;
    cursor.fetching = false;
    if (epoch !== cursor.epoch) {
      this.#catchUp(cursor, true); // the epoch moved on while the request was out: ask again from where we are
      return;
    }
    const replyEpoch = Number(reply.epoch) || 0;
    const messages = (reply.messages ?? []).map((m) => toMessage(m, cursor.name, replyEpoch, true))
      .sort((a, b) => a.seq - b.seq);
    const lastSeq = Number(reply.lastSeq) || 0;
    const firstSeq = messages.length > 0 ? messages[0].seq : lastSeq + 1;

    if (replyEpoch !== cursor.epoch) {
      this.#changeEpoch(cursor, replyEpoch, firstSeq - 1);
    } else if (reply.complete === false && firstSeq > cursor.lastSeq + 1) {
      this.#skipTo(cursor, firstSeq - 1, 'evicted');
    }
    cursor.target = Math.max(cursor.target, lastSeq);
    for (const message of messages) this.#accept(cursor, message);
    const before = cursor.lastSeq;
    this.#deliver(cursor);
    cursor.initialLoad = false;

    if (cursor.again) {
      this.#catchUp(cursor, true);
    } else if (cursor.behind()) {
      if (cursor.lastSeq > before) {
        this.#catchUp(cursor);
      } else {
        // History had nothing for the hole: it is gone. Skip to what we hold (or to the channel's end).
        const held = [...cursor.pending.keys()];
        this.#skipTo(cursor, (held.length > 0 ? Math.min(...held) : cursor.target + 1) - 1, 'evicted');
        this.#deliver(cursor);
        if (cursor.behind()) this.#catchUp(cursor);
      }
    }
  }

  #onHistoryFailed(cursor, error) {
    if (this.#cursors.get(cursor.name) !== cursor) return;
    cursor.fetching = false;
    if (error.code === 'forbidden' || error.code === 'not_found' || error.code === 'closed') return;
    if (error.code !== 'disconnected') {
      this.#clearRetry(cursor);
      cursor.retryTimer = this.#setTimeout(() => {
        cursor.retryTimer = null;
        this.#catchUp(cursor, true);
      }, this.#options.historyRetryMs);
    }
  }

  #clearRetry(cursor) {
    if (cursor.retryTimer !== null) this.#clearTimeout(cursor.retryTimer);
    cursor.retryTimer = null;
  }

  #changeEpoch(cursor, epoch, lastSeq) {
    const previousEpoch = cursor.epoch;
    if (!cursor.initialLoad) {
      this.emit('gap', { channel: cursor.name, reason: 'epoch', epoch, previousEpoch,
        from: cursor.lastSeq + 1, to: Math.max(cursor.target, cursor.lastSeq) });
    }
    cursor.epoch = epoch;
    cursor.lastSeq = Math.max(0, lastSeq);
    cursor.target = cursor.lastSeq;
    cursor.pending.clear();
    for (const message of cursor.stray.splice(0)) {
      if (message.epoch === epoch) this.#accept(cursor, message);
    }
  }

  #skipTo(cursor, lastSeq, reason) {
    if (lastSeq <= cursor.lastSeq) return;
    if (!cursor.initialLoad) {
      this.emit('gap', { channel: cursor.name, reason, epoch: cursor.epoch, previousEpoch: cursor.epoch,
        from: cursor.lastSeq + 1, to: lastSeq });
    }
    cursor.lastSeq = lastSeq;
    for (const seq of [...cursor.pending.keys()]) {
      if (seq <= lastSeq) cursor.pending.delete(seq);
    }
  }
}

function toMessage(frame, channel, epoch, replayed) {
  return {
    channel,
    seq: Number(frame.seq),
    epoch,
    id: frame.id,
    user: frame.user,
    ts: frame.ts,
    data: frame.data,
    replayed,
  };
}

function closeQuietly(socket, code, reason) {
  if (!socket) return;
  try {
    socket.close(code, reason);
  } catch {
    // already closing
  }
}
