import type { Database } from '../../db/database.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { latestCheckpoint } from './checkpoints.repo.ts';
import { findPromised } from './ledger.repo.ts';
import { canonicalJson, entryHash, entryLeaf, ledgerEntries, type PublishedEntry } from './ledger.ts';
import { chainVkeys, PROMISE_HEADER, signPromise } from './log.ts';
import { verifyConsistency, verifyInclusion } from './merkle.ts';
import { openNote } from './note.ts';
import { consistencyProof, inclusionProof } from './tree.ts';

/**
 * A receipt anyone can check (docs/LEDGER.md "Receipts"): the log's signed promise to include an entry by a
 * deadline, made when the act is recorded, and once sealed the entry, its RFC 9162 inclusion proof and the
 * signed checkpoint it is proven against. One JSON file, checked offline with the installation's public keys
 * and, online, against the log as it is now.
 */

export const RECEIPT_FORMAT = 'hromada-ledger-receipt/v1';

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  origin: string;
  promise: string;
  entry: PublishedEntry | null;
  inclusion: { index: number; size: number; hashes: string[] } | null;
  checkpoint: string | null;
}

export interface Promise_ { origin: string; kind: string; payload: Record<string, unknown>; deadline: Date }

/** The promise and, when the entry is in the chain (`seq`), its proof against the latest checkpoint. */
export async function buildReceipt(
  db: Database, municipalityId: number, chain: string,
  act: { kind: string; payload: Record<string, unknown>; deadline: Date }, seq: number | null,
): Promise<Receipt> {
  const promise = await signPromise(db, municipalityId, chain, act.kind, canonicalJson(act.payload), act.deadline);
  const origin = promise.split('\n')[1]!;
  const [entry] = seq ? await ledgerEntries(db, municipalityId, chain, { afterSeq: seq - 1, limit: 1 }) : [];
  const checkpoint = entry ? await latestCheckpoint(db, municipalityId, chain) : undefined;
  if (!entry || !checkpoint || checkpoint.size < entry.seq) return { format: RECEIPT_FORMAT, origin, promise, entry: null, inclusion: null, checkpoint: null };
  const hashes = await inclusionProof(db, municipalityId, chain, entry.seq, checkpoint.size);
  return {
    format: RECEIPT_FORMAT, origin, promise,
    entry: { chain: entry.chain, seq: entry.seq, kind: entry.kind, payload: entry.payload, prev: entry.prev, hash: entry.hash },
    inclusion: { index: entry.seq - 1, size: checkpoint.size, hashes: hashes.map((h) => h.toString('base64')) },
    checkpoint: checkpoint.note,
  };
}

/** Reads a promise's text: header, origin, kind, payload (canonical JSON), deadline. */
export function parsePromise(text: string): Promise_ {
  const lines = text.split('\n');
  if (lines.length !== 6 || lines[0] !== PROMISE_HEADER || lines[5] !== '' || !/^[0-9]{1,16}$/.test(lines[4]!)) throw new TypeError('Not an inclusion promise');
  const payload = JSON.parse(lines[3]!) as Record<string, unknown>;
  if (canonicalJson(payload) !== lines[3]) throw new TypeError('The promised payload is not canonical JSON');
  return { origin: lines[1]!, kind: lines[2]!, payload, deadline: new Date(Number(lines[4]) * 1000) };
}

/** One step of a check, named by a stable code (the pages translate `platform.ledger.receipt.<code>`). */
export interface CheckStep { code: string; ok: boolean; params?: Record<string, string | number> }

export interface ReceiptCheck {
  ok: boolean;
  /** Sealed: the entry is proven in a signed checkpoint; otherwise only promised, until `deadline`. */
  sealed: boolean;
  steps: CheckStep[];
  promise?: Promise_;
  size?: number;
  root?: Buffer;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a receipt with the installation's public keys (raw, base64, as published), trusting nothing else:
 * the promise's signature, the entry against the promise and its own hash, the checkpoint's signature and
 * the inclusion proof against its root. Stops at the first failure.
 */
export function checkReceipt(input: unknown, publicKeys: readonly { publicKey: string }[]): ReceiptCheck {
  const steps: CheckStep[] = [];
  const fail = (code: string, params?: CheckStep['params']): ReceiptCheck => ({ ok: false, sealed: false, steps: [...steps, { code, ok: false, params }] });
  if (!isRecord(input) || input.format !== RECEIPT_FORMAT || typeof input.origin !== 'string' || typeof input.promise !== 'string') return fail('format');
  const r = input as unknown as Receipt;
  const vkeys = chainVkeys(r.origin, publicKeys);
  let promise: Promise_;
  try {
    const opened = openNote(r.promise, vkeys);
    if (opened.verified.length === 0) return fail('promiseSignature');
    promise = parsePromise(opened.text);
  } catch {
    return fail('promiseSignature');
  }
  if (promise.origin !== r.origin) return fail('promiseSignature');
  steps.push({ code: 'promiseSignature', ok: true, params: { deadline: promise.deadline.toISOString() } });
  if (r.entry === null || r.entry === undefined) return { ok: true, sealed: false, steps: [...steps, { code: 'pending', ok: true }], promise };
  const e = r.entry;
  if (!isRecord(e) || !isRecord(e.payload) || typeof e.seq !== 'number' || !r.origin.endsWith(`/${String(e.chain)}`)) return fail('entryMatches');
  let hash: string;
  try {
    if (e.kind !== promise.kind || canonicalJson(e.payload) !== canonicalJson(promise.payload)) return fail('entryMatches');
    hash = entryHash(e);
  } catch {
    return fail('entryMatches');
  }
  steps.push({ code: 'entryMatches', ok: true, params: { seq: e.seq } });
  if (hash !== e.hash) return fail('entryHash');
  steps.push({ code: 'entryHash', ok: true });
  let size: number;
  let root: Buffer;
  try {
    const opened = openNote(String(r.checkpoint), vkeys);
    const cp = parseCheckpoint(opened.text);
    if (opened.verified.length === 0 || cp.origin !== r.origin) return fail('checkpointSignature');
    ({ size, root } = cp);
  } catch {
    return fail('checkpointSignature');
  }
  steps.push({ code: 'checkpointSignature', ok: true, params: { size } });
  const inc = r.inclusion;
  const hashes = isRecord(inc) && Array.isArray(inc.hashes) && inc.hashes.every((h) => typeof h === 'string') ? (inc.hashes as string[]).map((h) => Buffer.from(h, 'base64')) : null;
  if (!hashes || inc!.size !== size || !verifyInclusion(entryLeaf(e), e.seq - 1, size, hashes, root)) return fail('inclusion');
  steps.push({ code: 'inclusion', ok: true, params: { seq: e.seq, size } });
  return { ok: true, sealed: true, steps, promise, size, root };
}

/**
 * The receipt against the log as it is now. Sealed: the latest checkpoint must extend the receipt's (an RFC 9162
 * consistency proof from the log, checked against the receipt's own root), so a log cut short, rewritten or
 * showing another history fails. Only promised: the entry must be in the chain by the deadline.
 */
export async function checkAgainstLog(db: Database, municipalityId: number, chain: string, checked: ReceiptCheck, now = new Date()): Promise<CheckStep[]> {
  if (!checked.ok || !checked.promise) return [];
  if (!checked.sealed) {
    const p = checked.promise;
    const seq = await findPromised(db, municipalityId, chain, p.kind, canonicalJson(p.payload));
    if (seq !== null) return [{ code: 'sealedSince', ok: true, params: { seq } }];
    return p.deadline < now ? [{ code: 'promiseOverdue', ok: false }] : [{ code: 'stillPending', ok: true }];
  }
  const latest = await latestCheckpoint(db, municipalityId, chain);
  if (!latest || latest.size < checked.size!) return [{ code: 'logShrunk', ok: false, params: { size: latest?.size ?? 0 } }];
  const proof = await consistencyProof(db, municipalityId, chain, checked.size!, latest.size);
  if (!verifyConsistency(checked.size!, latest.size, proof, checked.root!, latest.root)) return [{ code: 'logRewritten', ok: false, params: { size: latest.size } }];
  return [{ code: 'logConsistent', ok: true, params: { size: latest.size } }];
}
