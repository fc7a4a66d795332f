// Writing: Enter sends (Shift+Enter is a new line), files upload with a progress bar before
// the message goes, typing is announced at most every 3 s, and editing reuses the box.

import { h, clear } from './dom.js';

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

export function mountComposer(actions) {
  const input = h('textarea', { id: 'composer-input', rows: '1', placeholder: 'Message', 'aria-label': 'Message', maxlength: '4000' });
  const file = h('input', { id: 'file-input', type: 'file', multiple: true, class: 'visually-hidden', tabindex: '-1' });
  const attach = h('button', { type: 'button', class: 'attach', id: 'attach', 'aria-label': 'Attach files', title: 'Attach files', text: '+',
                               onclick: () => file.click() });
  const send = h('button', { type: 'submit', id: 'send', class: 'primary', text: 'Send' });
  const uploads = h('ul', { class: 'uploads', id: 'uploads' });
  const editing = h('div', { class: 'editing', hidden: true });
  const form = h('form', { class: 'composer', id: 'composer' }, editing, uploads,
    h('div', { class: 'composer-row' }, attach, file, input, send));

  let conversationId = null;
  let files = [];
  let edited = null;
  let replyTo = null;
  let typingSentAt = 0;
  let idle = null;

  function stopTyping() {
    clearTimeout(idle);
    if (typingSentAt && conversationId) actions.typing(conversationId, false);
    typingSentAt = 0;
  }

  function renderUploads() {
    clear(uploads).append(...files.map((entry) => {
      const remove = h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${entry.file.name}`, text: '×',
                                   onclick: () => { files = files.filter((f) => f !== entry); renderUploads(); } });
      return h('li', { class: entry.error ? 'upload failed' : 'upload' },
        entry.preview ? h('img', { src: entry.preview, alt: '' }) : null,
        h('span', { class: 'name', text: entry.error || entry.file.name }),
        entry.upload ? null : h('progress', { max: '1', value: String(entry.progress), class: 'upload-progress' }),
        remove);
    }));
    send.disabled = files.some((entry) => !entry.upload && !entry.error);
  }

  function cancelEdit() {
    if (edited) input.value = '';
    edited = null;
    replyTo = null;
    editing.hidden = true;
  }

  function banner(text) {
    const cancel = h('button', { type: 'button', class: 'link', text: 'Cancel', onclick: () => { cancelEdit(); input.focus(); } });
    clear(editing).append(h('span', { text }), ' ', cancel);
    editing.hidden = false;
    input.focus();
  }

  // A textarea that grows with its text, up to the style sheet's max-height.
  function fit() {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight + 2}px`;
  }

  file.addEventListener('change', () => {
    for (const chosen of file.files) {
      const entry = { file: chosen, progress: 0, upload: null, error: null,
                      preview: chosen.type.startsWith('image/') ? URL.createObjectURL(chosen) : null };
      files.push(entry);
      actions.api.upload(chosen, (fraction) => {
        entry.progress = fraction;
        uploads.querySelectorAll('progress')[files.indexOf(entry)]?.setAttribute('value', String(fraction));
      }).then((upload) => { entry.upload = upload; renderUploads(); })
        .catch((error) => { entry.error = `${chosen.name}: ${error.message}`; renderUploads(); });
    }
    file.value = '';
    renderUploads();
  });

  input.addEventListener('input', () => {
    fit();
    if (!conversationId || edited) return;
    clearTimeout(idle);
    if (!input.value.trim()) return stopTyping();
    if (Date.now() - typingSentAt > TYPING_REPEAT_MS) {
      actions.typing(conversationId, true);
      typingSentAt = Date.now();
    }
    idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape' && (edited || replyTo)) {
      cancelEdit();
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send.disabled || !conversationId) return;
    const body = input.value.trim();
    if (edited) {
      if (body && body !== edited.body) actions.edit(edited, body).catch(() => {});
      cancelEdit();
      return;
    }
    const ready = files.filter((entry) => entry.upload).map((entry) => entry.upload);
    if (!body && ready.length === 0) return;
    stopTyping();
    actions.send(conversationId, body, ready, replyTo?.id);
    cancelEdit();
    input.value = '';
    fit();
    files = [];
    renderUploads();
    input.focus();
  });

  return {
    element: form,
    open(id) {
      stopTyping();
      conversationId = id;
      cancelEdit();
      input.value = '';
      fit();
      files = [];
      renderUploads();
      if (window.matchMedia('(min-width: 760px)').matches) input.focus();
    },
    startEdit(message) {
      replyTo = null;
      edited = message;
      input.value = message.body;
      fit();
      banner('Editing message · Esc to cancel');
    },
    startReply(message) {
      if (edited) cancelEdit();
      replyTo = message;
      banner(`Replying to ${actions.nameOf(message.sender_id)}: ${(message.body || 'an attachment').slice(0, 80)}`);
    },
  };
}
