import type { Checkpoint } from '../checkpoint.ts';
import { verifyConsistency } from '../merkle.ts';
import { openCheckpoint, type LedgerKeys, type OpenedCheckpoint } from './keys.ts';
import type { ChainReplay } from './replay.ts';
import { chainApi, fetchText, type siteOf } from './source.ts';
import { isJsonObject, parseStrictJson } from './strict-json.ts';

/** The checks of a replayed chain against signed checkpoints: one given, the latest published, one saved earlier. */

/** A check that failed: its name (the line it prints on) and why. */
export class CheckFailed extends Error {
  constructor(readonly check: string, readonly reason: string) {
    super(`${check}: ${reason}`);
    this.name = 'CheckFailed';
  }
}

export type Site = NonNullable<ReturnType<typeof siteOf>>;

/** What a checkpoint must name: this installation's log, the municipality read from (when known), this chain. */
function checkOrigin(check: string, origin: string, keys: LedgerKeys, chain: string | undefined, site: Site | null): void {
  const [log, municipality, name, ...rest] = origin.split('/');
  const wrong = (what: string) => new CheckFailed(check, `its origin ${origin} names ${what}`);
  if (rest.length > 0 || !name) throw wrong('no chain of a Hromada log (<log>/<municipality>/<chain>)');
  if (log !== keys.log) throw wrong(`another log than ${keys.log}`);
  if (site && municipality !== site.municipality) throw wrong(`another municipality than ${site.municipality}`);
  if (chain !== undefined && name !== chain) throw wrong(`another chain than ${chain}`);
}

/** Opens a signed checkpoint note for `check`, its origin being this chain's. */
export function openFor(check: string, note: string, keys: LedgerKeys, replay: ChainReplay, site: Site | null): OpenedCheckpoint {
  let opened: OpenedCheckpoint;
  try {
    opened = openCheckpoint(note, keys);
  } catch (e) {
    throw new CheckFailed(check, (e as Error).message);
  }
  checkOrigin(check, opened.checkpoint.origin, keys, replay.chain, site);
  return opened;
}

/** The checkpoint must be of the chain as read: no larger than it, and the root of as many of its first entries. */
export function matchChain(check: string, c: Checkpoint, replay: ChainReplay): void {
  if (c.size > replay.size) throw new CheckFailed(check, `it has ${c.size} entries, the chain only ${replay.size}: entries are missing`);
  if (!replay.rootAt(c.size).equals(c.root)) throw new CheckFailed(check, `its root is not that of the chain's first ${c.size} entries: the chain was rewritten`);
}

export function describe(opened: OpenedCheckpoint): string {
  const c = opened.checkpoint;
  const witnesses = opened.cosigned.map((w) => `; cosigned by ${w.title} (${w.name}) at ${new Date(w.time * 1000).toISOString()}`).join('');
  return `${c.origin} of ${c.size} entries, root ${c.root.toString('base64')}, at ${c.time!.toISOString()}, signed by key ${opened.signedBy.join(', ')}${witnesses}`;
}

/** What a checkpoint check prints, and the checkpoint found to be the root of the chain's first entries (if any). */
export interface Checked { line: string; matched: Checkpoint | null }

/** A checkpoint given by the user (a file or a URL): signed, and of this chain. */
export function checkGiven(note: string, keys: LedgerKeys, replay: ChainReplay, site: Site | null): Checked {
  const opened = openFor('checkpoint', note, keys, replay, site);
  matchChain('checkpoint', opened.checkpoint, replay);
  return { line: `checkpoint: ok, ${describe(opened)}`, matched: opened.checkpoint };
}

/** A checkpoint saved earlier: signed, of this chain, and the chain as read now extends it (recomputed). */
export function checkSince(note: string, keys: LedgerKeys, replay: ChainReplay, site: Site | null): string {
  const opened = openFor('since', note, keys, replay, site);
  matchChain('since', opened.checkpoint, replay);
  return `since: ok, the chain of ${replay.size} entries extends the saved ${describe(opened)}`;
}

/** Base64 hashes of a proof answer; throws when it is not one. */
function proofHashes(text: string, from: number, to: number): Buffer[] {
  const doc = parseStrictJson(text);
  if (!isJsonObject(doc) || doc.from !== from || doc.to !== to || !Array.isArray(doc.hashes) || !doc.hashes.every((h) => typeof h === 'string')) {
    throw new TypeError('not a consistency proof of these sizes');
  }
  return (doc.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
}

/**
 * The installation's latest checkpoint, read after the entries: it is the chain as read, or a later one that
 * extends it (an RFC 9162 consistency proof fetched from the log, checked against the root recomputed here).
 */
export async function checkLatest(site: Site, keys: LedgerKeys, replay: ChainReplay): Promise<Checked> {
  if (replay.chain === undefined) return { line: 'checkpoint: none, as the chain is empty', matched: null };
  const api = chainApi(site, replay.chain);
  const got = await fetchText(`${api}/checkpoint`, 'text/plain');
  if (got.status === 404) throw new CheckFailed('checkpoint', `${api}/checkpoint has none for a chain of ${replay.size} entries`);
  if (got.status !== 200) throw new CheckFailed('checkpoint', `${api}/checkpoint answered ${got.status}`);
  const opened = openFor('checkpoint', got.text, keys, replay, site);
  const c = opened.checkpoint;
  if (c.size < replay.size) throw new CheckFailed('checkpoint', `the latest has ${c.size} entries, the chain ${replay.size}: entries without a signed checkpoint`);
  if (c.size === replay.size) {
    matchChain('checkpoint', c, replay);
    return { line: `checkpoint: ok, the latest, ${describe(opened)}`, matched: c };
  }
  const url = `${api}/proof/consistency?from=${replay.size}&to=${c.size}`;
  const proof = await fetchText(url, 'application/json');
  let hashes: Buffer[];
  try {
    if (proof.status !== 200) throw new TypeError(`answered ${proof.status}`);
    hashes = proofHashes(proof.text, replay.size, c.size);
  } catch (e) {
    throw new CheckFailed('checkpoint', `${url}: ${(e as Error).message}`);
  }
  if (!verifyConsistency(replay.size, c.size, hashes, replay.rootAt(replay.size), c.root)) {
    throw new CheckFailed('checkpoint', `the latest (${c.size} entries) does not extend the ${replay.size} entries read: the log shows another history`);
  }
  return { line: `checkpoint: ok, the latest, which has grown since and extends the entries read (consistency proof from ${replay.size}), ${describe(opened)}`, matched: null };
}
