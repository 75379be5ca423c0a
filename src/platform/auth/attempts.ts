import crypto from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../http/deps.ts';
import { chargeAttempt, clearAttempts, refundAttempt, type Charge } from './attempts.repo.ts';

/** How many attempts a key may make before it is locked, how fast they are forgotten, and how the lock grows. */
export interface AttemptPolicy {
  /** Attempts in a row before the first lock. */
  free: number;
  /** One remembered attempt is forgotten every this many milliseconds. */
  leakMs: number;
  /** The first lock; each further attempt doubles it… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
}

/** Limits per account (the e-mail address typed, known or not) and, much higher, per network address. */
export interface AttemptLimits {
  name: string;
  account: AttemptPolicy;
  ip: AttemptPolicy;
}

const MIN = 60_000;

/**
 * Failed sign-ins. An account is locked after 5 failures, for 1, 2, 4 … minutes up to an hour, and one
 * failure is forgotten every 15 minutes; a network address (a library, a carrier's NAT) only after 200,
 * forgetting one every 18 s (200 an hour). Successes are not counted.
 */
export const SIGN_IN: AttemptLimits = {
  name: 'sign-in',
  account: { free: 5, leakMs: 15 * MIN, baseMs: MIN, maxMs: 60 * MIN },
  ip: { free: 200, leakMs: 18_000, baseMs: MIN, maxMs: 60 * MIN },
};

/** Registrations: each sends a mail, so each counts; 3 to one address, then 10 minutes doubling; 30 an hour from one network. */
export const REGISTER: AttemptLimits = {
  name: 'register',
  account: { free: 3, leakMs: 60 * MIN, baseMs: 10 * MIN, maxMs: 24 * 60 * MIN },
  ip: { free: 30, leakMs: 2 * MIN, baseMs: MIN, maxMs: 60 * MIN },
};

/** Password-reset requests: each sends a mail; 3 to one address, then 10 minutes doubling; 30 an hour from one network. */
export const RESET: AttemptLimits = {
  name: 'reset',
  account: { free: 3, leakMs: 20 * MIN, baseMs: 10 * MIN, maxMs: 24 * 60 * MIN },
  ip: { free: 30, leakMs: 2 * MIN, baseMs: MIN, maxMs: 60 * MIN },
};

export type Gate =
  | { ok: false; retryAfterSeconds: number }
  | { ok: true; /** The attempt succeeded: it does not count, and the account's failures are forgotten. */ succeeded(): Promise<void> };

// Addresses are not kept in the clear in the counters: a keyed hash would need a secret, a plain one suffices
// to keep them out of a glance at the table (the table is not public either way).
const accountKey = (limits: AttemptLimits, email: string) =>
  `${limits.name}:account:${crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;

/** Forgets an account's failures: its owner proved they read its mail (a password reset), so a lock set by someone guessing ends. */
export async function forgetAccountAttempts(db: Database, limits: AttemptLimits, email: string): Promise<void> {
  await clearAttempts(db, accountKey(limits, email));
}

/**
 * Charges an attempt to the account and to the network address before the work is done (so parallel attempts
 * cannot all slip in), or refuses it while either is locked. Attempt limits live in the `rate_limits` table,
 * shared by every process; with `RATE_LIMITS=false` every attempt passes.
 */
export async function attempt(deps: Deps, limits: AttemptLimits, who: { email: string; ip: string }): Promise<Gate> {
  if (!deps.config.rateLimits) return { ok: true, succeeded: async () => {} };
  const account = accountKey(limits, who.email);
  const ip = `${limits.name}:ip:${who.ip}`;
  const onAccount = await chargeAttempt(deps.db, account, limits.account);
  if (!onAccount.charged) return { ok: false, retryAfterSeconds: onAccount.waitSeconds };
  const onIp: Charge = await chargeAttempt(deps.db, ip, limits.ip);
  if (!onIp.charged) {
    await refundAttempt(deps.db, account, limits.account, onAccount);
    return { ok: false, retryAfterSeconds: onIp.waitSeconds };
  }
  return {
    ok: true,
    succeeded: async () => {
      await clearAttempts(deps.db, account);
      await refundAttempt(deps.db, ip, limits.ip, onIp);
    },
  };
}
