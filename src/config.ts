import { ledgerWitnesses, type WitnessConfig } from './platform/ledger/config.ts';
import path from 'node:path';

/**
 * One identity provider as configured (IDENTITY_PROVIDERS): its id (in URLs), the name residents see, its
 * dialect (`type`: `oidc`, `id-gov-ua`, `saml`) and that dialect's own settings, which the dialect checks
 * when the app is built (platform/auth/identity/dialects.ts).
 */
export interface IdentityProviderConfig {
  id: string;
  name: string;
  type: string;
  /** Marked "(demo)" wherever shown; `npm run demo` starts these, production refuses them. */
  demo?: boolean;
  [setting: string]: unknown;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  baseUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  logLevel: string;
  trustProxy: boolean;
  runWorker: boolean;
  tileUrl: string;
  /** Shown on every map, as the tile server's licence requires. */
  tileAttribution: string;
  uploadMaxBytes: number;
  identityProviders: IdentityProviderConfig[];
  rateLimits: boolean;
  /** Where to report a vulnerability (a mailto: or https: URI), published in /.well-known/security.txt. */
  securityContact: string | null;
  /** Lifetime of the shared cache of anonymous pages and counts, in ms (0: off); at most 1 s, see ARCHITECTURE.md. */
  pageCacheMs: number;
  /**
   * The key of the keyed hashes of national ids and document numbers (IDENTIFIER_KEY, at least 32 characters;
   * required in production). Without it (development, tests) a key made once is kept in the database, where a
   * stolen copy of the database would hold both; see OPERATIONS.md.
   */
  identifierKey: string | null;
  /** Witnesses whose cosignatures of ledger checkpoints are accepted and shown (LEDGER_WITNESSES). */
  ledgerWitnesses: WitnessConfig[];
  /** How long after an act its inclusion promise allows for sealing it into the ledger (LEDGER_PROMISE_SECONDS). */
  ledgerPromiseSeconds: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, problems: string[], min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${env[name]}")`);
  return fallback;
}

function url(env: Env, name: string, protocols: string[], problems: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) problems.push(`${name} must start with ${protocols.join(' or ')} (got "${u.protocol}")`);
  } catch {
    problems.push(`${name} is not a valid URL`);
  }
  return raw;
}

/**
 * IDENTITY_PROVIDERS: a JSON array of {id, name, type, …the dialect's settings}. OIDC_PROVIDERS, the older
 * setting, is still read: each of its entries is an OpenID Connect provider (`type` "oidc").
 */
function identityProviders(env: Env, problems: string[]): IdentityProviderConfig[] {
  const read = (name: 'IDENTITY_PROVIDERS' | 'OIDC_PROVIDERS', type?: string): IdentityProviderConfig[] => {
    const raw = env[name];
    if (!raw) return [];
    try {
      const list = JSON.parse(raw) as Partial<IdentityProviderConfig>[];
      if (!Array.isArray(list)) throw new Error('not an array');
      return list.map((entry, i) => {
        const p = { ...(type ? { type } : {}), ...entry };
        for (const key of ['id', 'name', 'type'] as const) {
          if (typeof p[key] !== 'string' || !p[key]) problems.push(`${name}[${i}].${key} is required`);
        }
        if (typeof p.id === 'string' && !/^[a-z0-9-]{1,40}$/.test(p.id)) problems.push(`${name}[${i}].id may hold only a-z, 0-9 and - (at most 40)`);
        return p as IdentityProviderConfig;
      });
    } catch (e) {
      problems.push(`${name} must be a JSON array of {id,name,type,…} (${(e as Error).message})`);
      return [];
    }
  };
  const all = [...read('IDENTITY_PROVIDERS'), ...read('OIDC_PROVIDERS', 'oidc')];
  const ids = all.map((p) => p.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`identity provider id "${id}" is used twice`);
  return all;
}

/** A security contact as RFC 9116 wants it: an https: or mailto: URI; a bare e-mail address becomes mailto:. */
function securityContact(env: Env, problems: string[]): string | null {
  const raw = env.SECURITY_CONTACT?.trim();
  if (!raw) return null;
  if (/^[^\s@<>:/]+@[^\s@<>]+\.[^\s@<>]+$/.test(raw)) return `mailto:${raw}`;
  try {
    const u = new URL(raw);
    if (u.protocol === 'https:' || (u.protocol === 'mailto:' && u.pathname.includes('@'))) return raw;
  } catch {
    // reported below
  }
  problems.push(`SECURITY_CONTACT must be an e-mail address, a mailto: or an https: URL (got "${raw}")`);
  return null;
}

/** Reads the environment once; lists every problem at once instead of failing on the first. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const port = int(env, 'PORT', 3000, problems, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const baseUrl = (url(env, 'BASE_URL', ['http:', 'https:'], problems) ?? `http://localhost:${port}`).replace(/\/$/, '');
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:'], problems);
  const env_ = (['development', 'production', 'test'].includes(nodeEnv) ? nodeEnv : 'development') as Config['env'];
  const config: Config = {
    env: env_,
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    baseUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Hromada <no-reply@localhost>',
    logLevel: env.LOG_LEVEL || (env_ === 'test' ? 'silent' : 'info'),
    trustProxy: bool(env, 'TRUST_PROXY', false, problems),
    runWorker: bool(env, 'RUN_WORKER', true, problems),
    tileUrl: env.TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    tileAttribution: env.TILE_ATTRIBUTION || '© OpenStreetMap contributors',
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, problems, 1024),
    identityProviders: identityProviders(env, problems),
    rateLimits: bool(env, 'RATE_LIMITS', true, problems),
    securityContact: securityContact(env, problems),
    // Off in tests unless asked for: many write straight to the database and read the page at once.
    pageCacheMs: int(env, 'PAGE_CACHE_MS', env_ === 'test' ? 0 : 1000, problems, 0, 1000),
    identifierKey: env.IDENTIFIER_KEY || null,
    ledgerWitnesses: ledgerWitnesses(env.LEDGER_WITNESSES, problems),
    ledgerPromiseSeconds: int(env, 'LEDGER_PROMISE_SECONDS', 3600, problems, 60, 7 * 86_400),
  };
  if (config.identifierKey !== null && config.identifierKey.length < 32) problems.push('IDENTIFIER_KEY must be at least 32 characters long');
  if (env_ === 'production' && !config.identifierKey) problems.push('IDENTIFIER_KEY is required when NODE_ENV=production (it keys the hashes of national ids and document numbers)');
  if (env_ === 'production' && !env.BASE_URL) problems.push('BASE_URL is required when NODE_ENV=production');
  // The outbox holds password-reset links: a public one handed any account to any visitor. Say so rather than ignore it.
  if (env.PUBLIC_OUTBOX !== undefined && !['', '0', 'false', 'no', 'off'].includes(env.PUBLIC_OUTBOX.toLowerCase())) {
    problems.push('PUBLIC_OUTBOX is no longer supported: the development outbox is shown only to signed-in platform administrators (and mail is printed on the console)');
  }
  if (env_ === 'production' && config.identityProviders.some((p) => p.demo)) problems.push('demo identity providers are refused when NODE_ENV=production');
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}
