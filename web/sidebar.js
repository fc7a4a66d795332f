// The conversation list (unread and mention badges, presence dots, last message) and the
// message search that replaces it while a query is typed.

import { h, clear, timeOf } from './dom.js';
import { state, subscribe, titleOf, peerOf, nameOf, activityOf } from './state.js';
import { avatar } from './avatar.js';

export function mountSidebar(root, actions, { newChat, newGroup }) {
  const search = h('input', { id: 'search', type: 'search', placeholder: 'Search messages', 'aria-label': 'Search messages' });
  const list = h('ul', { class: 'conversations', id: 'conversation-list' });
  const results = h('ul', { class: 'results', id: 'search-results', hidden: true });
  root.append(
    h('div', { class: 'sidebar-tools' },
      search,
      h('button', { id: 'new-direct', onclick: newChat, text: 'New chat' }),
      h('button', { id: 'new-group', onclick: newGroup, text: 'New group' })),
    list, results);

  let timer = null;
  let generation = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    const query = search.value.trim();
    if (!query) {
      results.hidden = true;
      list.hidden = false;
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++generation;
      const answer = await actions.api.get(`/search/messages?q=${encodeURIComponent(query)}&limit=30`).catch(() => ({ messages: [] }));
      if (mine !== generation) return;
      renderResults(results, answer.messages, actions);
      results.hidden = false;
      list.hidden = true;
    }, 250);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { search.value = ''; search.dispatchEvent(new Event('input')); }
  });

  subscribe(() => {
    if (!state.me) return;
    // A keyboard user's place in the list survives the re-render.
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    renderList(list, actions);
    if (focused) list.querySelector(`.conv-item[data-id="${CSS.escape(focused)}"]`)?.focus();
  });
}

function renderList(list, actions) {
  const conversations = [...state.conversations.values()].sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
  if (conversations.length === 0) {
    clear(list).append(h('li', { class: 'empty', text: 'No conversations yet. Start one with “New chat”.' }));
    return;
  }
  clear(list).append(...conversations.map((conversation) => {
    const peer = peerOf(conversation);
    const user = peer ? state.users.get(peer) : null;
    const last = conversation.last_message;
    const preview = !last ? 'No messages yet'
      : last.deleted ? 'Message deleted'
      : last.kind === 'missed_call' ? 'Missed call'
      : last.encrypted ? 'Encrypted message'
      : `${last.sender_id === state.me.id ? 'You' : nameOf(last.sender_id)}: ${last.body || 'Attachment'}`;
    const badges = [];
    if (conversation.mentions) badges.push(h('span', { class: 'badge mention', title: 'Mentions', text: '@' }));
    if (conversation.unread_count) {
      badges.push(h('span', { class: 'badge unread', 'aria-label': `${conversation.unread_count} unread`, text: String(conversation.unread_count) }));
    }
    const icon = user ? avatar(user, actions.api) : h('span', { class: 'avatar small group', 'aria-hidden': 'true', text: '#' });
    const dot = user ? h('span', { class: `presence ${user.presence || 'offline'}`, title: user.presence || 'offline' }) : null;
    const button = h('button', {
      class: 'conv-item', 'data-id': conversation.id,
      'aria-current': conversation.id === state.current ? 'true' : null,
      onclick: () => actions.open(conversation.id),
    },
    h('span', { class: 'conv-icon' }, icon, dot),
    h('span', { class: 'conv-text' },
      h('span', { class: 'conv-title', text: titleOf(conversation) }),
      h('span', { class: 'conv-preview', text: preview })),
    h('span', { class: 'conv-side' },
      last ? h('time', { text: timeOf(last.created_at) }) : null,
      ...badges));
    return h('li', {}, button);
  }));
}

function renderResults(results, messages, actions) {
  if (messages.length === 0) {
    clear(results).append(h('li', { class: 'empty', text: 'Nothing found.' }));
    return;
  }
  clear(results).append(...messages.map((message) => {
    const conversation = state.conversations.get(message.conversation_id);
    return h('li', {}, h('button', { class: 'result', onclick: () => actions.open(message.conversation_id) },
      h('span', { class: 'conv-title', text: conversation ? titleOf(conversation) : 'Conversation' }),
      h('span', { class: 'conv-preview', text: `${nameOf(message.sender_id)}: ${message.body}` })));
  }));
}
