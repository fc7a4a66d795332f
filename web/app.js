// The Pace web client: boots the session, keeps one live socket, and turns server frames
// and user actions into state changes that the views render.

import { Api } from './api.js';
import { h } from './dom.js';
import { RealtimeSocket } from './socket.js';
import {
  state, changed, touched, reset, history, upsertMessage, upsertConversation, rememberUser, applyReaction, titleOf, nameOf,
} from './state.js';
import { renderAuth } from './auth.js';
import { mountShell } from './shell.js';
import { registerWorker, release, forget } from './push.js';

const root = document.getElementById('app');
const api = new Api(() => signedOut());
const socket = new RealtimeSocket(api, {
  status(value) { state.connection = value; changed(); },
  connected: (hello) => connected(hello),
  frame: (frame) => handle(frame),
});
const lookups = new Map();
let typingTimeoutMs = 6000;
// A new connection starts online; a chosen away or busy is set again on each.
let chosenPresence = 'online';

export const actions = {
  api,
  async signIn(kind, username, password, displayName) {
    const answer = kind === 'register'
      ? await api.register(username, password, displayName)
      : await api.login(username, password);
    await start(answer.user);
  },
  async signOut() {
    socket.stop();
    await release(api);
    await api.logout();
    signedOut();
  },
  // Conversations have addresses (#/c/ID), so links, reloads and the back button work.
  open(conversationId) {
    const hash = `#/c/${encodeURIComponent(conversationId)}`;
    if (location.hash === hash) return show(conversationId);
    location.hash = hash;
    return Promise.resolve();
  },
  close() {
    if (location.hash.length > 1) location.hash = '';
    state.current = null;
    changed();
  },
  async loadOlder(conversationId) {
    const entry = history(conversationId);
    if (!entry.hasMore || entry.loading) return false;
    const first = [...entry.byId.values()].reduce((low, m) => Math.min(low, m.seq), Infinity);
    entry.loading = true;
    try {
      const query = Number.isFinite(first) ? `before=${first}&` : '';
      const page = await api.get(`/conversations/${conversationId}/messages?${query}limit=50`);
      entry.hasMore = page.has_more;
      page.messages.forEach(upsertMessage);
      page.messages.forEach((m) => learnUser(m.sender_id));
      return page.messages.length > 0;
    } finally {
      entry.loading = false;
    }
  },
  send(conversationId, body, attachments = [], replyTo = null) {
    const clientId = `web-${crypto.randomUUID()}`;
    state.pending.set(clientId, {
      id: clientId, client_id: clientId, conversation_id: conversationId, sender_id: state.me.id, body,
      attachments, reply_to_id: replyTo, reactions: [], created_at: new Date().toISOString(), seq: Infinity, pending: true,
    });
    touched();
    flush();
    askForNotifications();
  },
  retry(pending) {
    pending.failed = null;
    pending.sentOn = null;
    touched();
    flush();
  },
  discard(pending) {
    state.pending.delete(pending.client_id);
    touched();
  },
  typing(conversationId, started) {
    socket.send({ type: 'typing', conversation_id: conversationId, state: started ? 'start' : 'stop' });
  },
  edit(message, body) {
    return api.patch(`/conversations/${message.conversation_id}/messages/${message.id}`, { body }).then(upsertMessage);
  },
  remove(message) {
    return api.delete(`/conversations/${message.conversation_id}/messages/${message.id}`);
  },
  react(message, emoji) {
    const mine = message.reactions?.find((r) => r.emoji === emoji)?.user_ids.includes(state.me.id);
    const path = `/conversations/${message.conversation_id}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`;
    applyReaction({ conversation_id: message.conversation_id, message_id: message.id, emoji,
                    user_id: state.me.id, action: mine ? 'removed' : 'added' });
    return mine ? api.delete(path) : api.put(path);
  },
  setPresence(presence) {
    chosenPresence = presence;
    socket.send({ type: 'presence.set', presence });
    rememberUser({ id: state.me.id, presence });
  },
  async startDirect(userId) {
    const conversation = upsertConversation(await api.post('/conversations', { type: 'direct', member_ids: [userId] }));
    await actions.open(conversation.id);
  },
  async startGroup(title, memberIds) {
    const conversation = upsertConversation(await api.post('/conversations', { type: 'group', title, member_ids: memberIds }));
    await actions.open(conversation.id);
  },
  async updateProfile(change) {
    rememberUser(await api.patch('/me', change));
  },
  learnUser,
  nameOf,
};

async function show(conversationId) {
  state.current = conversationId;
  changed();
  if (!history(conversationId).loaded) await loadLatest(conversationId);
  markRead(conversationId);
}

function route() {
  if (!state.me) return;
  const match = /^#\/c\/([^/]+)$/.exec(location.hash);
  if (match) show(decodeURIComponent(match[1])).catch(() => actions.close());
  else if (state.current != null) actions.close();
}

// Pending sends go out whenever the socket is up; after a reconnect they go again with the
// same client_id, which the server answers with the message it already stored, if it did.
function flush() {
  for (const pending of state.pending.values()) {
    if (pending.sentOn === socket.socket || pending.failed) continue;
    const frame = { type: 'message.send', conversation_id: pending.conversation_id, body: pending.body,
                    client_id: pending.client_id };
    if (pending.attachments.length) frame.attachment_ids = pending.attachments.map((a) => a.id);
    if (pending.reply_to_id) frame.reply_to_id = pending.reply_to_id;
    pending.ref = socket.send(frame);
    if (pending.ref) pending.sentOn = socket.socket;
  }
}

// A send the server refused (too long, not a member, rate limited) stays, marked, for the
// user to retry or discard.
function refused(frame) {
  const pending = [...state.pending.values()].find((p) => p.ref === frame.ref && p.sentOn === socket.socket);
  if (!pending) return;
  pending.failed = frame.error?.message || 'Not sent.';
  touched();
}

async function connected(hello) {
  typingTimeoutMs = hello.typing_timeout_ms || typingTimeoutMs;
  if (chosenPresence !== 'online') socket.send({ type: 'presence.set', presence: chosenPresence });
  const resumed = socket.since > 0;
  await loadConversations();
  if (!resumed) {
    for (const conversation of state.conversations.values()) {
      if (conversation.last_message) socket.seen(conversation.last_message);
    }
    if (state.current) await loadLatest(state.current);
  }
  flush();
}

function handle(frame) {
  switch (frame.type) {
    case 'message.new':
    case 'message.ack':
      received(frame.message);
      break;
    case 'message.updated':
    case 'message.deleted':
      upsertMessage(frame.message);
      break;
    case 'reaction':
      applyReaction(frame);
      break;
    case 'typing':
      typing(frame);
      break;
    case 'presence':
      rememberUser({ id: frame.user_id, presence: frame.presence, last_seen_at: frame.last_seen_at });
      break;
    case 'receipt':
      receipt(frame);
      break;
    case 'conversation.updated':
      if (!frame.conversation.members.some((m) => m.user_id === state.me.id)) {
        state.conversations.delete(frame.conversation.id);
        if (state.current === frame.conversation.id) actions.close();
        changed();
        break;
      }
      upsertConversation(frame.conversation);
      frame.conversation.members.forEach((m) => learnUser(m.user_id));
      break;
    case 'error':
      if (frame.error?.code === 'resync_required') resync();
      else if (frame.ref) refused(frame);
      break;
    default:
      break;
  }
}

function received(message) {
  const fresh = upsertMessage(message);
  learnUser(message.sender_id);
  stopTyping(message.conversation_id, message.sender_id);
  if (!fresh || message.sender_id === state.me.id) return;
  const conversation = state.conversations.get(message.conversation_id);
  if (!conversation) {
    loadConversations();
    return;
  }
  const visible = state.current === message.conversation_id && !document.hidden;
  if (visible) {
    markRead(message.conversation_id);
  } else {
    conversation.unread_count = (conversation.unread_count || 0) + 1;
    if (state.me.username && message.body.includes(`@${state.me.username}`)) conversation.mentions += 1;
  }
  if (document.hidden) notify(conversation, message);
  changed();
}

function typing({ conversation_id: conversationId, user_id: userId, state: value }) {
  if (userId === state.me.id) return;
  if (value === 'stop') return stopTyping(conversationId, userId);
  const people = state.typing.get(conversationId) || new Map();
  clearTimeout(people.get(userId));
  people.set(userId, setTimeout(() => stopTyping(conversationId, userId), typingTimeoutMs));
  state.typing.set(conversationId, people);
  learnUser(userId);
  changed();
}

function stopTyping(conversationId, userId) {
  const people = state.typing.get(conversationId);
  if (!people?.has(userId)) return;
  clearTimeout(people.get(userId));
  people.delete(userId);
  changed();
}

function receipt({ conversation_id: conversationId, user_id: userId, message_id: messageId, status }) {
  const message = history(conversationId).byId.get(messageId);
  if (status === 'read') {
    const reads = state.reads.get(conversationId) || new Map();
    const seq = message?.seq ?? 0;
    if ((reads.get(userId) || 0) < seq) reads.set(userId, seq);
    state.reads.set(conversationId, reads);
  } else {
    state.delivered.set(messageId, (state.delivered.get(messageId) || new Set()).add(userId));
  }
  touched();
}

function markRead(conversationId) {
  const conversation = state.conversations.get(conversationId);
  const last = [...history(conversationId).byId.values()].reduce((top, m) => (!top || m.seq > top.seq ? m : top), null);
  if (!conversation || !last || document.hidden) return;
  if (conversation.unread_count || conversation.mentions || conversation.readUpTo !== last.id) {
    conversation.unread_count = 0;
    conversation.mentions = 0;
    conversation.readUpTo = last.id;
    if (!socket.send({ type: 'read', conversation_id: conversationId, message_id: last.id })) {
      api.post(`/conversations/${conversationId}/read`, { message_id: last.id }).catch(() => {});
    }
    changed();
  }
}

async function loadConversations() {
  const answer = await api.get('/conversations');
  for (const conversation of answer.conversations) {
    upsertConversation(conversation);
    conversation.members.forEach((m) => learnUser(m.user_id));
  }
  // The count may predate a read marker this page has just sent for the open conversation.
  const open = state.conversations.get(state.current);
  if (open && !document.hidden) {
    open.unread_count = 0;
    open.mentions = 0;
  }
}

async function loadLatest(conversationId) {
  const entry = history(conversationId);
  const page = await api.get(`/conversations/${conversationId}/messages?limit=50`);
  entry.loaded = true;
  entry.hasMore = page.has_more;
  page.messages.forEach(upsertMessage);
  page.messages.forEach((m) => learnUser(m.sender_id));
  touched();
}

async function resync() {
  state.histories.clear();
  socket.since = 0;
  await loadConversations();
  if (state.current) await loadLatest(state.current);
}

// Users are fetched once each, the first time an id shows up.
function learnUser(userId) {
  if (!userId || state.users.has(userId) || lookups.has(userId)) return;
  lookups.set(userId, api.get(`/users/${userId}`).then(rememberUser).catch(() => lookups.delete(userId)));
}

function notify(conversation, message) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const notice = new Notification(titleOf(conversation), {
    body: message.deleted ? '' : `${nameOf(message.sender_id)}: ${message.body || 'an attachment'}`,
    tag: `pace-${conversation.id}`,
  });
  notice.onclick = () => { window.focus(); actions.open(conversation.id); notice.close(); };
}

function askForNotifications() {
  if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission();
}

async function start(user) {
  reset();
  chosenPresence = 'online';
  state.me = user;
  rememberUser(user);
  mountShell(root, actions);
  socket.start();
  registerWorker();
  route();
}

function signedOut() {
  socket.stop();
  forget();
  reset();
  renderAuth(root, actions);
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) return;
  socket.wake();
  if (state.current) markRead(state.current);
});
window.addEventListener('online', () => socket.wake());
window.addEventListener('hashchange', route);
// A clicked notification (sw.js) asks an open page to show its conversation.
navigator.serviceWorker?.addEventListener('message', (event) => {
  if (event.data?.type === 'open-conversation' && state.me) actions.open(String(event.data.conversation_id));
});

async function boot(attempt = 0) {
  const code = attempt === 0 ? new URLSearchParams(location.search).get('code') : null;
  if (code) {
    // The code works once: off the address first, so a reload or a bookmark never replays it.
    history.replaceState(null, '', location.pathname + location.hash);
    await api.redeemSignInCode(code).catch(() => {});
  }
  if (!api.signedIn) return renderAuth(root, actions);
  try {
    await start(await api.get('/me'));
  } catch {
    if (!api.signedIn) return renderAuth(root, actions);
    // The server is unreachable (restarting, or the network is down): say so, and try again.
    root.replaceChildren(h('p', { class: 'placeholder', id: 'unreachable', text: 'Cannot reach the server. Trying again…' }));
    setTimeout(() => boot(attempt + 1), Math.min(8000, 500 * 2 ** attempt));
  }
}

boot();
