// One WebSocket to /api/v1/ws that reconnects by itself and resumes with `since`: every
// change carries the sequence value of its latest state (`version`), and the highest one
// seen is where the next connection starts, so a dropped connection loses nothing.

const MAX_BACKOFF_MS = 8000;

export class RealtimeSocket {
  constructor(api, handlers) {
    this.api = api;
    this.handlers = handlers;
    this.since = 0;
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    this.refs = 0;
    this.heartbeat = null;
    this.lastFrameAt = 0;
  }

  get open() { return this.socket?.readyState === WebSocket.OPEN && this.ready; }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.socket?.close(1000);
    this.socket = null;
  }

  // Record a change's sequence value: replay resumes after the highest one.
  seen(message) {
    const value = Math.max(message.seq || 0, message.version || 0);
    if (value > this.since) this.since = value;
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ access_token: this.api.token });
    if (this.since > 0) query.set('since', String(this.since));
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws?${query}`);
    this.socket = socket;
    this.ready = false;
    this.handlers.status('connecting');
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastFrameAt = Date.now();
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (frame.type === 'hello') this.greeted(frame);
      if (frame.message) this.seen(frame.message);
      this.handlers.frame(frame);
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.closed(event.code);
    };
  }

  greeted(hello) {
    this.ready = true;
    this.attempt = 0;
    this.hello = hello;
    clearInterval(this.heartbeat);
    const interval = hello.heartbeat_interval_ms || 30000;
    // A socket that stays silent through two heartbeats is dead even if TCP has not noticed.
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * interval) this.socket?.close(4100);
      else this.send({ type: 'ping' });
    }, interval);
    this.handlers.status('online');
    this.handlers.connected(hello);
  }

  async closed(code) {
    clearInterval(this.heartbeat);
    this.socket = null;
    this.ready = false;
    if (this.stopped) return;
    this.handlers.status('offline');
    if (code === 4001) {
      // The token expired or its login was revoked: refresh (which signs out if that fails).
      try { await this.api.refresh(); } catch { return; }
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt);
    this.attempt += 1;
    this.retry = setTimeout(() => this.connect(), backoff / 2 + Math.random() * backoff / 2);
  }

  // Sends a frame when connected and returns its `ref` (answers and errors repeat it); 0
  // when it could not go (the caller keeps it pending).
  send(frame) {
    if (!this.open) return 0;
    this.refs += 1;
    this.socket.send(JSON.stringify({ ref: this.refs, ...frame }));
    return this.refs;
  }

  // After the page has slept (a laptop lid, a background tab), check at once.
  wake() {
    if (this.stopped) return;
    if (!this.socket) {
      clearTimeout(this.retry);
      this.connect();
    } else if (this.open) {
      this.send({ type: 'ping' });
    }
  }
}
