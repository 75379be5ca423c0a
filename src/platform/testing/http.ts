import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type BuiltApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { MunicipalRole, Municipality, PlatformRole } from '../../db/schema.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { App } from '../http/deps.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** Form fields as posted by a browser; an array posts the field once per value (checkbox groups). */
export type FormFields = Record<string, string | number | boolean | (string | number)[] | undefined>;

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Leave the CSRF token out of a form post (to test that it is refused). */
  noCsrf?: boolean;
}

/** Decodes the few entities Preact writes into attribute values. */
function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The `_csrf` hidden input's value in an HTML page, or null. */
export function csrfTokenFrom(html: string): string | null {
  const input = /<input\b[^>]*\bname="_csrf"[^>]*>/.exec(html)?.[0];
  const value = input && /\bvalue="([^"]*)"/.exec(input)?.[1];
  return value ? decodeEntities(value) : null;
}

/** URL-encodes form fields the way a browser does. */
/** A multipart form with one file part (after the plain fields), as TestClient.request takes it. */
export function multipartForm(fields: Record<string, string>, file: { field: string; name: string; data: Buffer }) {
  const boundary = '----hromada-test';
  const parts = [
    ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  ];
  return { payload: Buffer.concat([Buffer.from(parts.join('')), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === false) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item === true ? 'on' : String(item));
  }
  return params.toString();
}

/**
 * A browser-like client over `app.inject`: keeps cookies (session, CSRF secret, flash) between requests,
 * remembers the last CSRF token it saw and adds it to form posts.
 */
export class TestClient {
  /** Cookie values as the server set them (decoded). */
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(readonly app: App, readonly locale = 'uk') {}

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('text/html')) this.csrfToken = csrfTokenFrom(res.body) ?? this.csrfToken;
  }

  /** Any request, with the cookies so far; remembers what the response sets. */
  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD', url: string, opts: { payload?: string | object; headers?: Record<string, string> } = {}) {
    const cookie = this.cookieHeader();
    const res = await this.app.inject({
      method, url,
      headers: { ...(cookie ? { cookie } : {}), ...(opts.headers ?? {}) },
      ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
    });
    this.remember(res);
    return res;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, { headers: headers ?? {} });
  }

  /** A fresh CSRF token, from `from` (default: the sign-in page) when none was seen yet. */
  async csrf(from = `/${this.locale}/account/sign-in`): Promise<string> {
    if (!this.csrfToken || !this.cookies.has('_csrf')) {
      // Signing in or out drops the CSRF secret; fetching a new token is the client's doing, not a page the
      // user sees, so it leaves a pending flash message for the page the test reads next.
      const flash = this.cookies.get('hromada_flash');
      this.cookies.delete('hromada_flash');
      await this.get(from);
      if (flash !== undefined && !this.cookies.has('hromada_flash')) this.cookies.set('hromada_flash', flash);
    }
    if (!this.csrfToken) throw new Error(`No _csrf token found on ${from}`);
    return this.csrfToken;
  }

  /** Posts a form as a browser does, with the CSRF token unless `noCsrf`. */
  async post(url: string, fields: FormFields = {}, opts: RequestOptions = {}) {
    const body = opts.noCsrf || '_csrf' in fields ? fields : { _csrf: await this.csrf(), ...fields };
    return this.request('POST', url, {
      payload: encodeForm(body),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers ?? {}) },
    });
  }

  /** Signs in through the real form; throws unless the platform answers with a redirect. */
  async signIn(email: string, password: string) {
    await this.get(`/${this.locale}/account/sign-in`);
    const res = await this.post(`/${this.locale}/account/sign-in`, { email, password });
    if (res.statusCode !== 303) throw new Error(`Sign-in of ${email} failed with ${res.statusCode}`);
    return res;
  }

  /** Follows a redirect response with a GET. */
  follow(res: LightMyRequestResponse) {
    const to = res.headers.location;
    if (typeof to !== 'string') throw new Error(`Response ${res.statusCode} is not a redirect`);
    return this.get(to);
  }
}

export interface NewTestUser {
  email: string;
  password: string;
  fullName?: string;
  locale?: string;
  platformRole?: PlatformRole | null;
  roles?: { municipalityId: number; role: MunicipalRole }[];
  /** Email confirmed (default true). */
  emailVerified?: boolean;
}

/** Inserts a user who can sign in with the password; returns their id. */
export async function createUser(db: Database, u: NewTestUser): Promise<{ id: number; email: string; password: string }> {
  const email = u.email.toLowerCase();
  const { id } = await db.insertInto('users').values({
    email,
    password_hash: await hashPassword(u.password),
    full_name: u.fullName ?? email.split('@')[0]!,
    locale: u.locale ?? 'uk',
    email_verified_at: u.emailVerified === false ? null : new Date(),
    identity_verified_at: null,
    identity_provider: null,
    identity_subject: null,
    residence_municipality_id: null,
    platform_role: u.platformRole ?? null,
    deleted_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  for (const r of u.roles ?? []) {
    await db.insertInto('memberships').values({ municipality_id: r.municipalityId, user_id: id, role: r.role }).execute();
  }
  return { id, email, password: u.password };
}

export interface NewTestMunicipality {
  slug: string;
  names?: Record<string, string>;
  officialCode?: string;
  population?: number;
  centerLat?: number;
  centerLng?: number;
  defaultLocale?: string;
  currency?: string;
  enabledModules?: string[];
  settings?: Record<string, Record<string, unknown>>;
  host?: string | null;
}

/** Inserts a municipality with plausible defaults. */
export async function createMunicipality(db: Database, m: NewTestMunicipality): Promise<Municipality> {
  const name = m.slug.charAt(0).toUpperCase() + m.slug.slice(1);
  return db.insertInto('municipalities').values({
    slug: m.slug,
    names: JSON.stringify(m.names ?? { uk: name, en: name }),
    official_code: m.officialCode ?? `UA${m.slug.toUpperCase()}`,
    population: m.population ?? 10_000,
    center_lat: m.centerLat ?? 50.45,
    center_lng: m.centerLng ?? 30.52,
    default_locale: m.defaultLocale ?? 'uk',
    currency: m.currency ?? 'UAH',
    enabled_modules: JSON.stringify(m.enabledModules ?? []),
    settings: JSON.stringify(m.settings ?? {}),
    host: m.host ?? null,
  }).returningAll().executeTakeFirstOrThrow();
}

/** The password of every test person (HTTP tests sign in with it). */
export const TEST_PASSWORD = 'petition test password';

export interface TestApp {
  built: BuiltApp;
  app: App;
  db: Database;
  database: TestDatabase;
  dataDir: string;
  /** A new client with an empty cookie jar. */
  client(locale?: string): TestClient;
  /** A new client signed in as `email` with TEST_PASSWORD. */
  signedIn(email: string, locale?: string): Promise<TestClient>;
  close(): Promise<void>;
}

/**
 * The whole app on a fresh test database and data folder, as in production but without rate limits
 * and without the background worker (call `built.worker.tick()` to run due jobs).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-test-'));
  try {
    const built = await buildApp(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMITS: 'false', ...env }), database);
    await built.app.ready();
    return {
      built, app: built.app, db: database.db, database, dataDir,
      client: (locale) => new TestClient(built.app, locale),
      async signedIn(email, locale) {
        const c = new TestClient(built.app, locale);
        await c.signIn(email, TEST_PASSWORD);
        return c;
      },
      async close() {
        await built.close();
        await database.cleanup();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The path and query of the link inside the newest outbox mail to `to`, after the worker sends queued mail. */
export async function outboxLink(t: TestApp, to: string, pattern: RegExp): Promise<string> {
  await t.built.worker.tick();
  const mail = await t.db.selectFrom('outbox').select(['text_body']).where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const url = pattern.exec(mail.text_body)?.[0];
  assert.ok(url, `no link in mail to ${to}: ${mail.text_body}`);
  return new URL(url).pathname + new URL(url).search;
}
