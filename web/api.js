// The REST API: bearer tokens that refresh themselves before they expire, JSON calls that
// refresh and retry once on `token_expired`, uploads with progress, and authorized downloads.

const STORAGE_KEY = 'pace.session';
const REFRESH_MARGIN_MS = 60_000;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  constructor(onSignedOut) {
    this.onSignedOut = onSignedOut;
    this.session = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
    this.timer = null;
    this.refreshing = null;
    if (this.session) this.schedule();
  }

  get signedIn() { return this.session != null; }
  get token() { return this.session?.access_token; }

  async register(username, password, displayName) {
    const body = { username, password };
    if (displayName) body.display_name = displayName;
    return this.adopt(await this.call('POST', '/auth/register', body, { anonymous: true }));
  }

  async login(username, password) {
    return this.adopt(await this.call('POST', '/auth/login', { username, password }, { anonymous: true }));
  }

  // The last step of OpenID Connect sign-in: the one-time code the server put on this page's address.
  async redeemSignInCode(code) {
    return this.adopt(await this.call('POST', '/auth/oidc/token', { code }, { anonymous: true }));
  }

  async logout() {
    const refresh = this.session?.refresh_token;
    this.forget();
    if (refresh) await this.call('POST', '/auth/logout', { refresh_token: refresh }, { anonymous: true }).catch(() => {});
  }

  adopt(answer) {
    this.session = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: Date.now() + answer.expires_in * 1000,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.schedule();
    return answer;
  }

  forget() {
    clearTimeout(this.timer);
    this.session = null;
    localStorage.removeItem(STORAGE_KEY);
  }

  schedule() {
    clearTimeout(this.timer);
    const wait = Math.max(1000, this.session.expires_at - Date.now() - REFRESH_MARGIN_MS);
    this.timer = setTimeout(() => this.refresh().catch(() => {}), wait);
  }

  // One refresh at a time, across tabs too: refresh tokens are single-use, and presenting a
  // used one revokes the whole session. Under the lock, a token another tab already rotated
  // is adopted from storage instead of being spent again.
  refresh() {
    if (!this.refreshing) {
      const used = this.session?.refresh_token;
      const run = async () => {
        const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
        if (stored && stored.refresh_token !== used) {
          this.session = stored;
          this.schedule();
          return;
        }
        if (!used) throw new ApiError(401, 'unauthorized');
        try {
          this.adopt(await this.call('POST', '/auth/refresh', { refresh_token: used }, { anonymous: true }));
        } catch (error) {
          if (error.status === 401) { this.forget(); this.onSignedOut(); }
          throw error;
        }
      };
      const locked = navigator.locks ? navigator.locks.request('pace.refresh', run) : run();
      this.refreshing = locked.finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  async call(method, path, body, { anonymous = false, retried = false } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (!anonymous && this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(`/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const answer = await response.json().catch(() => ({}));
    if (response.ok) return answer;
    const details = (answer.error?.details || []).map((d) => `${d.field} ${d.problem}`).join('; ');
    const error = new ApiError(response.status, answer.error?.code, details || answer.error?.message);
    if (response.status === 401 && !anonymous && !retried) {
      if (error.code === 'token_expired') {
        await this.refresh();
        return this.call(method, path, body, { retried: true });
      }
      this.forget();
      this.onSignedOut();
    }
    throw error;
  }

  get(path) { return this.call('GET', path); }
  post(path, body = {}) { return this.call('POST', path, body); }
  patch(path, body) { return this.call('PATCH', path, body); }
  put(path) { return this.call('PUT', path); }
  delete(path) { return this.call('DELETE', path); }

  // XMLHttpRequest rather than fetch: only it reports upload progress.
  upload(file, onProgress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/v1/uploads?filename=${encodeURIComponent(file.name || 'file')}`);
      request.setRequestHeader('Authorization', `Bearer ${this.token}`);
      request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
      request.onload = () => {
        let answer = {};
        try { answer = JSON.parse(request.responseText); } catch { /* an empty or non-JSON error body */ }
        if (request.status === 201) resolve(answer);
        else reject(new ApiError(request.status, answer.error?.code, answer.error?.message));
      };
      request.onerror = () => reject(new ApiError(0, 'network', 'The upload failed.'));
      request.send(file);
    });
  }

  // Downloads need the bearer token, which an <img src> cannot send: fetch, then a blob URL.
  async blobURL(path, retried = false) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${this.token}` } });
    if (response.status === 401 && !retried) {
      await this.refresh();
      return this.blobURL(path, true);
    }
    if (!response.ok) throw new ApiError(response.status);
    return URL.createObjectURL(await response.blob());
  }
}
