import crypto from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { sharedSecret } from '../auth/secrets.ts';
import { audit } from '../audit/audit.ts';
import type { Deps } from '../http/deps.ts';
import { createOnce, type OnceKey } from '../idempotency/once.ts';
import { definePermissions, hasRole } from '../tenancy/policy.ts';
import {
  countWrongCode, findOpenLetter, insertLetter, lettersForPrint, markPrinted, useLetter, voidLetter, waitingLetterIds,
} from './letters.repo.ts';
import { confirmResident } from './census.repo.ts';

/** A printed code holds this long. */
export const LETTER_VALID_DAYS = 30;
/** Wrong codes a letter takes; the last one voids it. */
export const LETTER_MAX_ATTEMPTS = 5;
/** At most this many letters go into one PDF batch. */
export const LETTER_BATCH_MAX = 200;
/** Letters of a code: no 0/O, 1/I/L confusion, so a code read off paper is typed right. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

definePermissions({
  /** Printing postal code letters: the municipality's registrars (and its admin). */
  'residence.letters': (u, s) => hasRole(u, s.municipalityId, 'registrar'),
});

type Actor = Pick<CurrentUser, 'id'> & { ip?: string | null };

const keys = new WeakMap<Database, Promise<string>>();
/** The key of the letters' codes: derived from IDENTIFIER_KEY where set, else a secret kept in the database. */
function letterKey(deps: Deps): Promise<string> {
  let key = keys.get(deps.db);
  if (!key) {
    const configured = deps.config.identifierKey;
    key = configured
      ? Promise.resolve(crypto.createHmac('sha256', configured).update('residence-letters').digest('base64url'))
      : sharedSecret(deps.db, 'residence-letters');
    keys.set(deps.db, key);
  }
  return key;
}

/** A code as people type it: upper case, only the code's letters ("abcd-efgh " is "ABCDEFGH"); O read as 0 is never in a code. */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** A code shown as two groups of four, easier to read off paper. */
export const showCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * The code of a letter printed under `nonce` (the print form's idempotency key, or a random one): an HMAC, so a
 * repeat of the same form prints the same codes and a new printing new ones. Neither the nonce nor the code is
 * stored; each letter takes 5 bits of the MAC, the one value past the 31-letter alphabet skipped, so every letter is equally likely.
 */
function codeFor(key: string, letterId: number, nonce: string): string {
  const mac = crypto.createHmac('sha256', key).update(`code\n${letterId}\n${nonce}`).digest();
  let code = '';
  for (let i = 0; code.length < CODE_LENGTH; i++) {
    const v = mac[i]! & 31;
    if (v < CODE_ALPHABET.length) code += CODE_ALPHABET[v];
  }
  return code;
}

const hashWith = (key: string, letterId: number, code: string) =>
  crypto.createHmac('sha256', key).update(`hash\n${letterId}\n${normaliseCode(code)}`).digest('base64url');

/** What is stored of a code: a keyed hash bound to its letter. */
export async function codeHash(deps: Deps, letterId: number, code: string): Promise<string> {
  return hashWith(await letterKey(deps), letterId, code);
}

const offers = (m: Municipality) => (m.resident_ways as string[]).includes('letter');

export type RequestOutcome = { kind: 'requested' } | { kind: 'open_exists' } | { kind: 'already_resident' } | { kind: 'not_offered' };

/** A resident asks for a letter to their address; an expired letter of theirs is closed first. One open letter at a time. */
export async function requestLetter(deps: Deps, user: CurrentUser, m: Municipality, v: { recipient: string; address: string }, once: OnceKey | null): Promise<RequestOutcome> {
  if (!offers(m)) return { kind: 'not_offered' };
  if (user.residentOf.includes(m.id)) return { kind: 'already_resident' };
  return createOnce(deps.db, once, 'residence.letter', async (trx): Promise<RequestOutcome> => {
    const open = await findOpenLetter(trx, m.id, user.id, true);
    if (open && !(open.expires_at && new Date(open.expires_at) <= new Date())) return { kind: 'open_exists' };
    if (open) await voidLetter(trx, open.id);
    return (await insertLetter(trx, m.id, user.id, v.recipient, v.address)) ? { kind: 'requested' } : { kind: 'open_exists' };
  }, (r) => r.kind === 'requested');
}

export type PrintOutcome = { kind: 'printed'; ids: number[]; printedAt: string; nonce?: string } | { kind: 'none' };

/**
 * Prints letters (those waiting, or the ones named, again): each gets a new code, valid LETTER_VALID_DAYS, and
 * its earlier code stops working. Audited per letter. A repeat of the same form (`once`) prints nothing anew:
 * its answer names the letters, whose codes `printedCodes` makes again from the same key.
 */
export async function printLetters(deps: Deps, actor: Actor, m: Municipality, which: 'waiting' | number[], once: OnceKey | null): Promise<PrintOutcome> {
  const nonce = once?.key ?? crypto.randomUUID();
  // Read before the transaction: PGlite has one connection, which the transaction holds.
  const key = await letterKey(deps);
  return createOnce(deps.db, once, 'residence.letters.print', async (trx): Promise<PrintOutcome> => {
    const ids = which === 'waiting' ? await waitingLetterIds(trx, m.id, LETTER_BATCH_MAX) : which.slice(0, LETTER_BATCH_MAX);
    const letters = (await lettersForPrint(trx, m.id, ids)).filter((l) => l.used_at === null);
    if (letters.length === 0) return { kind: 'none' };
    const printedAt = new Date();
    const expiresAt = new Date(printedAt.getTime() + LETTER_VALID_DAYS * 86_400_000);
    for (const l of letters) {
      await markPrinted(trx, l.id, hashWith(key, l.id, codeFor(key, l.id, nonce)), actor.id, printedAt, expiresAt);
      await audit(trx, {
        municipalityId: m.id, actorId: actor.id, action: 'residence.letter.print', subjectType: 'user', subjectId: l.user_id,
        after: { letter: l.id, reprint: l.printed_at !== null, expiresAt }, ip: actor.ip ?? null,
      });
    }
    return { kind: 'printed', ids: letters.map((l) => l.id), printedAt: printedAt.toISOString(), nonce };
  }, (r) => r.kind === 'printed', (r) => (r.kind === 'printed' ? { kind: r.kind, ids: r.ids, printedAt: r.printedAt } : r));
}

/** What goes on each page of a printed batch: only letters still holding the code `nonce` made (not used, not printed again since). */
export async function printedCodes(deps: Deps, m: Municipality, printed: Extract<PrintOutcome, { kind: 'printed' }>, nonce: string) {
  const key = await letterKey(deps);
  const letters = await lettersForPrint(deps.db, m.id, printed.ids);
  const out = [];
  for (const l of letters) {
    const code = codeFor(key, l.id, nonce);
    if (l.used_at === null && l.code_hash === hashWith(key, l.id, code) && l.expires_at) {
      out.push({ id: l.id, recipient: l.recipient, address: l.address, locale: l.locale, code, expiresAt: new Date(l.expires_at) });
    }
  }
  return out;
}

export type CodeOutcome =
  | { kind: 'confirmed' } | { kind: 'wrong'; left: number } | { kind: 'void' } | { kind: 'expired' }
  | { kind: 'no_letter' } | { kind: 'not_printed' } | { kind: 'already_resident' } | { kind: 'not_offered' };

/** A resident enters the code of their letter: right confirms them (method `letter`); each wrong one counts, the fifth voids the letter. */
export async function enterCode(deps: Deps, user: CurrentUser, m: Municipality, raw: string, ip: string | null = null): Promise<CodeOutcome> {
  if (!offers(m)) return { kind: 'not_offered' };
  if (user.residentOf.includes(m.id)) return { kind: 'already_resident' };
  const key = await letterKey(deps);
  return deps.db.transaction().execute(async (trx): Promise<CodeOutcome> => {
    const letter = await findOpenLetter(trx, m.id, user.id, true);
    if (!letter) return { kind: 'no_letter' };
    if (!letter.code_hash || !letter.expires_at) return { kind: 'not_printed' };
    if (new Date(letter.expires_at) <= new Date()) return { kind: 'expired' };
    const given = Buffer.from(hashWith(key, letter.id, raw));
    const stored = Buffer.from(letter.code_hash);
    if (given.length !== stored.length || !crypto.timingSafeEqual(given, stored)) {
      const attempts = await countWrongCode(trx, letter.id);
      if (attempts < LETTER_MAX_ATTEMPTS) return { kind: 'wrong', left: LETTER_MAX_ATTEMPTS - attempts };
      await voidLetter(trx, letter.id);
      await audit(trx, { municipalityId: m.id, actorId: user.id, action: 'residence.letter.void', subjectType: 'user', subjectId: user.id, after: { letter: letter.id, attempts }, ip });
      return { kind: 'void' };
    }
    await useLetter(trx, letter.id);
    await confirmResident(trx, { municipalityId: m.id, userId: user.id, method: 'letter', by: letter.printed_by, documentHash: null });
    return { kind: 'confirmed' };
  });
}
