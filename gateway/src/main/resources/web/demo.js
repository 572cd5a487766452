// The Switchboard demo page: a small chat built only on /switchboard.js. Everything the page shows comes from the
// client's events; the page keeps no state the gateway does not also know, except reaction totals (reactions are
// never stored, so a page counts the batches it has seen).

import { SwitchboardClient, fetchDevToken } from './switchboard.js';

const params = new URLSearchParams(location.search);
const API_KEY = params.get('apiKey') || undefined;
const CHANNELS = (params.get('channels') || 'general,random,engineering').split(',').map((c) => c.trim())
  .filter(Boolean);
const ROSTER = ['ada', 'alan', 'barbara', 'dennis', 'edsger', 'frances', 'grace', 'hedy', 'joan', 'katherine',
  'ken', 'leslie', 'linus', 'margaret', 'niklaus', 'radia', 'shafi', 'tim', 'tony', 'vint'];
const EMOJI = ['👍', '❤️', '🎉', '😂'];
const TYPING_SHOWN_MS = 4_500;
const INITIAL_HISTORY = 50;
const NAME_PATTERN = /^[a-z0-9_.-]{1,32}$/;
const USER_KEY = 'switchboard.demo.user';
const CHANNEL_KEY = 'switchboard.demo.channel';

const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);

const view = {
  join: byTestId('join-screen'),
  joinForm: byTestId('join-form'),
  nameInput: byTestId('name-input'),
  suggestions: byTestId('name-suggestions'),
  joinButton: byTestId('join-button'),
  joinError: byTestId('join-error'),
  app: byTestId('app'),
  channelList: byTestId('channel-list'),
  meAvatar: byTestId('me-avatar'),
  meName: byTestId('me-name'),
  status: byTestId('status-line'),
  signOut: byTestId('sign-out'),
  channelName: document.querySelector('.channel-name'),
  channelMeta: byTestId('channel-meta'),
  peopleToggle: byTestId('people-toggle'),
  scroller: byTestId('message-scroller'),
  messages: byTestId('message-list'),
  empty: byTestId('empty-channel'),
  typing: byTestId('typing-indicator'),
  composer: byTestId('composer'),
  composerInput: byTestId('composer-input'),
  notice: byTestId('notice'),
  members: byTestId('member-list'),
  onlineCount: byTestId('online-count'),
  messageTemplate: document.getElementById('message-template'),
};

const app = {
  client: null,
  me: null,
  active: null,
  /** @type {Map<string, {items: object[], unread: number}>} */
  channels: new Map(),
  /** @type {Map<string, Map<string, number>>} `${channel} ${target}` → emoji → total */
  reactions: new Map(),
  /** @type {Map<string, Map<string, number>>} channel → user → typing shown until */
  typing: new Map(),
  people: new Set(ROSTER),
  typingTimer: null,
  joinedAt: Date.now(),
};

// ---- joining --------------------------------------------------------------------------------------------------

function showJoin() {
  view.join.hidden = false;
  view.app.hidden = true;
  const picks = [...ROSTER].sort(() => Math.random() - 0.5).slice(0, 6);
  view.suggestions.replaceChildren(...picks.map((name) => {
    const chip = el('button', { type: 'button', className: 'suggestion', textContent: name });
    chip.addEventListener('click', () => {
      view.nameInput.value = name;
      view.nameInput.focus();
    });
    return chip;
  }));
  view.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    join(view.nameInput.value.trim().toLowerCase());
  });
}

async function join(name) {
  if (!NAME_PATTERN.test(name)) {
    showJoinError('Use 1 to 32 lowercase letters, digits, dots, dashes or underscores.');
    return;
  }
  view.joinButton.disabled = true;
  view.joinError.hidden = true;
  let firstToken;
  try {
    firstToken = await requestToken(name);
  } catch (error) {
    const hint = /40[13]/.test(error.message) && !API_KEY ? ' This gateway wants an API key: add ?apiKey=… to the address.' : '';
    showJoinError(`Could not get a token. ${error.message}.${hint}`);
    view.joinButton.disabled = false;
    return;
  }
  sessionStorage.setItem(USER_KEY, name);
  start(name, firstToken);
}

function showJoinError(text) {
  view.joinError.textContent = text;
  view.joinError.hidden = false;
}

function requestToken(user) {
  return fetchDevToken({ user, channels: CHANNELS, apiKey: API_KEY });
}

// ---- the client -----------------------------------------------------------------------------------------------

function start(name, firstToken) {
  app.me = name;
  app.people.add(name);
  let unused = firstToken;
  let last = firstToken;
  const client = new SwitchboardClient({
    // A fresh token for every connection, so a reconnect an hour later still gets in. When the page's own gateway
    // cannot issue one (it was drained and is going away), the last token still opens the next gateway.
    token: async () => {
      if (unused) {
        unused = null;
        return last;
      }
      try {
        last = await requestToken(name);
      } catch (error) {
        console.warn('switchboard demo: no fresh token, reusing the last one', error);
      }
      return last;
    },
    initialHistory: INITIAL_HISTORY,
  });
  app.client = client;
  window.switchboardDemo = { client, app };

  client.on('state', renderStatus);
  client.on('hello', onHello);
  client.on('message', onMessage);
  client.on('gap', onGap);
  client.on('subscribed', ({ channel }) => channel === app.active && renderChannelMeta());
  client.on('typing', onTyping);
  client.on('reactions', onReactions);
  client.on('presence', ({ updates }) => updates.forEach(({ user }) => renderMember(user)));
  client.on('error', (error) => showNotice(`${error.code}: ${error.message}`));

  view.join.hidden = true;
  view.app.hidden = false;
  view.meName.textContent = name;
  paintAvatar(view.meAvatar, name);
  renderMembers();
  client.watchViewport(view.members);
  wireComposer();
  client.connect();
}

function onHello(hello) {
  const allowed = hello.channels.length > 0 ? hello.channels : CHANNELS;
  for (const name of allowed) {
    if (!app.channels.has(name)) app.channels.set(name, { items: [], unread: 0 });
  }
  const remembered = sessionStorage.getItem(CHANNEL_KEY);
  const preferred = [app.active, remembered, ...CHANNELS].find((name) => name && app.channels.has(name));
  selectChannel(preferred ?? allowed[0]);
  view.status.dataset.session = `${hello.gateway}/${hello.session}`;
  view.status.dataset.gateway = hello.gateway;
}

function renderStatus({ state, attempt, delayMs, reason }) {
  view.status.dataset.state = state;
  if (state === 'drained') view.status.dataset.drains = String(Number(view.status.dataset.drains ?? 0) + 1);
  const text = {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: `Reconnecting${delayMs >= 1_000 ? ` in ${Math.round(delayMs / 1_000)} s` : '…'}${attempt > 1 ? ` (try ${attempt})` : ''}`,
    drained: 'Drained · moving to another gateway…',
    closed: `Disconnected${reason ? ` · ${reason}` : ''}`,
  }[state] ?? state;
  view.status.querySelector('.status-text').textContent = text;
  const where = state === 'connected' ? ` to ${app.client.hello?.gateway} as session ${app.client.hello?.session}` : '';
  view.status.title = `${text}${where}${reason ? ` (${reason})` : ''}`;
  view.composerInput.placeholder = state === 'closed' ? 'Disconnected' : `Message #${app.active ?? ''}`;
}

// ---- channels -------------------------------------------------------------------------------------------------

function selectChannel(name) {
  app.active = name;
  sessionStorage.setItem(CHANNEL_KEY, name);
  const channel = app.channels.get(name);
  if (channel) channel.unread = 0;
  view.channelName.textContent = name;
  view.composerInput.placeholder = `Message #${name}`;
  renderChannels();
  renderMessages();
  renderTyping();
  renderChannelMeta();
}

function renderChannels() {
  view.channelList.replaceChildren(...[...app.channels].map(([name, channel]) => {
    const button = el('button', { type: 'button' },
      el('span', { className: 'hash', textContent: '#' }), el('span', { textContent: name }));
    if (channel.unread > 0) button.append(el('span', { className: 'badge', textContent: String(channel.unread) }));
    button.addEventListener('click', () => selectChannel(name));
    const item = el('li', {}, button);
    item.dataset.testid = 'channel-item';
    item.dataset.channel = name;
    item.classList.toggle('active', name === app.active);
    item.classList.toggle('unread', channel.unread > 0);
    return item;
  }));
}

function renderChannelMeta() {
  const position = app.client?.position(app.active);
  const count = app.channels.get(app.active)?.items.filter((item) => item.kind === 'message').length ?? 0;
  view.channelMeta.textContent = position
    ? `${count} message${count === 1 ? '' : 's'} here · seq ${position.seq} · epoch ${position.epoch}`
    : 'Joining…';
}

// ---- messages -------------------------------------------------------------------------------------------------

function onMessage(message) {
  const channel = channelState(message.channel);
  channel.items.push({ kind: 'message', ...message });
  app.people.add(message.user);
  clearTyping(message.channel, message.user);
  if (!view.members.querySelector(memberSelector(message.user))) renderMembers();
  if (message.channel === app.active) {
    appendItem(channel.items.at(-1), channel.items.at(-2), !message.replayed);
    renderChannelMeta();
  } else if (message.user !== app.me && message.ts >= app.joinedAt) {
    channel.unread += 1;
    renderChannels();
  }
}

function onGap({ channel: name, reason, from, to }) {
  const channel = channelState(name);
  const text = reason === 'epoch'
    ? 'This channel was rebuilt without its history: earlier messages may be missing.'
    : `${to - from + 1} message${to === from ? '' : 's'} from while you were away could not be loaded.`;
  channel.items.push({ kind: 'gap', text });
  if (name === app.active) appendItem(channel.items.at(-1), null, false);
}

function channelState(name) {
  if (!app.channels.has(name)) {
    app.channels.set(name, { items: [], unread: 0 });
    renderChannels();
  }
  return app.channels.get(name);
}

function renderMessages() {
  const items = app.channels.get(app.active)?.items ?? [];
  view.messages.replaceChildren();
  items.forEach((item, i) => appendItem(item, items[i - 1], false));
  view.empty.hidden = items.length > 0;
  scrollToEnd(true);
}

function appendItem(item, previous, fresh) {
  const stick = isNearEnd();
  view.empty.hidden = true;
  if (item.kind === 'gap') {
    const note = el('li', { className: 'gap-notice', textContent: item.text });
    note.dataset.testid = 'gap-notice';
    view.messages.append(note);
  } else {
    view.messages.append(renderMessage(item, previous, fresh));
  }
  scrollToEnd(stick);
}

function renderMessage(message, previous, fresh) {
  const node = view.messageTemplate.content.firstElementChild.cloneNode(true);
  Object.assign(node.dataset, { seq: String(message.seq), user: message.user, id: message.id });
  const continued = previous?.kind === 'message' && previous.user === message.user && message.ts - previous.ts < 5 * 60_000;
  node.classList.toggle('continued', continued);
  node.classList.toggle('fresh', fresh);
  paintAvatar(node.querySelector('.avatar'), message.user);
  node.querySelector('.author').textContent = message.user;
  const time = node.querySelector('time');
  const date = new Date(message.ts);
  time.dateTime = date.toISOString();
  time.textContent = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  time.title = date.toLocaleString();
  node.querySelector('.message-text').textContent = textOf(message.data);
  renderReactions(node.querySelector('.reactions'), message.channel, message.id, false);
  renderReactBar(node.querySelector('.react-bar'), message.channel, message.id);
  return node;
}

function textOf(data) {
  if (typeof data === 'string') return data;
  if (data && typeof data.text === 'string') return data.text;
  return JSON.stringify(data);
}

function isNearEnd() {
  const { scrollTop, scrollHeight, clientHeight } = view.scroller;
  return scrollHeight - scrollTop - clientHeight < 80;
}

function scrollToEnd(really) {
  if (really) view.scroller.scrollTop = view.scroller.scrollHeight;
}

function wireComposer() {
  view.composer.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = view.composerInput.value.trim();
    if (!text || !app.active) return;
    view.composerInput.value = '';
    hideNotice();
    try {
      await app.client.publish(app.active, { text });
    } catch (error) {
      showNotice(`Not sent (${error.code}): ${error.message}`);
      if (!view.composerInput.value) view.composerInput.value = text;
    }
  });
  view.composerInput.addEventListener('input', () => {
    if (view.composerInput.value.trim() && app.active) app.client.typing(app.active);
  });
  view.signOut.addEventListener('click', () => {
    app.client.close();
    sessionStorage.removeItem(USER_KEY);
    location.reload();
  });
  view.peopleToggle.addEventListener('click', () => {
    const shown = view.app.classList.toggle('show-people');
    view.peopleToggle.setAttribute('aria-expanded', String(shown));
  });
}

function showNotice(text) {
  view.notice.textContent = text;
  view.notice.hidden = false;
}

function hideNotice() {
  view.notice.hidden = true;
}

// ---- reactions ------------------------------------------------------------------------------------------------

function onReactions({ channel, target, counts }) {
  const key = `${channel} ${target}`;
  if (!app.reactions.has(key)) app.reactions.set(key, new Map());
  const totals = app.reactions.get(key);
  for (const [emoji, count] of Object.entries(counts)) totals.set(emoji, (totals.get(emoji) ?? 0) + Number(count));
  if (channel !== app.active) return;
  const message = view.messages.querySelector(`[data-testid="message"][data-id="${CSS.escape(target)}"]`);
  if (message) renderReactions(message.querySelector('.reactions'), channel, target, true);
}

function renderReactions(container, channel, target, bump) {
  const totals = app.reactions.get(`${channel} ${target}`) ?? new Map();
  const previous = new Map([...container.children].map((pill) => [pill.dataset.emoji, Number(pill.dataset.count)]));
  const counted = [...totals].filter(([, count]) => count > 0);
  container.replaceChildren(...counted.map(([emoji, count]) => {
    const pill = reactionButton(channel, target, emoji, 'reaction');
    pill.append(el('span', { className: 'count', textContent: String(count) }));
    Object.assign(pill.dataset, { testid: 'reaction-count', emoji, count: String(count) });
    pill.title = `${count} × ${emoji}: add yours`;
    pill.classList.toggle('bump', bump && count > (previous.get(emoji) ?? 0));
    return pill;
  }));
}

function renderReactBar(container, channel, target) {
  container.replaceChildren(...EMOJI.map((emoji) => {
    const button = reactionButton(channel, target, emoji, '');
    Object.assign(button.dataset, { testid: 'reaction-button', emoji });
    button.title = `React with ${emoji}`;
    return button;
  }));
}

function reactionButton(channel, target, emoji, className) {
  const button = el('button', { type: 'button', className }, el('span', { className: 'emoji', textContent: emoji }));
  button.addEventListener('click', () => app.client.react(channel, target, emoji));
  return button;
}

// ---- typing ---------------------------------------------------------------------------------------------------

function onTyping({ channel, user }) {
  if (user === app.me) return;
  if (!app.typing.has(channel)) app.typing.set(channel, new Map());
  app.typing.get(channel).set(user, Date.now() + TYPING_SHOWN_MS);
  if (!app.people.has(user)) {
    app.people.add(user);
    renderMembers();
  }
  renderTyping();
}

function clearTyping(channel, user) {
  if (app.typing.get(channel)?.delete(user)) renderTyping();
}

function renderTyping() {
  const now = Date.now();
  const typists = app.typing.get(app.active) ?? new Map();
  for (const [user, until] of typists) if (until <= now) typists.delete(user);
  const names = [...typists.keys()].sort();
  view.typing.dataset.users = names.join(',');
  if (names.length === 0) {
    view.typing.replaceChildren();
  } else {
    const who = names.length === 1 ? `${names[0]} is typing`
      : names.length === 2 ? `${names[0]} and ${names[1]} are typing`
        : 'Several people are typing';
    const dots = el('span', { className: 'typing-dots' }, el('i'), el('i'), el('i'));
    view.typing.replaceChildren(dots, el('span', { textContent: who }));
  }
  const anyone = [...app.typing.values()].some((users) => users.size > 0);
  clearTimeout(app.typingTimer);
  app.typingTimer = anyone ? setTimeout(renderTyping, 500) : null;
}

// ---- people ---------------------------------------------------------------------------------------------------

function memberSelector(user) {
  return `[data-testid="member"][data-user="${CSS.escape(user)}"]`;
}

function renderMembers() {
  const others = [...app.people].filter((user) => user !== app.me).sort();
  const users = app.me ? [app.me, ...others] : others;
  view.members.replaceChildren(...users.map((user) => {
    const item = el('li', { className: 'member' },
      el('span', { className: 'presence-dot' }),
      el('span', { className: 'member-name', textContent: user }));
    if (user === app.me) item.append(el('span', { className: 'you', textContent: 'you' }));
    Object.assign(item.dataset, { testid: 'member', user, presenceUser: user });
    paintStatus(item, user);
    return item;
  }));
  renderOnlineCount();
}

function renderMember(user) {
  const item = view.members.querySelector(memberSelector(user));
  if (item) paintStatus(item, user);
  renderOnlineCount();
}

function paintStatus(item, user) {
  const status = app.client?.statusOf(user) ?? 'unknown';
  item.dataset.status = status;
  item.title = `${user}: ${status === 'unknown' ? 'not seen yet' : status}`;
}

function renderOnlineCount() {
  const online = view.members.querySelectorAll('[data-status="online"]').length;
  view.onlineCount.textContent = online > 0 ? `${online} online` : '';
}

// ---- small helpers --------------------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function paintAvatar(node, user) {
  let hash = 0;
  for (const ch of user) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  node.style.background = `hsl(${hash % 360} 42% 52%)`;
  node.textContent = [...user][0] ?? '?';
}

// ---- go -------------------------------------------------------------------------------------------------------

const remembered = params.get('user') || sessionStorage.getItem(USER_KEY);
showJoin();
if (remembered && NAME_PATTERN.test(remembered)) {
  view.nameInput.value = remembered;
  join(remembered);
}
