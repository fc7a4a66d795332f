// Modal dialogs: a new direct chat, a new group, and one's profile (with this browser's
// notifications switch). <dialog> gives focus trapping and Escape to close.

import { h, clear } from './dom.js';
import { state } from './state.js';
import { avatar } from './avatar.js';
import { isOn, turnOn, turnOff, unsupported, PushProblem } from './push.js';

function modal(id, title, ...content) {
  document.getElementById(id)?.remove();
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close', text: '×' });
  const dialog = h('dialog', { id, class: 'dialog', 'aria-label': title },
    h('div', { class: 'dialog-head' }, h('h2', { text: title }), close), ...content);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// A user search box with results that call `pick` (the caller themself is left out).
function userPicker(actions, pick, inputId) {
  const input = h('input', { id: inputId, type: 'search', placeholder: 'Search people by name', 'aria-label': 'Search people', autocomplete: 'off' });
  const results = h('ul', { class: 'user-results' });
  let timer = null;
  let generation = 0;
  const search = async () => {
    const mine = ++generation;
    const query = input.value.trim();
    const answer = await actions.api.get(`/users?query=${encodeURIComponent(query)}&limit=20`).catch(() => ({ users: [] }));
    if (mine !== generation) return;
    const users = answer.users.filter((user) => user.id !== state.me.id);
    clear(results).append(...(users.length ? users.map((user) => h('li', {},
      h('button', { type: 'button', class: 'user-result', 'data-username': user.username, onclick: () => pick(user) },
        avatar(user, actions.api),
        h('span', { class: 'user-name', text: user.display_name || user.username }),
        h('span', { class: 'user-handle', text: `@${user.username}` })))) : [h('li', { class: 'empty', text: 'Nobody found.' })]));
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 200); });
  search();
  return { input, results };
}

export function openNewChat(actions) {
  const error = h('p', { class: 'error', role: 'alert' });
  let dialog = null;
  const picker = userPicker(actions, async (user) => {
    try {
      await actions.startDirect(user.id);
      dialog.close();
    } catch (failure) { error.textContent = failure.message; }
  }, 'user-search');
  dialog = modal('new-chat-dialog', 'New chat', picker.input, picker.results, error);
  picker.input.focus();
}

export function openNewGroup(actions) {
  const chosen = new Map();
  const title = h('input', { id: 'group-title', placeholder: 'Group name', 'aria-label': 'Group name', maxlength: '100', required: true });
  const members = h('ul', { class: 'chosen' });
  const error = h('p', { class: 'error', role: 'alert' });
  const renderChosen = () => clear(members).append(...[...chosen.values()].map((user) => h('li', {},
    h('button', { type: 'button', class: 'chip', 'aria-label': `Remove ${user.username}`,
                  onclick: () => { chosen.delete(user.id); renderChosen(); } }, `${user.display_name || user.username} ×`))));
  const picker = userPicker(actions, (user) => { chosen.set(user.id, user); renderChosen(); }, 'group-user-search');
  const create = h('button', { type: 'submit', class: 'primary', id: 'create-group', text: 'Create group' });
  const form = h('form', { class: 'stack' }, title, members, picker.input, picker.results, error, create);
  const dialog = modal('new-group-dialog', 'New group', form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!title.value.trim()) { error.textContent = 'Give the group a name.'; return; }
    try {
      await actions.startGroup(title.value.trim(), [...chosen.keys()]);
      dialog.close();
    } catch (failure) { error.textContent = failure.message; }
  });
  title.focus();
}

export function openProfile(actions) {
  const me = state.users.get(state.me.id) || state.me;
  const displayName = h('input', { id: 'profile-name', value: me.display_name || '', maxlength: '64' });
  const status = h('input', { id: 'profile-status', value: me.status_text || '', maxlength: '140', placeholder: 'What are you up to?' });
  const picture = h('input', { id: 'profile-avatar', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp' });
  const progress = h('progress', { max: '1', value: '0', hidden: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: 'Save' });
  const form = h('form', { class: 'stack' },
    h('div', { class: 'profile-head' }, avatar(me, actions.api, 'large'), h('span', { text: `@${me.username}` })),
    h('label', { class: 'field' }, 'Display name', displayName),
    h('label', { class: 'field' }, 'Status', status),
    h('label', { class: 'field' }, 'Avatar', picture), progress,
    error, save, notificationSwitch(actions),
    h('button', { type: 'button', id: 'sign-out', class: 'link', text: 'Sign out', onclick: () => { dialog.close(); actions.signOut(); } }));
  const dialog = modal('profile-dialog', 'Profile', form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const change = { status_text: status.value.trim() };
      if (displayName.value.trim()) change.display_name = displayName.value.trim();
      if (picture.files[0]) {
        progress.hidden = false;
        const upload = await actions.api.upload(picture.files[0], (fraction) => { progress.value = fraction; });
        change.avatar_upload_id = upload.id;
      }
      await actions.updateProfile(change);
      dialog.close();
    } catch (failure) {
      error.textContent = failure.message;
      save.disabled = false;
    }
  });
}

// "Notifications: on/off" for this browser (Web Push). It shows off until the current state
// is known, and stays off, with a message saying why, whenever turning it on fails.
function notificationSwitch(actions) {
  const toggle = h('button', { type: 'button', id: 'notifications-toggle', 'aria-pressed': 'false', disabled: true,
                               text: 'Notifications: off' });
  const message = h('p', { id: 'notifications-message', class: 'notice', role: 'status' });
  const show = (on) => {
    toggle.setAttribute('aria-pressed', String(on));
    toggle.textContent = `Notifications: ${on ? 'on' : 'off'}`;
    toggle.disabled = false;
  };
  toggle.addEventListener('click', async () => {
    const wanted = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.disabled = true;
    message.textContent = wanted ? 'Turning notifications on…' : '';
    try {
      await (wanted ? turnOn(actions.api) : turnOff(actions.api));
      message.textContent = '';
      show(wanted);
    } catch (failure) {
      message.textContent = failure instanceof PushProblem ? failure.message : `Notifications stay off: ${failure.message}`;
      show(false);
    }
  });
  const reason = unsupported();
  if (reason) message.textContent = reason;
  else isOn(actions.api).then(show, () => show(false));
  return h('div', { class: 'field notifications' }, toggle, message);
}
