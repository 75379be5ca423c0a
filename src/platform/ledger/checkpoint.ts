import { HASH_BYTES } from './merkle.ts';

/**
 * Checkpoints (c2sp.org/tlog-checkpoint): the note text of a tree head. Three lines (origin, tree size,
 * base64 root hash), then one extension line of Hromada's, "time <POSIX seconds>", the moment of sealing.
 * Tools that know only the three lines ignore it; witnesses sign it with the rest.
 */

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  /** When the tree reached this size (sealing), to the second; null when a checkpoint carries no time line. */
  time: Date | null;
}

const SIZE = /^(0|[1-9][0-9]{0,15})$/;
const B64 = /^[A-Za-z0-9+/]{43}=$/;
const TIME = /^time (0|[1-9][0-9]{0,15})$/;

/** An origin for a chain: "<host>/<municipality>/<chain>", no spaces or plus signs (they cannot be key names). */
export function originOf(host: string, municipality: string, chain: string): string {
  const origin = `${host}/${municipality}/${chain}`;
  if (/[\s+]/u.test(origin)) throw new TypeError(`A chain origin cannot contain spaces or "+": ${origin}`);
  return origin;
}

export function formatCheckpoint(c: Checkpoint): string {
  if (c.root.length !== HASH_BYTES) throw new TypeError('A checkpoint root is a SHA-256 hash');
  const time = c.time ? `time ${Math.floor(c.time.getTime() / 1000)}\n` : '';
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n${time}`;
}

/** Reads a checkpoint's note text; throws with the line at fault when it is not one. */
export function parseCheckpoint(text: string): Checkpoint & { extensions: string[] } {
  if (!text.endsWith('\n')) throw new TypeError('A checkpoint ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (!origin) throw new TypeError('A checkpoint starts with its origin');
  if (!size || !SIZE.test(size) || !Number.isSafeInteger(Number(size))) throw new TypeError('The second line of a checkpoint is its tree size');
  if (!root || !B64.test(root)) throw new TypeError('The third line of a checkpoint is its base64 root hash');
  if (extensions.some((l) => l === '')) throw new TypeError('Checkpoint extension lines are not empty');
  const timeLine = extensions.find((l) => l.startsWith('time '));
  const t = timeLine ? TIME.exec(timeLine) : null;
  if (timeLine && !t) throw new TypeError('The time line of a checkpoint is "time <POSIX seconds>"');
  return { origin, size: Number(size), root: Buffer.from(root, 'base64'), time: t ? new Date(Number(t[1]) * 1000) : null, extensions };
}
