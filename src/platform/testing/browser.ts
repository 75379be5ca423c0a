import assert from 'node:assert/strict';

/** Where a walk through redirects ended. */
export interface Step { url: string; res: Response; body: string }

/** fetch with a small cookie jar (per origin and path) and redirects followed by hand, as a browser would. */
export class Browser {
  #cookies = new Map<string, { origin: string; path: string; name: string; value: string }>();

  /** Puts a cookie in the jar, as if the site had set it. */
  set(origin: string, name: string, value: string) {
    this.#cookies.set(`${origin} / ${name}`, { origin, path: '/', name, value });
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookie = [...this.#cookies.values()]
      .filter((c) => c.origin === u.origin && u.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(u, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.#store(u, line);
    return res;
  }

  #store(u: URL, line: string) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let cookiePath = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [k = '', v = ''] = attribute.split('=');
      const key = k.trim().toLowerCase();
      if (key === 'path') cookiePath = v.trim() || '/';
      if (key === 'max-age' && Number(v) <= 0) expired = true;
      if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
    }
    const id = `${u.origin} ${cookiePath} ${name}`;
    if (expired) this.#cookies.delete(id);
    else this.#cookies.set(id, { origin: u.origin, path: cookiePath, name, value });
  }

  /** Follows redirects; stops before requesting a URL that `until` matches and returns that URL. */
  async follow(url: string, init: RequestInit = {}, until: (next: URL) => boolean = () => false): Promise<Step> {
    let current = url;
    let res = await this.fetch(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      assert.ok(hops < 20, 'too many redirects');
      const next = new URL(res.headers.get('location')!, current);
      await res.arrayBuffer();
      current = next.href;
      if (until(next)) return { url: current, res, body: '' };
      res = await this.fetch(current);
    }
    return { url: current, res, body: await res.text() };
  }
}
