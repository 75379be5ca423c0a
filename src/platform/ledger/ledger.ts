import { breatheEvery } from '../time/breathe.ts';
import crypto from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { sharedSecret } from '../auth/secrets.ts';
import { chainHead, insertEntries, lockChain, selectEntries, type LedgerRow } from './ledger.repo.ts';
import { signCheckpoint } from './log.ts';
import { leafHash } from './merkle.ts';
import { growTree } from './tree.ts';

/**
 * The public ledger: every signature and vote is appended to a hash chain per municipality and
 * chain name (e.g. "petition:42"), so anyone can re-count a tally and notice a removed, altered or
 * reordered entry. The format is specified in docs/LEDGER.md; change it only together with that.
 */

/** The `prev` of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller appends: the payload must be plain JSON of strings, safe integers, booleans and null. */
export interface NewLedgerEntry {
  kind: string;
  payload: Record<string, unknown>;
}

/** The fields an entry is published with, and all that is needed to check it. */
export interface PublishedEntry {
  chain: string;
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  prev: string;
  hash: string;
}

export type { LedgerRow };

export type VerifyResult =
  | { ok: true; head: string; count: number }
  | { ok: false; brokenAt: number; reason: 'chain' | 'seq' | 'prev' | 'hash' | 'payload' };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785) at every depth and no
 * whitespace. Only values that survive a round trip through jsonb and through any language's
 * JSON parser unchanged are accepted, so a published entry always re-hashes to its stored hash:
 * strings without NUL or lone surrogates, safe integers, booleans, null, arrays and plain objects.
 * Object properties that are `undefined` are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') {
    // jsonb rejects NUL, and PostgreSQL would store a lone surrogate as U+FFFD: either way the
    // hash computed here could never be reproduced from the published entry.
    if (value.includes('\u0000') || LONE_SURROGATE.test(value)) throw new TypeError('Ledger strings must be well-formed Unicode without NUL');
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    // Floats print differently across languages (1e-7 vs 1e-07): integers are the portable subset.
    if (!Number.isSafeInteger(value)) throw new TypeError(`Ledger numbers must be safe integers, got ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => {
      if (v === undefined) throw new TypeError('Ledger arrays cannot hold undefined');
      return canonicalJson(v);
    }).join(',')}]`;
  }
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${canonicalJson(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`Ledger values must be plain JSON, got ${Object.prototype.toString.call(value)}`);
}

/** The hash of an entry: sha256 (hex) of the canonical JSON of { chain, seq, kind, payload, prev }. */
export function entryHash(e: Omit<PublishedEntry, 'hash'>): string {
  return hashWithPayload(e, canonicalJson(e.payload));
}

/** entryHash with the payload's canonical JSON made already: the keys in their sorted order, around it. */
function hashWithPayload(e: Omit<PublishedEntry, 'hash' | 'payload'>, payload: string): string {
  return crypto.createHash('sha256').update(canonicalEntry(e, payload), 'utf8').digest('hex');
}

/** An entry's canonical form: the text its `hash` is the SHA-256 of, and its Merkle leaf. */
function canonicalEntry(e: Omit<PublishedEntry, 'hash' | 'payload'>, payload: string): string {
  return `{"chain":${canonicalJson(e.chain)},"kind":${canonicalJson(e.kind)},"payload":${payload},"prev":${canonicalJson(e.prev)},"seq":${canonicalJson(e.seq)}}`;
}

/** The Merkle leaf hash of an entry (RFC 9162: SHA-256 of 0x00 and the entry's canonical form). */
export const entryLeaf = (e: Omit<PublishedEntry, 'hash'>): Buffer => leafHash(Buffer.from(canonicalEntry(e, canonicalJson(e.payload)), 'utf8'));

/**
 * An opaque, per-chain name for a user: HMAC-SHA256 (hex) keyed by a platform secret over the
 * canonical JSON of [chain, userId]. Outsiders cannot link it to a person or across chains;
 * the platform can show a signer their own pseudonym so they can find their entry. A person known by
 * something else than an account (a paper ballot's document) is named by a string subject, `doc:<hash>`.
 */
export function pseudonym(secret: string | Buffer, chain: string, subject: number | string): string {
  return crypto.createHmac('sha256', secret).update(canonicalJson([chain, subject]), 'utf8').digest('hex');
}

const secrets = new WeakMap<Database, Promise<string>>();

/** The secret every chain's pseudonyms are keyed with (kept in the database, read once per handle). */
export function pseudonymSecret(db: Database): Promise<string> {
  let s = secrets.get(db);
  if (!s) {
    secrets.set(db, (s = sharedSecret(db, 'ledger-pseudonyms')));
    s.catch(() => secrets.delete(db));
  }
  return s;
}

/** The ledger's form of a moment: UTC to the second (`at` in docs/LEDGER.md), e.g. "2027-05-02T10:11:12Z". */
export const ledgerTime = (d: Date | string) => `${new Date(d).toISOString().slice(0, 19)}Z`;

function checkName(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) throw new TypeError(`Ledger ${what} must be a non-empty string of at most 200 characters`);
}

/**
 * Appends entries at the end of a chain, in order, inside the caller's transaction (or a new one):
 * they are durable exactly when the signature or vote they record is. Concurrent appends to the same
 * chain wait for each other; different chains do not.
 */
export async function appendToLedger(
  db: Database,
  input: { municipalityId: number; chain: string; entries: NewLedgerEntry[] },
): Promise<PublishedEntry[]> {
  checkName('chain', input.chain);
  for (const e of input.entries) checkName('kind', e.kind);
  if (input.entries.length === 0) return [];
  if (!db.isTransaction) return db.transaction().execute((trx) => appendToLedger(trx, input));

  // Build the canonical forms before touching the database, so a bad payload fails without waiting on the lock.
  const payloads: string[] = [];
  for (const [i, e] of input.entries.entries()) {
    await breatheEvery(i);
    payloads.push(canonicalJson(e.payload));
  }
  // The head is read after the lock is held; under READ COMMITTED (the default) that read sees every
  // append committed before us. A REPEATABLE READ caller would read an older head and fail on the
  // unique (municipality_id, chain, seq) key instead: refused, never forked.
  await lockChain(db, input.municipalityId, input.chain);
  const head = await chainHead(db, input.municipalityId, input.chain);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const size = seq;
  const out: (PublishedEntry & { leaf: Buffer })[] = [];
  for (const [i, e] of input.entries.entries()) {
    await breatheEvery(i);
    seq += 1;
    const entry = { chain: input.chain, seq, kind: e.kind, payload: e.payload, prev };
    const canonical = Buffer.from(canonicalEntry(entry, payloads[i]!), 'utf8');
    const hash = crypto.createHash('sha256').update(canonical).digest('hex');
    out.push({ ...entry, hash, leaf: leafHash(canonical) });
    prev = hash;
  }
  await insertEntries(db, input.municipalityId, out);
  // The Merkle tree grows in the same transaction, and the new size gets its signed checkpoint.
  const root = await growTree(db, input.municipalityId, input.chain, size, out.map((e) => e.leaf));
  await signCheckpoint(db, input.municipalityId, input.chain, seq, root);
  return out.map(({ leaf: _, ...e }) => e);
}

/** A page of a chain for publication, oldest first; `limit` is capped at 10 000. */
export async function ledgerEntries(
  db: Database,
  municipalityId: number,
  chain: string,
  opts: { afterSeq?: number; limit: number },
): Promise<LedgerRow[]> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(opts.limit)));
  return selectEntries(db, municipalityId, chain, Math.max(0, Math.floor(opts.afterSeq ?? 0)), limit);
}

/**
 * Re-checks a chain from its published fields alone: one chain name, seq counting up by one,
 * each `prev` equal to the hash before it (GENESIS_HASH before seq 1), each hash recomputed.
 * To check a later page on its own, pass the last verified entry as `start`.
 */
export function verifyChain(entries: readonly PublishedEntry[], start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): VerifyResult {
  let seq = start.seq;
  let prev = start.hash;
  const chain = entries[0]?.chain;
  for (const e of entries) {
    if (e.chain !== chain) return { ok: false, brokenAt: e.seq, reason: 'chain' };
    if (e.seq !== seq + 1) return { ok: false, brokenAt: e.seq, reason: 'seq' };
    if (e.prev !== prev) return { ok: false, brokenAt: e.seq, reason: 'prev' };
    let hash: string;
    try {
      hash = entryHash(e);
    } catch {
      return { ok: false, brokenAt: e.seq, reason: 'payload' };
    }
    if (hash !== e.hash) return { ok: false, brokenAt: e.seq, reason: 'hash' };
    seq = e.seq;
    prev = e.hash;
  }
  return { ok: true, head: prev, count: entries.length };
}
