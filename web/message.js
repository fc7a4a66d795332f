// One message: sender, time, body as text with safe links, attachments (images shown from
// authorized downloads), reactions, its actions and, for one's own, its delivery state.

import { h, linkified, timeOf } from './dom.js';
import { state, nameOf, history } from './state.js';
import { imageURL } from './avatar.js';

const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

export function renderMessage(message, { actions, composer, grouped }) {
  const mine = message.sender_id === state.me.id;
  const classes = ['msg', mine ? 'mine' : 'theirs'];
  if (message.pending) classes.push('pending');
  if (message.deleted) classes.push('deleted');
  if (grouped) classes.push('grouped');
  const node = h('article', { class: classes.join(' '), 'data-id': message.id, 'data-seq': message.pending ? null : message.seq, tabindex: '0' });

  if (!grouped && !mine) node.append(h('div', { class: 'sender', text: nameOf(message.sender_id) }));
  if (message.reply_to_id) node.append(quote(message));
  if (message.deleted) {
    node.append(h('div', { class: 'body removed', text: 'This message was deleted.' }));
  } else if (message.kind === 'missed_call') {
    node.append(h('div', { class: 'body removed', text: 'Missed call' }));
  } else if (message.encrypted) {
    // This client holds no device keys: the ciphertext is for the user's E2EE-capable devices.
    node.append(h('div', { class: 'body removed', text: 'Encrypted message (open it on a device with keys)' }));
  } else if (message.body) {
    node.append(h('div', { class: 'body' }, linkified(message.body)));
  }
  if (!message.deleted && message.attachments?.length) {
    node.append(h('div', { class: 'attachments' }, message.attachments.map((upload) => attachment(upload, actions.api))));
  }
  if (message.reactions?.length) {
    node.append(h('div', { class: 'reactions' }, message.reactions.map((reaction) => {
      const reacted = reaction.user_ids.includes(state.me.id);
      return h('button', {
        class: reacted ? 'chip reacted' : 'chip', 'aria-pressed': String(reacted),
        title: reaction.user_ids.map(nameOf).join(', '),
        onclick: () => actions.react(message, reaction.emoji).catch(() => {}),
      }, `${reaction.emoji} ${reaction.count}`);
    })));
  }
  const meta = h('div', { class: 'meta' }, h('time', { datetime: message.created_at, text: timeOf(message.created_at) }));
  if (message.edited_at && !message.deleted) meta.append(h('span', { class: 'edited', text: ' · edited' }));
  if (mine && !message.deleted) meta.append(h('span', { class: 'state', text: ` · ${deliveryOf(message)}` }));
  node.append(meta);
  if (message.failed) {
    node.append(h('div', { class: 'failed' }, h('span', { text: `Not sent: ${message.failed} ` }),
      h('button', { class: 'retry', text: 'Retry', onclick: () => actions.retry(message) }),
      h('button', { class: 'discard', text: 'Discard', onclick: () => actions.discard(message) })));
  }
  if (!message.pending && !message.deleted) node.append(toolbar(message, mine, actions, composer));
  return node;
}

function deliveryOf(message) {
  if (message.failed) return 'Failed';
  if (message.pending) return 'Sending…';
  const reads = state.reads.get(message.conversation_id);
  if (reads && [...reads.entries()].some(([user, seq]) => user !== state.me.id && seq >= message.seq)) return 'Read';
  if (state.delivered.get(message.id)?.size) return 'Delivered';
  return 'Sent';
}

function toolbar(message, mine, actions, composer) {
  const palette = h('div', { class: 'palette', hidden: true },
    EMOJI.map((emoji) => h('button', {
      'aria-label': `React ${emoji}`, text: emoji,
      onclick: () => { palette.hidden = true; actions.react(message, emoji).catch(() => {}); },
    })));
  const react = h('button', { class: 'react', 'aria-label': 'Add reaction', text: '☺+', onclick: () => { palette.hidden = !palette.hidden; } });
  const reply = h('button', { class: 'reply', text: 'Reply', onclick: () => composer.startReply(message) });
  const bar = h('div', { class: 'actions' }, react, reply);
  if (mine) {
    bar.append(
      h('button', { class: 'edit', text: 'Edit', onclick: () => composer.startEdit(message) }),
      h('button', {
        class: 'delete', text: 'Delete',
        onclick: () => { if (window.confirm('Delete this message for everyone?')) actions.remove(message).catch(() => {}); },
      }));
  }
  bar.append(palette);
  return bar;
}

// The message replied to, when it is loaded: its sender and the start of its text.
function quote(message) {
  const original = history(message.conversation_id).byId.get(message.reply_to_id);
  const text = !original ? 'an earlier message'
    : original.deleted ? 'a deleted message'
    : `${nameOf(original.sender_id)}: ${(original.body || 'an attachment').slice(0, 120)}`;
  return h('div', { class: 'quote', text });
}

function attachment(upload, api) {
  const size = upload.size < 1024 * 1024 ? `${Math.max(1, Math.round(upload.size / 1024))} KB` : `${(upload.size / 1048576).toFixed(1)} MB`;
  if (upload.content_type?.startsWith('image/')) {
    const image = h('img', { class: 'preview', alt: upload.filename, loading: 'lazy' });
    const link = h('a', { class: 'image-link', target: '_blank', rel: 'noopener noreferrer' }, image);
    imageURL(api, upload.url).then((url) => {
      image.addEventListener('load', () => {
        const list = image.closest('.messages');
        if (list?.dataset.stick === 'true') list.scrollTop = list.scrollHeight;
      }, { once: true });
      image.src = url;
      link.href = url;
    }).catch(() => { image.alt = `${upload.filename} (not available)`; });
    return link;
  }
  return h('button', {
    class: 'file', text: `${upload.filename} (${size})`,
    onclick: async () => {
      const url = await imageURL(api, upload.url);
      const anchor = h('a', { href: url, download: upload.filename });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    },
  });
}
