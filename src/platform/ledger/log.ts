import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { formatCheckpoint, originOf } from './checkpoint.ts';
import { privateKeyFromRaw, rawPrivateKey, rawPublicKey, signNote, vkeyOf } from './note.ts';

/**
 * The installation as a log: its name (the first part of every chain's origin, fixed at first start from
 * BASE_URL's host) and its Ed25519 keys, kept in the database. Every checkpoint and inclusion promise is
 * signed by each key still signing; a rotation starts a new key at once and lets the old one sign beside it
 * for the overlap, so a verifier who knows either key sees no gap.
 */

export const DEFAULT_ROTATION_OVERLAP_DAYS = 30;

/** Creates the log's name and first key unless they exist; safe to run from several processes at once. */
export async function ensureLedgerLog(db: Database, name: string): Promise<void> {
  await db.insertInto('ledger_log').values({ id: true, name }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  await db.insertInto('ledger_keys').values({ generation: 1, public_key: rawPublicKey(privateKey), private_key: rawPrivateKey(privateKey) })
    .onConflict((oc) => oc.column('generation').doNothing()).execute();
}

/** The log name as stored; what BASE_URL's host was at first start. */
export async function ledgerLogName(db: Database): Promise<string> {
  const row = await db.selectFrom('ledger_log').select('name').executeTakeFirst();
  if (row) return row.name;
  await ensureLedgerLog(db, 'localhost');
  return ledgerLogName(db);
}

/** A chain's origin and the keys that sign for it now, in one read. */
async function signers(db: Database, municipalityId: number, chain: string, at: Date) {
  const row = await sql<{ name: string | null; slug: string | null; keys: { seed: string }[] | null }>`
    SELECT (SELECT name FROM ledger_log) AS name,
      (SELECT slug FROM municipalities WHERE id = ${municipalityId}) AS slug,
      (SELECT json_agg(json_build_object('seed', encode(private_key, 'hex')) ORDER BY generation)
         FROM ledger_keys WHERE created_at <= ${at} AND (retires_at IS NULL OR retires_at > ${at})) AS keys`.execute(db);
  const r = row.rows[0]!;
  if (!r.name || !r.keys?.length) {
    await ensureLedgerLog(db, 'localhost');
    return signers(db, municipalityId, chain, at);
  }
  if (!r.slug) throw new Error(`No municipality ${municipalityId}`);
  const origin = originOf(r.name, r.slug, chain);
  return { origin, keys: r.keys.map((k) => ({ name: origin, privateKey: privateKeyFromRaw(Buffer.from(k.seed, 'hex')) })) };
}

/** Signs and stores the checkpoint of a chain at `size` with `root`; inside the append's transaction. */
export async function signCheckpoint(trx: Database, municipalityId: number, chain: string, size: number, root: Buffer): Promise<string> {
  const now = new Date();
  const { origin, keys } = await signers(trx, municipalityId, chain, now);
  const note = signNote(formatCheckpoint({ origin, size, root, time: now }), keys);
  await trx.insertInto('ledger_checkpoints').values({ municipality_id: municipalityId, chain, size, root, note, created_at: now } as never).execute();
  return note;
}

/** The first line of an inclusion promise's text (docs/LEDGER.md). */
export const PROMISE_HEADER = 'hromada/ledger-promise/v1';

/**
 * A signed promise that an entry of `kind` with exactly `payload` (its canonical JSON) will be in the chain by
 * `deadline`, as certificate transparency's signed certificate timestamp promises inclusion.
 */
export async function signPromise(db: Database, municipalityId: number, chain: string, kind: string, payloadJson: string, deadline: Date): Promise<string> {
  const { origin, keys } = await signers(db, municipalityId, chain, new Date());
  return signNote(`${PROMISE_HEADER}\n${origin}\n${kind}\n${payloadJson}\n${Math.floor(deadline.getTime() / 1000)}\n`, keys);
}

/** The origin of a chain (for pages and proofs). */
export async function chainOrigin(db: Database, municipalityId: number, chain: string): Promise<string> {
  return (await signers(db, municipalityId, chain, new Date())).origin;
}

export interface PublishedKey {
  generation: number;
  publicKey: string;
  createdAt: string;
  retiresAt: string | null;
}

/** Every key the installation has had, oldest first, with when it stops (or stopped) signing. */
export async function publishedKeys(db: Database): Promise<{ log: string; keys: PublishedKey[] }> {
  const log = await ledgerLogName(db);
  const rows = await db.selectFrom('ledger_keys').select(['generation', 'public_key', 'created_at', 'retires_at']).orderBy('generation').execute();
  return {
    log,
    keys: rows.map((k) => ({
      generation: k.generation, publicKey: Buffer.from(k.public_key).toString('base64'),
      createdAt: new Date(k.created_at).toISOString(), retiresAt: k.retires_at ? new Date(k.retires_at).toISOString() : null,
    })),
  };
}

/** The published keys that still sign now (not retired). */
export const liveKeys = (keys: readonly PublishedKey[], now = new Date()) => keys.filter((k) => !k.retiresAt || new Date(k.retiresAt) > now);

/** The vkeys of a chain's origin, one per installation key (C2SP signed-note verifier keys). */
export const chainVkeys = (origin: string, keys: readonly { publicKey: string }[]) => keys.map((k) => vkeyOf(origin, Buffer.from(k.publicKey, 'base64')));

/**
 * Starts a new key; the keys signing now keep signing for `overlapDays` more (0: stop at once, as after a
 * compromise). Returns the new key's generation.
 */
export async function rotateLedgerKey(db: Database, overlapDays = DEFAULT_ROTATION_OVERLAP_DAYS): Promise<number> {
  if (!db.isTransaction) return db.transaction().execute((trx) => rotateLedgerKey(trx, overlapDays));
  await sql`LOCK TABLE ledger_keys IN EXCLUSIVE MODE`.execute(db);
  const now = new Date();
  const retire = new Date(now.getTime() + overlapDays * 86_400_000);
  await db.updateTable('ledger_keys').set({ retires_at: retire })
    .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', retire)])).execute();
  const last = await db.selectFrom('ledger_keys').select((eb) => eb.fn.max('generation').as('g')).executeTakeFirst();
  const generation = Number(last?.g ?? 0) + 1;
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  await db.insertInto('ledger_keys').values({ generation, public_key: rawPublicKey(privateKey), private_key: rawPrivateKey(privateKey), created_at: now } as never).execute();
  return generation;
}
