// A stand-in for the Switchboard gateway, for checking the demo page and demo-e2e.mjs without the Java server:
// one Node process, in memory, no dependencies. It plays the client protocol v1 (DESIGN.md "Client protocol") and
// the few HTTP routes the page and the browser test use. It is NOT the gateway: no hosts, no limits, no signatures.
//
//   node src/test/browser/fake-gateway.mjs [port]        (default 8080; FAKE_API_KEY=k to demand an API key)
//
// Routes: GET / and static files from src/main/resources/web, POST /api/tokens {user, channels} → {token},
// POST /api/publish {channel, user, data} → ack, POST /admin/drain {reconnectInMs, url, graceMs} → {sessions},
// GET /health, WebSocket /ws?token=…

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_ROOT = fileURLToPath(new URL('../../main/resources/web/', import.meta.url));
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const REACTION_WINDOW_MS = 100;

/**
 * @param {{port?: number, apiKey?: string, log?: (line: string) => void}} [options]
 * @returns {Promise<{url: string, close: () => Promise<void>, sessions: Set<object>}>}
 */
export async function startFakeGateway({ port = 0, apiKey = process.env.FAKE_API_KEY, log = () => {} } = {}) {
  const sessions = new Set();
  const channels = new Map();
  const connections = new Map();
  const watchers = new Map();
  const reactionWindows = new Map();
  let nextSession = 1;
  let nextMessage = 1;

  const channel = (name) => {
    if (!channels.has(name)) channels.set(name, { name, seq: 0, epoch: 1, history: [], subscribers: new Set() });
    return channels.get(name);
  };
  const statusOf = (user) => ((connections.get(user) ?? 0) > 0 ? 'online' : 'offline');
  const authorised = (req) => !apiKey || req.headers.authorization === `Bearer ${apiKey}`;

  function publish(name, user, data) {
    const ch = channel(name);
    const entry = { seq: ++ch.seq, id: `m${nextMessage++}`, user, ts: Date.now(), data };
    ch.history.push(entry);
    for (const session of ch.subscribers) send(session, { type: 'message', channel: name, epoch: ch.epoch, ...entry });
    return { channel: name, seq: entry.seq, epoch: ch.epoch, id: entry.id };
  }

  function presenceChanged(user) {
    const update = { type: 'presence', updates: [{ user, status: statusOf(user) }] };
    for (const session of watchers.get(user) ?? []) send(session, update);
  }

  function react(name, target, emoji) {
    const key = `${name}\u0000${target}`;
    if (!reactionWindows.has(key)) {
      reactionWindows.set(key, new Map());
      setTimeout(() => {
        const counts = Object.fromEntries(reactionWindows.get(key));
        reactionWindows.delete(key);
        for (const session of channel(name).subscribers) send(session, { type: 'reactions', channel: name, target, counts });
      }, REACTION_WINDOW_MS);
    }
    const window = reactionWindows.get(key);
    window.set(emoji, (window.get(emoji) ?? 0) + 1);
  }

  function history(name, since, epoch, limit) {
    const ch = channel(name);
    const epochMatches = epoch === ch.epoch || (epoch === 0 && since === 0);
    const from = epochMatches ? since : 0;
    const after = ch.history.filter((m) => m.seq > from);
    return { channel: name, epoch: ch.epoch, lastSeq: ch.seq, complete: epochMatches,
      messages: after.slice(0, Math.max(1, limit || 100)) };
  }

  function onFrame(session, frame) {
    const { ref } = frame;
    const allowed = (name) => session.channels.has(name);
    const refuse = (name) => send(session, { type: 'error', code: 'forbidden', message: `not allowed in ${name}`, ref,
      channel: name });
    switch (frame.type) {
      case 'ping': return send(session, { type: 'pong', ref, ts: Date.now() });
      case 'publish':
        if (!allowed(frame.channel)) return refuse(frame.channel);
        return send(session, { type: 'ack', ...publish(frame.channel, session.user, frame.data), ref });
      case 'typing':
        if (!allowed(frame.channel)) return refuse(frame.channel);
        for (const other of channel(frame.channel).subscribers) {
          send(other, { type: 'typing', channel: frame.channel, user: session.user, ts: Date.now() });
        }
        return undefined;
      case 'react':
        if (!allowed(frame.channel)) return refuse(frame.channel);
        return react(frame.channel, frame.target, frame.emoji);
      case 'history':
        if (!allowed(frame.channel)) return refuse(frame.channel);
        return send(session, { type: 'history', ...history(frame.channel, frame.since ?? 0, frame.epoch ?? 0,
          frame.limit), ref });
      case 'subscribe': {
        const refused = frame.channels.filter((name) => !allowed(name));
        if (refused.length > 0) return refuse(refused.join(', '));
        frame.channels.forEach((name) => channel(name).subscribers.add(session));
        return send(session, { type: 'subscribed', ref, channels: frame.channels.map((name) =>
          ({ channel: name, seq: channel(name).seq, epoch: channel(name).epoch })) });
      }
      case 'presence.watch': {
        const users = new Set((frame.users ?? []).slice(0, 500));
        for (const user of session.watch) if (!users.has(user)) watchers.get(user)?.delete(session);
        const added = [...users].filter((user) => !session.watch.has(user));
        for (const user of added) {
          if (!watchers.has(user)) watchers.set(user, new Set());
          watchers.get(user).add(session);
        }
        session.watch = users;
        if (added.length > 0) send(session, { type: 'presence', updates: added.map((user) => ({ user, status: statusOf(user) })) });
        return undefined;
      }
      default:
        return send(session, { type: 'error', code: 'unknown_type', message: `unknown type ${frame.type}`, ref });
    }
  }

  function open(socket, token) {
    let claims;
    try {
      claims = JSON.parse(Buffer.from(token ?? '', 'base64url').toString());
    } catch {
      claims = null;
    }
    if (!claims?.user) {
      socket.end(closeFrame(4001, 'bad token'));
      return;
    }
    const session = { id: nextSession++, user: claims.user, channels: new Set(claims.channels ?? []), watch: new Set(),
      socket, closed: false };
    sessions.add(session);
    log(`open session ${session.id} for ${session.user}`);
    send(session, { type: 'hello', user: session.user, session: String(session.id), gateway: 'fake-gateway',
      region: 'local', channels: [...session.channels].sort(), heartbeatMs: 15_000 });
    connections.set(session.user, (connections.get(session.user) ?? 0) + 1);
    if (connections.get(session.user) === 1) presenceChanged(session.user);
    const names = [...session.channels].sort();
    names.forEach((name) => channel(name).subscribers.add(session));
    send(session, { type: 'subscribed', ref: null, channels: names.map((name) =>
      ({ channel: name, seq: channel(name).seq, epoch: channel(name).epoch })) });

    readFrames(socket, (opcode, payload) => {
      if (opcode === 1) {
        try {
          onFrame(session, JSON.parse(payload.toString('utf8')));
        } catch (error) {
          send(session, { type: 'error', code: 'bad_request', message: String(error.message), ref: null });
        }
      } else if (opcode === 8) {
        if (!socket.destroyed) socket.end(closeFrame(1000, ''));
      } else if (opcode === 9) {
        socket.write(encodeFrame(0xA, payload));
      }
    });
    const gone = () => {
      if (session.closed) return;
      session.closed = true;
      sessions.delete(session);
      log(`close session ${session.id} for ${session.user}`);
      for (const ch of channels.values()) ch.subscribers.delete(session);
      for (const user of session.watch) watchers.get(user)?.delete(session);
      connections.set(session.user, connections.get(session.user) - 1);
      if (connections.get(session.user) === 0) presenceChanged(session.user);
    };
    socket.on('close', gone);
    socket.on('error', gone);
  }

  function drain({ reconnectInMs = 500, url = null, graceMs = 5_000 } = {}) {
    const drained = [...sessions];
    for (const session of drained) {
      send(session, { type: 'drain', reason: 'fake gateway draining', reconnectInMs: Math.floor(Math.random() * reconnectInMs),
        url });
    }
    setTimeout(() => drained.forEach((session) => !session.closed && session.socket.end(closeFrame(1001, 'drained'))),
      graceMs);
    return drained.length;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      if (req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        if (url.pathname === '/api/tokens') {
          if (!authorised(req)) return reply(res, 401, { error: 'api key required' });
          const token = Buffer.from(JSON.stringify({ user: body.user, channels: body.channels ?? [] })).toString('base64url');
          return reply(res, 200, { token });
        }
        if (!authorised(req)) return reply(res, 401, { error: 'api key required' });
        if (url.pathname === '/api/publish') return reply(res, 200, publish(body.channel, body.user ?? 'api', body.data));
        if (url.pathname === '/admin/drain') return reply(res, 200, { sessions: drain(body) });
        return reply(res, 404, { error: 'not found' });
      }
      if (url.pathname === '/health') return reply(res, 200, { status: 'ok' });
      const path = normalize(join(WEB_ROOT, url.pathname === '/' ? 'index.html' : url.pathname));
      if (!path.startsWith(WEB_ROOT)) return reply(res, 404, { error: 'not found' });
      const content = await readFile(path);
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      return res.end(content);
    } catch (error) {
      return reply(res, error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 500, { error: String(error.message) });
    }
  });

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url, 'http://localhost');
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== '/ws' || !key) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    open(socket, url.searchParams.get('token'));
  });

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${server.address().port}`;
  return {
    url: address,
    sessions,
    close: () => new Promise((resolve) => {
      for (const session of sessions) session.socket.destroy();
      server.close(() => resolve());
    }),
  };
}

function send(session, frame) {
  if (!session.closed && !session.socket.destroyed) session.socket.write(encodeFrame(1, Buffer.from(JSON.stringify(frame))));
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function encodeFrame(opcode, payload) {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length])
    : length < 65_536 ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length) {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

function closeFrame(code, reason) {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return encodeFrame(8, payload);
}

/** Client frames are masked and, from browsers, unfragmented for our sizes; continuation frames are not handled. */
function readFrames(socket, onFrame) {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const opcode = buffered[0] & 0x0f;
      let length = buffered[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (buffered[1] & 0x80) !== 0;
      const end = offset + (masked ? 4 : 0) + length;
      if (buffered.length < end) return;
      const payload = Buffer.from(buffered.subarray(end - length, end));
      if (masked) {
        const mask = buffered.subarray(offset, offset + 4);
        for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      }
      buffered = buffered.subarray(end);
      onFrame(opcode, payload);
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const gateway = await startFakeGateway({ port: Number(process.argv[2] ?? 8080), log: console.log });
  console.log(`fake gateway on ${gateway.url} (web root ${WEB_ROOT})`);
}
