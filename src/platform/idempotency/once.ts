import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { PeriodicTask } from '../module.ts';
import { ONCE_FIELD } from './field.ts';
import { claimKey, forgetKeys, recordAnswer } from './once.repo.ts';

export { ONCE_FIELD, newOnceKey } from './field.ts';


/** How long a key is remembered: far past any retry, double click or reload of a form left open. */
export const ONCE_TTL_MS = 24 * 3600_000;

/** Whose key it is and where: a key only ever matches the same person's (or API client's) request in the same municipality. */
export interface OnceKey {
  municipalityId: number;
  /** `u<id>` for a signed-in user, `k<id>` for an API key, `guest` for a visitor (whose key is a random UUID only their page held). */
  actor: string;
  /** What the client sent (at most 200 characters). */
  key: string;
}

/**
 * The key a request carries: the form's `_once` field (`fields` for multipart forms, whose fields are
 * read with the file) or the `Idempotency-Key` header. Null when there is none or it is not one
 * (longer than 200 characters, or not printable ASCII): the request is then served without one.
 */
export function onceKey(req: FastifyRequest, opts: { actor?: string; municipalityId?: number; fields?: Record<string, string> } = {}): OnceKey | null {
  const body = (opts.fields ?? req.body) as Record<string, unknown> | undefined;
  const raw = (body && typeof body === 'object' ? body[ONCE_FIELD] : undefined) ?? req.headers['idempotency-key'];
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) return null;
  return {
    municipalityId: opts.municipalityId ?? req.municipality?.id ?? 0,
    actor: opts.actor ?? (req.user ? `u${req.user.id}` : 'guest'),
    key: raw,
  };
}

/** Thrown to roll a transaction back while still answering with `value`. */
class NotKept {
  constructor(readonly value: unknown) {}
}

/**
 * Runs a create once per key: in one transaction, claims the key (`what` names the kind of create, so one
 * key sent to two forms makes two records), runs `create`, and stores its result as the answer. A repeat
 * of the key, at the same time or later, makes nothing and gets the stored answer: what the first
 * request returned, through JSON (so results are plain data: kinds, numbers, slugs, ids). A result
 * `keep` refuses (an error outcome) rolls the claim back with everything else, so the same form,
 * corrected, can be sent again. `answer` picks what a repeat gets, where the result holds a secret that
 * must not be kept (an API key shown once). Without a key it is a plain transaction (rolled back all the same
 * where `keep` refuses the result).
 */
export async function createOnce<T>(db: Database, key: OnceKey | null, what: string, create: (trx: Transaction<DB>) => Promise<T>, keep: (result: T) => boolean = () => true, answer: (result: T) => unknown = (r) => r): Promise<T> {
  const row = key && { municipalityId: key.municipalityId, actor: key.actor, key: crypto.createHash('sha256').update(`${what}\n${key.key}`).digest('base64url') };
  try {
    return await db.transaction().execute(async (trx) => {
      if (row) {
        const claim = await claimKey(trx, row);
        if (!claim.claimed) return claim.answer as T;
      }
      const result = await create(trx);
      if (!keep(result)) throw new NotKept(result);
      if (row) await recordAnswer(trx, row, answer(result));
      return result;
    });
  } catch (error) {
    if (error instanceof NotKept) return error.value as T;
    throw error;
  }
}

/** Forgets keys past ONCE_TTL_MS, every hour. */
export const forgetOldKeys: PeriodicTask = {
  name: 'idempotency.forget',
  everySeconds: 3600,
  run: (deps) => forgetKeys(deps.db, ONCE_TTL_MS),
};
