import type { Database } from '../../db/database.ts';
import type { Deps } from '../http/deps.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { queueMail } from '../notify/mail-job.ts';
import { anonymiseUser, consumeToken, findUserByEmail, findUserById, insertOrFindUser, insertToken, insertUser, updateUser } from './auth.repo.ts';
import { forgetAccountAttempts, SIGN_IN } from './attempts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { destroyUserSessions } from './sessions.ts';
import { randomToken } from './tokens.ts';

const VERIFY_TTL = 3 * 86400_000;
const RESET_TTL = 3600_000;
// Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
let dummyHash: Promise<string> | null = null;

/** Mail with a link that confirms the address (and signs in), in the caller's transaction. */
async function queueVerificationMail(db: Database, baseUrl: string, userId: number, email: string, locale: Locale): Promise<void> {
  const token = randomToken();
  const t = translator(locale);
  await insertToken(db, token, userId, 'verify_email', VERIFY_TTL);
  await queueMail(db, {
    to: email,
    subject: t('auth.mail.verify.subject'),
    text: t('auth.mail.verify.body', { url: `${baseUrl}/${locale}/account/verify?token=${token}` }),
  });
}

export async function sendVerificationMail(deps: Deps, userId: number, email: string, locale: Locale): Promise<void> {
  await deps.db.transaction().execute((trx) => queueVerificationMail(trx, deps.config.baseUrl, userId, email, locale));
}

/**
 * Creates an account and mails the link that confirms it; the owner of an address already registered is
 * mailed a reset link instead. Both take the same work (one password hash, then one transaction of the same
 * three statements), so neither the answer nor its timing tells whether the address has an account.
 */
export async function register(deps: Deps, input: { fullName: string; email: string; password: string }, locale: Locale):
  Promise<{ kind: 'registered'; userId: number } | { kind: 'exists' }> {
  const passwordHash = await hashPassword(input.password);
  const email = input.email.toLowerCase();
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertOrFindUser(trx, { email, passwordHash, fullName: input.fullName, locale });
    if (row.inserted) {
      await queueVerificationMail(trx, deps.config.baseUrl, row.id, email, locale);
      return { kind: 'registered' as const, userId: row.id };
    }
    const token = randomToken();
    const t = translator(locale);
    await insertToken(trx, token, row.id, 'reset_password', RESET_TTL);
    await queueMail(trx, {
      to: email,
      subject: t('auth.mail.exists.subject'),
      text: t('auth.mail.exists.body', { url: `${deps.config.baseUrl}/${locale}/account/reset/${token}` }),
    });
    return { kind: 'exists' as const };
  });
}

/**
 * The account of someone who just proved they read mail at `email` (a guest confirming a report): theirs,
 * now counted as e-mail verified, or a new one without a password (they can set one through a reset link).
 */
export async function accountForConfirmedEmail(db: Database, email: string, fullName: string, locale: string): Promise<number> {
  const created = await insertUser(db, { email, passwordHash: null, fullName, locale, emailVerified: true });
  if (created) return created.id;
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error('an address that conflicts on insert must be found');
  if (!user.email_verified_at) await updateUser(db, user.id, { email_verified_at: new Date() });
  return user.id;
}

export async function signIn(deps: Deps, email: string, password: string): Promise<{ kind: 'ok'; userId: number } | { kind: 'invalid' }> {
  const user = await findUserByEmail(deps.db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await (dummyHash ??= hashPassword(randomToken()))), password);
  if (!user || !ok || user.deleted_at) return { kind: 'invalid' };
  return { kind: 'ok', userId: user.id };
}

export async function verifyEmail(deps: Deps, token: string): Promise<{ kind: 'verified'; userId: number } | { kind: 'invalid_token' }> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await consumeToken(trx, token, 'verify_email');
    if (!row?.user_id) return { kind: 'invalid_token' as const };
    await updateUser(trx, row.user_id, { email_verified_at: new Date() });
    return { kind: 'verified' as const, userId: row.user_id };
  });
}

/** Sends a reset link when the address is known; says nothing either way, so addresses cannot be probed. */
export async function requestPasswordReset(deps: Deps, email: string, locale: Locale): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.deleted_at || !user.email) return;
  const token = randomToken();
  const t = translator(locale);
  await deps.db.transaction().execute(async (trx) => {
    await insertToken(trx, token, user.id, 'reset_password', RESET_TTL);
    await queueMail(trx, {
      to: user.email!,
      subject: t('auth.mail.reset.subject'),
      text: t('auth.mail.reset.body', { url: `${deps.config.baseUrl}/${locale}/account/reset/${token}` }),
    });
  });
}

/** Sets a new password from a reset link; signs the account out everywhere and ends a sign-in lock. Reaching the link proves the address. */
export async function resetPassword(deps: Deps, token: string, password: string): Promise<{ kind: 'ok'; userId: number } | { kind: 'invalid_token' }> {
  const passwordHash = await hashPassword(password);
  return deps.db.transaction().execute(async (trx) => {
    const row = await consumeToken(trx, token, 'reset_password');
    if (!row?.user_id) return { kind: 'invalid_token' as const };
    await updateUser(trx, row.user_id, { password_hash: passwordHash, email_verified_at: new Date() });
    await destroyUserSessions(trx, row.user_id);
    const email = (await findUserById(trx, row.user_id))?.email;
    if (email) await forgetAccountAttempts(trx, SIGN_IN, email);
    return { kind: 'ok' as const, userId: row.user_id };
  });
}

export async function changePassword(deps: Deps, userId: number, sessionId: string, current: string, next: string): Promise<'ok' | 'wrong_password'> {
  const user = await findUserById(deps.db, userId);
  if (!user || !(await verifyPassword(user.password_hash, current))) return 'wrong_password';
  await updateUser(deps.db, userId, { password_hash: await hashPassword(next) });
  await destroyUserSessions(deps.db, userId, sessionId);
  return 'ok';
}

/** Deletes an account after the person types their e-mail (or full name, for accounts without one). */
export async function deleteAccount(deps: Deps, userId: number, confirmation: string): Promise<'deleted' | 'mismatch'> {
  const user = await findUserById(deps.db, userId);
  if (!user) return 'mismatch';
  const expected = (user.email ?? user.full_name).trim().toLowerCase();
  if (confirmation.trim().toLowerCase() !== expected) return 'mismatch';
  await deps.db.transaction().execute((trx) => anonymiseUser(trx, userId));
  return 'deleted';
}
