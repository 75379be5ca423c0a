import type { FastifyReply, FastifyRequest } from 'fastify';
import { compressDynamic, COMPRESS_THRESHOLD, negotiateCoding, type Coding } from './encoding.ts';
import type { App } from './deps.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** GET: whether anonymous answers may come from the shared cache (default: pages under `/:locale`). */
    sharedCache?: boolean;
    /** Unsafe methods: false when the route's writes may show up to a cache lifetime late (signing). */
    invalidatesSharedCache?: boolean;
  }
  interface FastifyRequest {
    pageCache: { key: string; generation: number; hit: boolean } | null;
  }
}

interface Entry {
  at: number;
  headers: Record<string, string>;
  /** The route's own `public, max-age=…` where it set one (feeds keep a minute), else the cache's lifetime. */
  cacheControl: string;
  identity: Buffer;
  coded: Partial<Record<Coding, Buffer>>;
  /** When a request set out to render this page again (0: none is), so others keep the old copy meanwhile. */
  refreshingSince: number;
}

/**
 * Cookies that never change a page without a form: the CSRF secret (a page that carries a token is never
 * stored). Any other cookie (session, flash, whatever comes later) means the answer may be personal.
 */
const NEUTRAL_COOKIES = new Set(['_csrf']);
const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_ENTRY_BYTES = 1024 * 1024;

/** Whether the request comes from nobody in particular: no session, flash or other cookie, no credentials. */
function anonymous(req: FastifyRequest): boolean {
  if (req.headers.authorization) return false;
  for (const name in req.cookies) if (!NEUTRAL_COOKIES.has(name)) return false;
  return true;
}

function eligible(req: FastifyRequest): boolean {
  if (req.method !== 'GET') return false;
  const shared = req.routeOptions.config?.sharedCache;
  return shared ?? (req.routeOptions.url ?? '').startsWith('/:locale');
}

/** Whether a rendered answer is the same for every anonymous visitor (and so may be stored). */
function storable(reply: FastifyReply, payload: unknown): payload is string | Buffer {
  if (reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return false;
  if (reply.hasHeader('set-cookie') || reply.hasHeader('content-encoding')) return false;
  const cacheControl = String(reply.getHeader('cache-control') ?? '');
  if (/private|no-store/.test(cacheControl)) return false;
  const vary = String(reply.getHeader('vary') ?? '').toLowerCase();
  if (vary && vary !== 'accept-encoding') return false;
  // Belt and braces: a page with a form carries someone's CSRF token even when render() did not flag it.
  return !payload.includes('name="_csrf"');
}

/**
 * The shared cache of anonymous answers (docs/ARCHITECTURE.md, "Compression and the shared cache"): pages and
 * counts rendered for one anonymous visitor are kept `ttlMs` and sent to every other as compressed bytes.
 * Any successful unsafe request in this process empties it before its answer leaves; other processes see a
 * change within two lifetimes at most (a stale copy is served only while one request renders the new one).
 */
export function registerPageCache(app: App, ttlMs: number): void {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let generation = 0;
  const maxAge = Math.max(1, Math.round(ttlMs / 1000));
  const sizeOf = (e: Entry) => e.identity.length + (e.coded.br?.length ?? 0) + (e.coded.gzip?.length ?? 0);
  const remove = (key: string) => {
    const e = entries.get(key);
    if (e) bytes -= sizeOf(e);
    entries.delete(key);
  };

  app.decorateRequest('pageCache', null);

  app.addHook('onRequest', async (req, reply) => {
    if (!eligible(req) || !anonymous(req)) return;
    const key = `${req.headers.host ?? ''}${req.url}`;
    const e = entries.get(key);
    const now = Date.now();
    if (e) {
      const age = now - e.at;
      const refreshing = e.refreshingSince > 0 && now - e.refreshingSince < ttlMs;
      if (age < ttlMs || (refreshing && age < 2 * ttlMs)) {
        req.pageCache = { key, generation, hit: true };
        return send(req, reply, e, Math.floor(age / 1000));
      }
      e.refreshingSince = now;
    }
    req.pageCache = { key, generation, hit: false };
  });

  function send(req: FastifyRequest, reply: FastifyReply, e: Entry, age: number | null): FastifyReply {
    const coding = e.identity.length >= COMPRESS_THRESHOLD ? negotiateCoding(req.headers['accept-encoding']) : null;
    let body = e.identity;
    if (coding) {
      const before = e.coded[coding];
      body = before ?? (e.coded[coding] = compressDynamic(e.identity, coding));
      if (!before) bytes += body.length;
      reply.header('content-encoding', coding);
    }
    // `Vary: Cookie`: a browser that has just signed in must not reuse the anonymous copy.
    reply.headers(e.headers).header('cache-control', e.cacheControl).header('vary', 'accept-encoding, cookie');
    if (age !== null) reply.header('age', String(age));
    return age === null ? reply : reply.code(200).send(body);
  }

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      // Emptied before the answer leaves, so the redirect that follows a change never meets the old page.
      if (reply.statusCode < 400 && req.routeOptions.config?.invalidatesSharedCache !== false) {
        entries.clear();
        bytes = 0;
        generation += 1;
      }
      return payload;
    }
    const state = req.pageCache;
    if (!state || state.hit) return payload;
    const old = entries.get(state.key);
    // A page rendered before a change landed is not kept, though it is still sent to its own visitor.
    if (!storable(reply, payload) || state.generation !== generation || Buffer.byteLength(payload) > MAX_ENTRY_BYTES) {
      if (old && reply.statusCode === 200) remove(state.key);
      else if (old) old.refreshingSince = 0;
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (!['content-length', 'cache-control', 'vary', 'age'].includes(name) && value !== undefined) headers[name] = String(value);
    }
    const own = String(reply.getHeader('cache-control') ?? '');
    const cacheControl = own.startsWith('public') ? own : `public, max-age=${maxAge}`;
    const e: Entry = { at: Date.now(), headers, cacheControl, identity: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), coded: {}, refreshingSince: 0 };
    remove(state.key);
    entries.set(state.key, e);
    bytes += e.identity.length;
    send(req, reply, e, null);
    for (const key of entries.keys()) {
      if (entries.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
      remove(key);
    }
    const coding = reply.getHeader('content-encoding') as Coding | undefined;
    return coding ? e.coded[coding] : e.identity;
  });
}
