// Web Push for this browser: the service worker (/sw.js) shows what the server pushes while
// no socket is open; this module subscribes the browser and hands the subscription to the
// server, or takes it back. Every failure becomes a short message for the user.

const WORKER = '/sw.js';
// Headless or offline browsers never settle a subscribe that cannot reach their push service.
const TIMEOUT_MS = 10_000;
const RELEASE_TIMEOUT_MS = 3_000;

export class PushProblem extends Error {}

// Why this browser cannot do Web Push at all, or null when it can.
export function unsupported() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'This browser cannot show notifications from Pace.';
  }
  return null;
}

// Registered on every start, so the worker stays current and a clicked notification finds it.
export function registerWorker() {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register(WORKER).catch(() => null);
}

async function browserSubscription() {
  if (unsupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return registration ? registration.pushManager.getSubscription() : null;
}

// On when this browser is subscribed and the server holds that subscription for the
// signed-in user (an endpoint belongs to whoever subscribed it last).
export async function isOn(api) {
  if (unsupported() || Notification.permission !== 'granted') return false;
  const subscription = await browserSubscription();
  if (!subscription) return false;
  const { subscriptions } = await api.get('/me/push-subscriptions');
  return subscriptions.some((stored) => stored.endpoint === subscription.endpoint);
}

export async function turnOn(api) {
  const reason = unsupported();
  if (reason) throw new PushProblem(reason);
  const permission = await Notification.requestPermission();
  if (permission === 'denied') {
    throw new PushProblem('Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.');
  }
  if (permission !== 'granted') throw new PushProblem('Notifications need your permission.');
  const registration = await within(navigator.serviceWorker.register(WORKER).then(() => navigator.serviceWorker.ready),
    'The notification service worker did not start, so notifications stay off.');
  const { public_key: publicKey } = await api.get('/push/vapid-public-key');
  const key = bytesOf(publicKey);
  // One made with another key (the server's was replaced) cannot be reused, only replaced.
  const existing = await registration.pushManager.getSubscription();
  if (existing && !sameBytes(existing.options.applicationServerKey, key)) await existing.unsubscribe();
  const pending = registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  // One that settles after the timeout would never reach the server: drop it.
  const subscription = await within(pending, 'This browser could not reach its push service, so notifications stay off.',
    () => pending.then((late) => late.unsubscribe()).catch(() => {}));
  try {
    await api.post('/me/push-subscriptions', subscription.toJSON());
  } catch (failure) {
    subscription.unsubscribe().catch(() => {});
    throw new PushProblem(`The server did not take this browser’s subscription: ${failure.message}`);
  }
}

// `promise`, or a PushProblem saying `failure` when it rejects or takes too long.
function within(promise, failure, onTimeout = () => {}) {
  let timer = null;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => { onTimeout(); reject(new Error('timeout')); }, TIMEOUT_MS);
  });
  return Promise.race([promise, timeout])
    .catch(() => { throw new PushProblem(failure); })
    .finally(() => clearTimeout(timer));
}

// Unsubscribes this browser, and deletes the subscription on the server. The local
// unsubscribe is what counts: should the delete fail, the push service answers the next push
// with 410 Gone, and the server drops it then.
export async function turnOff(api) {
  const subscription = await browserSubscription();
  if (!subscription) return;
  const path = `/me/push-subscriptions?endpoint=${encodeURIComponent(subscription.endpoint)}`;
  await api.delete(path).catch(() => {});
  await subscription.unsubscribe().catch(() => {});
}

// Before signing out: best effort, and never holding the sign-out up for long.
export function release(api) {
  const timeout = new Promise((resolve) => { setTimeout(resolve, RELEASE_TIMEOUT_MS); });
  return Promise.race([turnOff(api).catch(() => {}), timeout]);
}

// After the session ended without a sign-out (the tokens are gone, so no delete): this
// browser stops showing the previous user's messages.
export function forget() {
  return browserSubscription().then((subscription) => subscription?.unsubscribe()).catch(() => {});
}

// The VAPID key: base64url text to the bytes pushManager.subscribe takes.
function bytesOf(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameBytes(buffer, bytes) {
  const other = buffer ? new Uint8Array(buffer) : new Uint8Array();
  return other.length === bytes.length && other.every((byte, index) => byte === bytes[index]);
}
