import type { PublishedEntry } from '../ledger.ts';
import { isJsonObject, parseStrictJson, StrictJsonError, type StrictJson } from './strict-json.ts';

/**
 * Published entries read strictly (docs/LEDGER.md "Reading strictly"): the fields an entry is published
 * with and nothing else, each of its type, and every payload's `at` a UTC time to the second. A file or
 * page that fails is refused as a whole, with where it fails; the chain is then checked by `replay.ts`.
 */

export interface ReadEntry extends PublishedEntry {
  /** When the platform stored it; informative, not hashed. */
  createdAt?: string;
}

/** A published ledger that cannot be read as one: the place (`seq 3`, `line 4`) and why. */
export class LedgerReadError extends Error {
  constructor(readonly where: string, readonly reason: string) {
    super(`${where}: ${reason}`);
    this.name = 'LedgerReadError';
  }
}

export const ENTRY_FIELDS = ['chain', 'seq', 'kind', 'payload', 'prev', 'hash', 'createdAt'] as const;
const REQUIRED = ENTRY_FIELDS.filter((f) => f !== 'createdAt');
const HEX64 = /^[0-9a-f]{64}$/;
const UTC_SECOND = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;
const ISO_MILLIS = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * Whether a text is a real UTC instant written `YYYY-MM-DDTHH:MM:SSZ`: no other offset, no fraction, no
 * space for the T, and a date and time that exist (no 30 February, no hour 24, no leap second 60).
 */
export function isUtcSecond(text: string): boolean {
  const m = UTC_SECOND.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.toISOString() === `${text.slice(0, 19)}.000Z`;
}

/** The timestamp a platform writes as `createdAt` (JavaScript's toISOString), and a real instant. */
const isStoredTime = (text: string) => ISO_MILLIS.test(text) && new Date(text).toISOString() === text;

/** Checks the parts of a payload every chain shares: a top-level `at` is a UTC time to the second. */
export function checkPayload(payload: Record<string, StrictJson>, where: string): void {
  if ('at' in payload && !(typeof payload.at === 'string' && isUtcSecond(payload.at))) {
    throw new LedgerReadError(where, `payload.at ${JSON.stringify(payload.at)} is not a UTC time to the second (YYYY-MM-DDTHH:MM:SSZ)`);
  }
}

/** An entry from a JSON object (a parsed array element, or a CSV line made into one); throws LedgerReadError. */
export function entryFrom(value: StrictJson, where: string): ReadEntry {
  if (!isJsonObject(value)) throw new LedgerReadError(where, 'an entry is a JSON object');
  const unknown = Object.keys(value).find((k) => !(ENTRY_FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new LedgerReadError(where, `unknown field ${JSON.stringify(unknown)}`);
  const missing = REQUIRED.find((k) => !(k in value));
  if (missing) throw new LedgerReadError(where, `no ${missing}`);
  const { chain, seq, kind, payload, prev, hash, createdAt } = value;
  const at = typeof seq === 'number' ? `seq ${seq}` : where;
  const fail = (reason: string): never => {
    throw new LedgerReadError(at, reason);
  };
  if (typeof chain !== 'string' || chain === '') fail('chain is a non-empty string');
  if (typeof seq !== 'number' || seq < 1) fail('seq is a positive integer');
  if (typeof kind !== 'string' || kind === '') fail('kind is a non-empty string');
  if (!isJsonObject(payload)) fail('payload is a JSON object');
  if (typeof prev !== 'string' || !HEX64.test(prev)) fail('prev is 64 lowercase hex digits');
  if (typeof hash !== 'string' || !HEX64.test(hash)) fail('hash is 64 lowercase hex digits');
  if (createdAt !== undefined && !(typeof createdAt === 'string' && isStoredTime(createdAt))) fail('createdAt is a time as YYYY-MM-DDTHH:MM:SS.sssZ');
  checkPayload(payload as Record<string, StrictJson>, at);
  const entry: ReadEntry = { chain: chain as string, seq: seq as number, kind: kind as string, payload: payload as Record<string, StrictJson>, prev: prev as string, hash: hash as string };
  if (createdAt !== undefined) entry.createdAt = createdAt as string;
  return entry;
}

/** Parses strictly, turning a JSON fault into a LedgerReadError at `where`. */
export function strictOrFail(text: string, where: string): StrictJson {
  try {
    return parseStrictJson(text);
  } catch (e) {
    if (e instanceof StrictJsonError) throw new LedgerReadError(where, `${e.message}`);
    throw e;
  }
}

/** A page or file of entries as JSON: an array of entries, in the order given (replay checks it is seq order). */
export function readLedgerJson(text: string): ReadEntry[] {
  const parsed = strictOrFail(text.replace(/^\uFEFF/, ''), 'JSON');
  if (!Array.isArray(parsed)) throw new LedgerReadError('JSON', 'a ledger is a JSON array of entries');
  return parsed.map((v, i) => entryFrom(v, `element ${i + 1}`));
}
