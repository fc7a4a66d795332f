// What the client knows: users, conversations, loaded messages and pending sends. Changes
// are merged by id and `version`, so the same message arriving over REST, replay and live
// frames (in any order) is kept once, in its latest state.

export const state = {
  me: null,
  users: new Map(),
  conversations: new Map(),
  current: null,
  histories: new Map(),
  pending: new Map(),
  typing: new Map(),
  reads: new Map(),
  delivered: new Map(),
  connection: 'offline',
  // Bumped by every change a conversation view shows, so views skip renders nothing needs.
  revision: 0,
};

const listeners = new Set();
let scheduled = false;

export function subscribe(listener) { listeners.add(listener); }

export function touched() {
  state.revision += 1;
  changed();
}

// Coalesces every change of one task into a single render.
export function changed() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const listener of listeners) listener();
  });
}

// Forgets the signed-in user, and the views that showed them.
export function reset() {
  listeners.clear();
  state.me = null;
  for (const key of ['users', 'conversations', 'histories', 'pending', 'typing', 'reads', 'delivered']) state[key].clear();
  state.current = null;
}

export function history(conversationId) {
  let entry = state.histories.get(conversationId);
  if (!entry) {
    entry = { byId: new Map(), hasMore: true, loaded: false };
    state.histories.set(conversationId, entry);
  }
  return entry;
}

// Loaded messages of a conversation in seq order, then its pending sends.
export function ordered(conversationId) {
  const loaded = [...history(conversationId).byId.values()].sort((a, b) => a.seq - b.seq);
  const pending = [...state.pending.values()].filter((p) => p.conversation_id === conversationId);
  return loaded.concat(pending);
}

export function upsertMessage(message) {
  const entry = history(message.conversation_id);
  const known = entry.byId.get(message.id);
  if (known && (known.version || 0) > (message.version || 0)) return false;
  entry.byId.set(message.id, message);
  if (message.client_id && message.sender_id === state.me?.id) state.pending.delete(message.client_id);
  const conversation = state.conversations.get(message.conversation_id);
  if (conversation && (!conversation.last_message || conversation.last_message.seq <= message.seq)) {
    conversation.last_message = message;
  }
  touched();
  return !known;
}

export function upsertConversation(conversation) {
  const known = state.conversations.get(conversation.id);
  const merged = { ...known, ...conversation };
  if (conversation.unread_count === undefined) merged.unread_count = known?.unread_count || 0;
  merged.mentions = known?.mentions || 0;
  if (known?.last_message && (!merged.last_message || merged.last_message.seq < known.last_message.seq)) {
    merged.last_message = known.last_message;
  }
  state.conversations.set(conversation.id, merged);
  changed();
  return merged;
}

export function rememberUser(user) {
  state.users.set(user.id, { ...state.users.get(user.id), ...user });
  if (state.me && user.id === state.me.id) state.me = { ...state.me, ...user };
  touched();
}

export function applyReaction({ conversation_id: conversationId, message_id: messageId, emoji, user_id: userId, action }) {
  const message = history(conversationId).byId.get(messageId);
  if (!message) return;
  const reactions = (message.reactions || []).map((r) => ({ ...r, user_ids: [...r.user_ids] }));
  let reaction = reactions.find((r) => r.emoji === emoji);
  if (!reaction) {
    reaction = { emoji, count: 0, user_ids: [] };
    reactions.push(reaction);
  }
  const has = reaction.user_ids.includes(userId);
  if (action === 'added' && !has) reaction.user_ids.push(userId);
  if (action === 'removed' && has) reaction.user_ids = reaction.user_ids.filter((id) => id !== userId);
  reaction.count = reaction.user_ids.length;
  message.reactions = reactions.filter((r) => r.count > 0);
  touched();
}

// The title a conversation shows: a group's own, or the other member's name.
export function titleOf(conversation) {
  if (conversation.type === 'group') return conversation.title || 'Group';
  const other = peerOf(conversation);
  return other ? nameOf(other) : 'Direct chat';
}

export function peerOf(conversation) {
  if (conversation.type !== 'direct') return null;
  const member = conversation.members.find((m) => m.user_id !== state.me?.id) || conversation.members[0];
  return member ? member.user_id : null;
}

export function nameOf(userId) {
  const user = state.users.get(userId);
  return user ? user.display_name || user.username : '…';
}

export function activityOf(conversation) {
  return conversation.last_message?.created_at || conversation.created_at;
}
