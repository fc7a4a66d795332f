// The open conversation: its header, the message list (older history loads on scrolling
// up, kept in place), the typing line and the composer.

import { h, clear, timeOf, dayOf } from './dom.js';
import { state, subscribe, ordered, history, titleOf, peerOf, nameOf } from './state.js';
import { renderMessage } from './message.js';
import { mountComposer } from './composer.js';

export function mountChat(root, actions) {
  const back = h('button', { class: 'back', id: 'back', 'aria-label': 'Back to conversations', text: '‹', onclick: () => actions.close() });
  const title = h('h2', { class: 'chat-title', id: 'chat-title' });
  const subtitle = h('span', { class: 'chat-subtitle', id: 'chat-subtitle' });
  const list = h('div', { class: 'messages', id: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  const typing = h('div', { class: 'typing', id: 'typing', 'aria-live': 'polite' });
  const composer = mountComposer(actions);
  const empty = h('div', { class: 'placeholder', text: 'Choose a conversation, or start one.' });
  const pane = h('section', { class: 'pane', hidden: true },
    h('div', { class: 'chat-header' }, back, h('div', { class: 'chat-heading' }, title, subtitle)),
    list, typing, composer.element);
  root.append(empty, pane);

  let shown = null;
  let revision = -1;
  let marked = false;
  // A view resting at the bottom stays there when the window or the keyboard resizes it.
  new ResizeObserver(() => {
    if (list.dataset.stick === 'true') list.scrollTop = list.scrollHeight;
  }).observe(list);
  list.addEventListener('scroll', () => {
    list.dataset.stick = String(list.scrollHeight - list.scrollTop - list.clientHeight < 48);
    if (list.scrollTop < 120 && shown) actions.loadOlder(shown).catch(() => {});
  });

  subscribe(() => {
    if (!state.me) return;
    const id = state.current;
    empty.hidden = id != null;
    pane.hidden = id == null;
    if (id == null) { shown = null; return; }
    const conversation = state.conversations.get(id);
    if (!conversation) return;
    const opening = id !== shown;
    if (opening) {
      shown = id;
      marked = false;
      composer.open(id);
      revision = -1;
    }
    title.textContent = titleOf(conversation);
    subtitle.textContent = describe(conversation);
    renderTyping(typing, id);
    if (revision !== state.revision) {
      revision = state.revision;
      renderMessages(list, id, actions, composer, opening);
      // For bench/web_load.py: when an opened conversation first shows its messages.
      if (!marked && list.querySelector('.msg')) {
        marked = true;
        performance.mark('pace:conversation-rendered');
      }
    }
  });
}

function describe(conversation) {
  const peer = peerOf(conversation);
  if (!peer) return `${conversation.members.length} members`;
  const user = state.users.get(peer);
  if (!user) return '';
  if (user.presence && user.presence !== 'offline') return user.presence;
  return user.last_seen_at ? `last seen ${dayOf(user.last_seen_at).toLowerCase()} ${timeOf(user.last_seen_at)}` : 'offline';
}

function renderTyping(line, conversationId) {
  const people = [...(state.typing.get(conversationId)?.keys() || [])].map(nameOf);
  line.textContent = people.length === 0 ? ''
    : people.length === 1 ? `${people[0]} is typing…` : `${people.join(', ')} are typing…`;
}

// Re-renders the loaded messages, keeping the message at the top of the view where it
// was (older pages arrive above it) unless the view was at the bottom, where it stays.
function renderMessages(list, conversationId, actions, composer, opening) {
  const atBottom = opening || list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  const anchor = [...list.querySelectorAll('.msg')].find((node) => node.offsetTop + node.offsetHeight > list.scrollTop);
  const anchorId = anchor?.dataset.id;
  const anchorOffset = anchor ? anchor.offsetTop - list.scrollTop : 0;

  const active = list.contains(document.activeElement) ? document.activeElement : null;
  const focusedId = active?.closest('.msg')?.dataset.id;
  const focusedControl = active?.tagName === 'BUTTON' ? active.className.split(' ')[0] : null;

  const messages = ordered(conversationId);
  const nodes = [];
  const entry = history(conversationId);
  if (entry.loaded && !entry.hasMore) nodes.push(h('p', { class: 'history-start', text: 'This is the beginning of the conversation.' }));
  let day = null;
  let previous = null;
  for (const message of messages) {
    const thisDay = dayOf(message.created_at);
    if (thisDay !== day) {
      day = thisDay;
      previous = null;
      nodes.push(h('div', { class: 'day', role: 'separator', text: thisDay }));
    }
    const grouped = previous && previous.sender_id === message.sender_id
      && new Date(message.created_at) - new Date(previous.created_at) < 5 * 60_000;
    nodes.push(renderMessage(message, { actions, composer, grouped }));
    previous = message;
  }
  clear(list).append(...nodes);

  // A keyboard user's place (a message, or one of its buttons) survives the re-render.
  const refocus = focusedId && list.querySelector(`.msg[data-id="${CSS.escape(focusedId)}"]`);
  if (refocus) {
    const control = focusedControl && refocus.querySelector(`button.${CSS.escape(focusedControl)}`);
    (control || refocus).focus({ preventScroll: true });
  }

  list.dataset.stick = String(atBottom);
  if (atBottom) {
    list.scrollTop = list.scrollHeight;
  } else if (anchorId) {
    const again = list.querySelector(`.msg[data-id="${CSS.escape(anchorId)}"]`);
    if (again) list.scrollTop = again.offsetTop - anchorOffset;
  }
}
