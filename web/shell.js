// The signed-in layout: a header, the conversation list and the open conversation. At
// phone widths only one of list and conversation shows; from 760 px both sit side by side.

import { h, clear } from './dom.js';
import { state, subscribe } from './state.js';
import { mountSidebar } from './sidebar.js';
import { mountChat } from './chat.js';
import { openNewChat, openNewGroup, openProfile } from './dialogs.js';
import { avatar } from './avatar.js';

export function mountShell(root, actions) {
  const presence = h('select', { id: 'presence-picker', 'aria-label': 'Your status' },
    ...['online', 'away', 'busy'].map((value) => h('option', { value, text: value[0].toUpperCase() + value.slice(1) })));
  presence.addEventListener('change', () => actions.setPresence(presence.value));
  const connection = h('span', { id: 'conn-status', class: 'conn', role: 'status' });
  const meButton = h('button', { id: 'profile-button', class: 'me', 'aria-label': 'Profile', onclick: () => openProfile(actions) });
  const header = h('header', { class: 'top' },
    h('span', { class: 'brand', text: 'Pace' }), connection,
    h('span', { class: 'spacer' }),
    presence, meButton);
  const sidebar = h('nav', { class: 'sidebar', 'aria-label': 'Conversations' });
  const chat = h('main', { class: 'chat', id: 'chat' });
  const layout = h('div', { class: 'layout' }, sidebar, chat);
  clear(root).append(h('div', { class: 'shell' }, header, layout));
  mountSidebar(sidebar, actions, { newChat: () => openNewChat(actions), newGroup: () => openNewGroup(actions) });
  mountChat(chat, actions);

  let lastAvatar = null;
  subscribe(() => {
    if (!state.me) return;
    layout.classList.toggle('showing-chat', state.current != null);
    connection.textContent = state.connection === 'online' ? '' : state.connection === 'connecting' ? 'Connecting…' : 'Offline, reconnecting…';
    connection.dataset.state = state.connection;
    const me = state.users.get(state.me.id) || state.me;
    if (me.presence && me.presence !== 'offline' && presence.value !== me.presence) presence.value = me.presence;
    const key = `${me.avatar_url}|${me.display_name}`;
    if (key !== lastAvatar) {
      lastAvatar = key;
      meButton.replaceChildren(avatar(me, actions.api));
    }
  });
}
