/**
 * Browser-journey plumbing: a real server on 127.0.0.1, seed data, Debian's Chromium through
 * playwright-core, and the page checks of page-checks.ts (axe-core, 320 px) and vnu.ts on every page a journey reaches.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { MunicipalRole } from '../../src/db/schema.ts';
import { insertUser } from '../../src/platform/auth/auth.repo.ts';
import { hashPassword } from '../../src/platform/auth/passwords.ts';
import { loadMessages, translator, type Locale, type Translate } from '../../src/platform/i18n/i18n.ts';
import { createTestDatabase, schemaFingerprint, type TestDatabase } from '../../src/platform/testing/db.ts';
import { reservePort } from '../../src/platform/testing/ports.ts';
import { ensureAssociation, insertMunicipality } from '../../src/platform/tenancy/municipality.repo.ts';
import { addMembership } from '../../src/platform/tenancy/staff.repo.ts';
import { checkA11y, DESKTOP } from './page-checks.ts';
import { keepHtml } from './vnu.ts';

export { axeViolations, checkA11y, disableScripts, formatViolations, DESKTOP, PHONE } from './page-checks.ts';
export { htmlCheckTest } from './vnu.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** How long one step (a click, a wait for an element) may take before the journey fails. */
export const STEP_TIMEOUT = 15_000;

// ---------------------------------------------------------------------------------------------
// Server

export interface TestServer {
  baseUrl: string;
  config: Readonly<Config>;
  db: Database;
  built: BuiltApp;
  close(): Promise<void>;
}

/**
 * Reuses the migrated PGlite dump that `npm test` keeps in .tmp/ when it matches the current
 * migrations, so a direct run does not spend seconds migrating a database from scratch.
 */
function useCachedPgliteTemplate(): void {
  if (process.env.HROMADA_PGLITE_TEMPLATE) return;
  const file = fileURLToPath(new URL('../../.tmp/pglite-template.tar', import.meta.url));
  try {
    if (fs.readFileSync(`${file}.fingerprint`, 'utf8') === schemaFingerprint() && fs.existsSync(file)) process.env.HROMADA_PGLITE_TEMPLATE = file;
  } catch {
    // no cached template: createTestDatabase builds one in memory
  }
}

/**
 * Starts the whole application (web and job worker) on a fresh database, as `hromada start` would; `env` adds
 * settings (identity providers), or computes them from the server's address (providers that send the browser back to it).
 */
export async function startServer(env: Record<string, string> | ((baseUrl: string) => Record<string, string> | Promise<Record<string, string>>) = {}): Promise<TestServer> {
  useCachedPgliteTemplate();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-e2e-'));
  const reserved = await reservePort();
  const port = reserved.port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BASE_URL: baseUrl, RATE_LIMITS: 'false',
    // Maps ask this server for tiles (which it does not have): journeys never reach out to a tile server.
    TILE_URL: `${baseUrl}/tiles/{z}/{x}/{y}.png`,
    ...(typeof env === 'function' ? await env(baseUrl) : env),
  });
  let handle: TestDatabase | undefined;
  let built: BuiltApp | undefined;
  const close = async () => {
    await built?.close().catch(() => {});
    await handle?.cleanup().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    handle = await createTestDatabase();
    built = await buildApp(config, handle);
    built.worker.start(); // queued e-mails reach the development outbox
    await reserved.release();
    await built.app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await reserved.release().catch(() => {});
    await close();
    throw error;
  }
  return { baseUrl, config, db: handle.db, built, close };
}

// ---------------------------------------------------------------------------------------------
// Seed data, written straight to the database

export interface SeededMunicipality {
  id: number;
  slug: string;
  names: Record<Locale, string>;
}

/** The association's name and one municipality with a name in every locale. */
export async function seedMunicipality(db: Database, slug = 'zhovkva'): Promise<SeededMunicipality> {
  await ensureAssociation(db, {
    uk: 'Асоціація відкритих громад', 'sr-Cyrl': 'Асоцијација отворених општина', 'sr-Latn': 'Asocijacija otvorenih opština',
    pl: 'Stowarzyszenie otwartych gmin', en: 'Association of Open Communities',
  });
  const names: Record<Locale, string> = { uk: 'Жовква', 'sr-Cyrl': 'Жовква', 'sr-Latn': 'Žovkva', pl: 'Żółkiew', en: 'Zhovkva' };
  const m = await insertMunicipality(db, {
    slug, names: JSON.stringify(names), official_code: 'UA46060230000000000', population: 12_500,
    center_lat: 50.0545, center_lng: 23.9726, zoom: 13, default_locale: 'uk', currency: 'UAH', time_zone: 'Europe/Kyiv',
    enabled_modules: JSON.stringify([]), settings: JSON.stringify({}),
  });
  return { id: m.id, slug: m.slug, names };
}

export interface SeededUser {
  id: number;
  email: string;
  password: string;
  fullName: string;
}

/** An account with a confirmed e-mail address and a known password, optionally holding a municipal role. */
export async function seedUser(db: Database, u: { email: string; fullName: string; password?: string; locale?: Locale; role?: { municipalityId: number; role: MunicipalRole } }): Promise<SeededUser> {
  const password = u.password ?? 'correct horse battery staple';
  const row = await insertUser(db, { email: u.email, passwordHash: await hashPassword(password), fullName: u.fullName, locale: u.locale ?? 'uk', emailVerified: true });
  assert.ok(row, `seedUser: ${u.email} already exists`);
  if (u.role) await addMembership(db, u.role.municipalityId, row.id, u.role.role);
  return { id: row.id, email: u.email, password, fullName: u.fullName };
}

/** Polls until `probe` returns a value (not undefined), e.g. a job's result in the database. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = STEP_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

// ---------------------------------------------------------------------------------------------
// Messages: the journeys read the app's own catalogs, so they follow copy changes

/** The app's translate function for a locale (falls back to English like the app does). */
export function tr(locale: Locale): Translate {
  return translator(locale);
}

/** Keys that the locale's own catalog lacks (so the page would show the fallback language). */
export function untranslated(locale: Locale, keys: string[]): string[] {
  const own = loadMessages(locale);
  return keys.filter((k) => own[k] === undefined);
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A fresh browser profile (cookies) on the test server. CSP is bypassed only so that axe-core can be
 * injected as an inline script; the app's own scripts are same-origin and would load either way.
 */
export async function newContext(browser: Browser, server: TestServer, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.baseUrl, bypassCSP: true, locale: 'uk-UA', viewport: DESKTOP, ...opts });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  return context;
}

/** Opens a URL (relative to the server), checks the status when given, and runs axe on the page. */
export async function visit(page: Page, url: string, opts: { status?: number } = {}): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.ok(response, `no response for ${url}`);
  const status = opts.status ?? 200;
  assert.equal(response.status(), status, `GET ${url} answered ${response.status()}, expected ${status}${response.status() === 404 ? ' (is the page built yet?)' : ''}`);
  await keepHtml(response);
  await checkA11y(page);
}

/**
 * Does something that loads a new page (a click on a link, a form submit), waits for that page to
 * load, optionally checks its status, and runs axe on it. Returns the final response status.
 */
export async function follow(page: Page, action: () => Promise<unknown>, opts: { status?: number } = {}): Promise<number> {
  let status = 0;
  let landed: Response | null = null;
  const onResponse = (r: Response) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400)) {
      status = r.status();
      landed = r;
    }
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', onResponse);
  }
  if (opts.status !== undefined) assert.equal(status, opts.status, `${page.url()} answered ${status}, expected ${opts.status}`);
  if (landed) await keepHtml(landed);
  await checkA11y(page);
  return status;
}

/** Trimmed, whitespace-collapsed visible text of the first element matching `css`. */
export async function text(page: Page, css: string): Promise<string> {
  return ((await page.locator(css).first().innerText()) ?? '').replace(/\s+/g, ' ').trim();
}

/** A fresh browser profile signed in as `user` (through the sign-in form, axe checked), given to `fn`. */
export async function signedIn(browser: Browser, server: TestServer, user: SeededUser, locale: Locale, fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await visit(page, `/${locale}/account/sign-in`);
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', user.password);
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    await fn(page);
  } finally {
    await context.close();
  }
}
