// Sign in and registration.

import { h, clear } from './dom.js';

export function renderAuth(root, actions) {
  const error = h('p', { class: 'error', role: 'alert', id: 'auth-error' });
  const username = h('input', { id: 'auth-username', name: 'username', autocomplete: 'username', required: true,
                                minlength: '3', maxlength: '32', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'auth-password', name: 'password', type: 'password', required: true,
                                minlength: '8', maxlength: '128', autocomplete: 'current-password' });
  const displayName = h('input', { id: 'auth-display-name', name: 'display_name', autocomplete: 'name', maxlength: '64' });
  const nameRow = h('label', { class: 'field', hidden: true }, 'Display name (optional)', displayName);
  let mode = 'login';
  const submit = h('button', { type: 'submit', id: 'auth-submit', class: 'primary', text: 'Sign in' });
  const toggle = h('button', { type: 'button', id: 'auth-toggle', class: 'link', text: 'New here? Create an account' });
  toggle.addEventListener('click', () => {
    mode = mode === 'login' ? 'register' : 'login';
    nameRow.hidden = mode === 'login';
    password.autocomplete = mode === 'login' ? 'current-password' : 'new-password';
    submit.textContent = mode === 'login' ? 'Sign in' : 'Create account';
    toggle.textContent = mode === 'login' ? 'New here? Create an account' : 'Have an account? Sign in';
    error.textContent = '';
  });
  const form = h('form', { class: 'auth-form', id: 'auth-form', novalidate: false },
    h('h1', { text: 'Pace' }),
    h('label', { class: 'field' }, 'Username', username),
    h('label', { class: 'field' }, 'Password', password),
    nameRow, error, submit, toggle);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      await actions.signIn(mode, username.value.trim(), password.value, displayName.value.trim());
    } catch (failure) {
      error.textContent = failure.message || 'That did not work.';
      submit.disabled = false;
    }
  });
  clear(root).append(h('main', { class: 'auth' }, form));
  username.focus();
}
