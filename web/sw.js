// The service worker: shows what the server pushes (PushPayload in openapi.yaml) while this
// browser has no socket open, and brings the conversation up when a notification is clicked.
// Served at /sw.js so that its scope is the whole app.

// The notification a push stands for. Pure, so a page can load this file and check it.
function notificationOf(push) {
  const conversationId = String(push?.conversation_id ?? '');
  const sender = push?.sender?.display_name || push?.sender?.username || 'Someone';
  // Direct conversations have no title; a group's says where the message was written.
  const title = push?.conversation_title ? `${sender} in ${push.conversation_title}` : sender;
  const count = Number(push?.count) || 1;
  const body = push?.preview
    || (count > 1 ? `${count} new messages`
      : push?.kind === 'missed_call' ? 'Missed call'
      : push?.mentioned ? 'Mentioned you'
      : 'New message');
  return {
    title,
    options: {
      body,
      tag: `conversation-${conversationId}`,
      // A mention sounds again even when it replaces this conversation's earlier notification.
      renotify: push?.mentioned === true,
      data: { conversation_id: conversationId, message_id: push?.message_id ?? null },
    },
  };
}

function pushOf(event) {
  try {
    return event.data ? event.data.json() : null;
  } catch {
    return null;
  }
}

// No fetch handler, so a new version can take over at once without breaking open pages.
self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('push', (event) => {
  const push = pushOf(event);
  // A push must always show something (userVisibleOnly); an unreadable one still says Pace.
  const { title, options } = push ? notificationOf(push) : { title: 'Pace', options: { body: 'New message' } };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const conversationId = event.notification.data?.conversation_id;
  const address = conversationId ? `/#/c/${encodeURIComponent(conversationId)}` : '/';
  event.waitUntil((async () => {
    // The page is not controlled (there is no fetch handler), hence includeUncontrolled.
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((client) => new URL(client.url).pathname === '/');
    if (!open) return self.clients.openWindow(address);
    if (conversationId) open.postMessage({ type: 'open-conversation', conversation_id: conversationId });
    return open.focus();
  })());
});
