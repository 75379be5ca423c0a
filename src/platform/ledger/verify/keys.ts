import { parseCheckpoint, type Checkpoint } from '../checkpoint.ts';
import { COSIGNATURE_V1, ED25519, openNote, parseVkey, splitNote, vkeyOf } from '../note.ts';
import { isJsonObject, parseStrictJson } from './strict-json.ts';

/**
 * The installation's published keys (/.well-known/hromada-ledger-keys.json) and the notes they sign. A log
 * key signs for every chain, as the key name = the chain's origin; it counts only for what it signed while
 * it was signing: from its creation until it retired (docs/LEDGER.md "Keys").
 */

export interface InstallationKey { generation: number; publicKey: string; createdAt: Date; retiresAt: Date | null }
export interface Witness { name: string; vkey: string; title: string }
export interface LedgerKeys { log: string; keys: InstallationKey[]; witnesses: Witness[] }

const B64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** Reads the keys document strictly; throws with what is wrong. */
export function readKeys(text: string): LedgerKeys {
  const doc = parseStrictJson(text.replace(/^\uFEFF/, ''));
  const bad = (what: string): never => {
    throw new TypeError(`Not a Hromada ledger keys document: ${what}`);
  };
  if (!isJsonObject(doc) || typeof doc.log !== 'string' || !doc.log) return bad('no log name');
  if (!Array.isArray(doc.keys) || doc.keys.length === 0) return bad('no keys');
  const time = (v: unknown, what: string) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : bad(what));
  const keys = doc.keys.map((k, i): InstallationKey => {
    if (!isJsonObject(k) || typeof k.generation !== 'number' || typeof k.publicKey !== 'string' || !B64_KEY.test(k.publicKey)) return bad(`keys[${i}]`);
    return { generation: k.generation, publicKey: k.publicKey, createdAt: time(k.createdAt, `keys[${i}].createdAt`), retiresAt: k.retiresAt === null ? null : time(k.retiresAt, `keys[${i}].retiresAt`) };
  });
  const witnesses = (Array.isArray(doc.witnesses) ? doc.witnesses : []).map((w, i): Witness => {
    if (!isJsonObject(w) || typeof w.vkey !== 'string' || typeof w.title !== 'string') return bad(`witnesses[${i}]`);
    const v = parseVkey(w.vkey);
    if (v.type !== COSIGNATURE_V1) return bad(`witnesses[${i}] is not a cosignature key`);
    return { name: v.name, vkey: w.vkey, title: w.title };
  });
  return { log: doc.log, keys, witnesses };
}

/** Whether a key was signing at a (whole-second) time: created at or before it, not yet retired. */
const signingAt = (k: InstallationKey, time: Date) => Math.floor(k.createdAt.getTime() / 1000) * 1000 <= time.getTime() && (!k.retiresAt || time < k.retiresAt);

export interface OpenedCheckpoint {
  checkpoint: Checkpoint;
  /** The generations of the installation keys whose signatures verify and count. */
  signedBy: number[];
  /** Witnesses (of the keys document) whose cosignatures verify, with the time each cosigned. */
  cosigned: { name: string; title: string; time: number }[];
}

/**
 * Opens a checkpoint note: a valid checkpoint text with a time line, a valid signature of an installation key
 * that was signing at that time, and the witnesses' cosignatures. Any signature by a known key that does not
 * verify fails the whole note, as c2sp.org/signed-note requires; throws with why.
 */
export function openCheckpoint(note: string, keys: LedgerKeys): OpenedCheckpoint {
  const checkpoint = parseCheckpoint(splitNote(note).text);
  if (!checkpoint.time) throw new TypeError('the checkpoint has no time line');
  const vkeys = keys.keys.map((k) => vkeyOf(checkpoint.origin, Buffer.from(k.publicKey, 'base64')));
  const opened = openNote(note, [...vkeys, ...keys.witnesses.map((w) => w.vkey)]);
  const generationOf = new Map(vkeys.map((v, i) => [parseVkey(v).keyId, keys.keys[i]!]));
  const logSigners = opened.verified.filter((v) => v.type === ED25519 && v.name === checkpoint.origin).map((v) => generationOf.get(v.keyId)!);
  const current = logSigners.filter((k) => signingAt(k, checkpoint.time!));
  if (current.length === 0) {
    if (logSigners.length === 0) throw new TypeError(`no signature by an installation key for ${checkpoint.origin}`);
    throw new TypeError(`signed only by key ${logSigners.map((k) => k.generation).join(', ')}, which was not signing at ${checkpoint.time.toISOString()}`);
  }
  const cosigned = opened.verified.filter((v) => v.type === COSIGNATURE_V1).map((v) => ({ name: v.name, title: keys.witnesses.find((w) => w.name === v.name)!.title, time: v.time! }));
  return { checkpoint, signedBy: current.map((k) => k.generation), cosigned };
}
