import crypto from 'node:crypto';

/**
 * Signed notes (c2sp.org/signed-note) with Ed25519, and witness cosignatures (c2sp.org/tlog-cosignature,
 * cosignature/v1). A note is its text (lines ending in a newline), a blank line, then one line a signature:
 * "— <key name> base64(key id || signature)". Verifier keys are written as vkeys:
 * "<name>+<key id, 8 hex digits>+base64(<type byte> || public key)".
 */

export const ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SIG_LINE = /^— ([^\p{White_Space}+]+) ([A-Za-z0-9+/]+={0,2})$/u;
/** At most this many signature lines are read, as Go's note.Open does (the specification asks for a limit). */
const MAX_SIGNATURES = 100;

export interface Verifier {
  name: string;
  type: typeof ED25519 | typeof COSIGNATURE_V1;
  keyId: number;
  publicKey: Buffer;
}

/** The 32 raw bytes of an Ed25519 public key. */
export const rawPublicKey = (key: crypto.KeyObject): Buffer => crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
export const publicKeyFromRaw = (raw: Uint8Array): crypto.KeyObject => crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
/** The 32-byte seed of an Ed25519 private key, and back. */
export const rawPrivateKey = (key: crypto.KeyObject): Buffer => key.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
export const privateKeyFromRaw = (seed: Uint8Array): crypto.KeyObject => crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });

/** A key name: non-empty, no Unicode spaces, no plus sign. */
export function checkKeyName(name: string): void {
  if (!name || /[\p{White_Space}+]/u.test(name) || /[\u0000-\u001f]/.test(name)) throw new TypeError(`Not a signed-note key name: ${JSON.stringify(name)}`);
}

/** The 4-byte key id: SHA-256(name || "\n" || type || public key), first four bytes, big-endian. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return crypto.createHash('sha256').update(name, 'utf8').update('\n').update(Buffer.from([type])).update(publicKey).digest().readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

/** The vkey of an Ed25519 note key (type 0x01) or of a cosigner (type 0x04). */
export function vkeyOf(name: string, publicKey: Uint8Array, type: number = ED25519): string {
  checkKeyName(name);
  return `${name}+${hex8(keyId(name, type, publicKey))}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

/** Reads a vkey; throws when it is malformed or its key id does not match. */
export function parseVkey(vkey: string): Verifier {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!m) throw new TypeError('Not a vkey (name+keyid+base64 key)');
  const [, name, id, b64] = m;
  const data = Buffer.from(b64!, 'base64');
  const type = data[0];
  if ((type !== ED25519 && type !== COSIGNATURE_V1) || data.length !== 33) throw new TypeError('Only Ed25519 vkeys (type 0x01 or 0x04) are supported');
  const publicKey = data.subarray(1);
  if (keyId(name!, type, publicKey) !== Number.parseInt(id!, 16)) throw new TypeError('The vkey\'s key id does not match its name and key');
  return { name: name!, type, keyId: Number.parseInt(id!, 16), publicKey };
}

/** Note text rules (c2sp.org/signed-note): ends with a newline, no control characters but newlines. */
function checkOpenedText(text: string): void {
  if (!text.endsWith('\n')) throw new TypeError('A note text must end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new TypeError('A note text must not contain control characters');
}

/** What Hromada signs is stricter than what it opens: non-empty and without blank lines (a checkpoint has none). */
export function checkNoteText(text: string): void {
  checkOpenedText(text);
  if (text === '\n' || text.includes('\n\n')) throw new TypeError('A note text to sign must be non-empty and have no blank line');
}

const sigLine = (name: string, id: number, sig: Buffer) => {
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(id);
  return `— ${name} ${Buffer.concat([idBytes, sig]).toString('base64')}\n`;
};

/** Signs a note text with Ed25519 keys (type 0x01): the text, a blank line, one signature line each. */
export function signNote(text: string, signers: readonly { name: string; privateKey: crypto.KeyObject }[]): string {
  checkNoteText(text);
  const lines = signers.map(({ name, privateKey }) => {
    checkKeyName(name);
    const id = keyId(name, ED25519, rawPublicKey(privateKey));
    return sigLine(name, id, crypto.sign(null, Buffer.from(text, 'utf8'), privateKey));
  });
  return `${text}\n${lines.join('')}`;
}

/** The message a cosigner signs: "cosignature/v1", "time <t>", then the checkpoint's note text. */
export const cosignedMessage = (text: string, time: number) => `cosignature/v1\ntime ${time}\n${text}`;

/** One cosignature/v1 signature line over a checkpoint text, at `time` (POSIX seconds). */
export function cosignatureLine(text: string, name: string, privateKey: crypto.KeyObject, time: number): string {
  checkNoteText(text);
  checkKeyName(name);
  if (!Number.isSafeInteger(time) || time < 0) throw new RangeError('A cosignature time is a POSIX timestamp');
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const sig = crypto.sign(null, Buffer.from(cosignedMessage(text, time), 'utf8'), privateKey);
  return sigLine(name, keyId(name, COSIGNATURE_V1, rawPublicKey(privateKey)), Buffer.concat([stamp, sig]));
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the key id. */
  signature: Buffer;
  line: string;
}

/** Splits a note into its text and signature lines; throws when it is not a well-formed note. */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } {
  const at = note.lastIndexOf('\n\n');
  if (at < 0 || !note.endsWith('\n')) throw new TypeError('Not a signed note: no blank line before the signatures');
  const text = note.slice(0, at + 1);
  checkOpenedText(text);
  const lines = note.slice(at + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new TypeError(`A note with more than ${MAX_SIGNATURES} signatures is not read`);
  const signatures = lines.map((line) => {
    const m = SIG_LINE.exec(line);
    const bytes = m ? Buffer.from(m[2]!, 'base64') : Buffer.alloc(0);
    if (!m || bytes.length < 5) throw new TypeError(`Not a signature line: ${line}`);
    return { name: m[1]!, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line: `${line}\n` };
  });
  return { text, signatures };
}

/** Whether one signature line is a valid signature of `text` by `v`; a cosignature also gives its time. */
export function checkSignature(text: string, s: NoteSignature, v: Verifier): { ok: boolean; time?: number } {
  if (s.name !== v.name || s.keyId !== v.keyId) return { ok: false };
  const key = publicKeyFromRaw(v.publicKey);
  if (v.type === ED25519) return { ok: s.signature.length === 64 && crypto.verify(null, Buffer.from(text, 'utf8'), key, s.signature) };
  if (s.signature.length !== 72) return { ok: false };
  const stamp = s.signature.readBigUInt64BE(0);
  if (stamp > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false };
  const time = Number(stamp);
  return crypto.verify(null, Buffer.from(cosignedMessage(text, time), 'utf8'), key, s.signature.subarray(8)) ? { ok: true, time } : { ok: false };
}

/**
 * Opens a note with the verifiers given (vkeys): its text and the signatures that verify. Signatures by
 * unknown keys are ignored, as the specification requires; a known key's bad signature throws.
 */
export function openNote(note: string, verifiers: readonly (string | Verifier)[]) {
  const { text, signatures } = splitNote(note);
  const known = verifiers.map((v) => (typeof v === 'string' ? parseVkey(v) : v));
  const verified: { name: string; keyId: number; type: number; time?: number }[] = [];
  for (const s of signatures) {
    const v = known.find((k) => k.name === s.name && k.keyId === s.keyId);
    if (!v) continue;
    const r = checkSignature(text, s, v);
    if (!r.ok) throw new Error(`The signature of ${s.name} does not verify`);
    verified.push({ name: v.name, keyId: v.keyId, type: v.type, time: r.time });
  }
  return { text, signatures, verified };
}
