// Avatars: the user's image, fetched with the bearer token, or their initials.

import { h, initials } from './dom.js';

const urls = new Map();

export function avatar(user, api, size = 'small') {
  const box = h('span', { class: `avatar ${size}`, 'aria-hidden': 'true', text: initials(user.display_name || user.username) });
  if (user.avatar_url) {
    imageURL(api, user.avatar_url).then((url) => {
      box.replaceChildren(h('img', { src: url, alt: '' }));
    }).catch(() => {});
  }
  return box;
}

// One blob URL per download path for the page's lifetime: uploads never change content.
export function imageURL(api, path) {
  if (!urls.has(path)) {
    const pending = api.blobURL(path);
    pending.catch(() => urls.delete(path));
    urls.set(path, pending);
  }
  return urls.get(path);
}
