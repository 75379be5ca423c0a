// The client-side checks of bench/ledger-proofs.ts: proofs fetched over HTTP as a receipt holder or a witness
// would, verified (so the figures are of right answers), and the offline receipt check timed in-process.
import { parseCheckpoint } from '../../src/platform/ledger/checkpoint.ts';
import { entryLeaf, type PublishedEntry } from '../../src/platform/ledger/ledger.ts';
import { verifyConsistency, verifyInclusion } from '../../src/platform/ledger/merkle.ts';
import { openNote, splitNote, vkeyOf } from '../../src/platform/ledger/note.ts';

/** What a receipt holds for the offline check: the entry, its inclusion proof and the checkpoint it leads to. */
export interface Sample { entry: PublishedEntry; index: number; size: number; hashes: Buffer[]; checkpoint: string }

export const randomInt = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const b64 = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'base64'));

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** The chain's vkeys (one per installation key), from the published keys and the origin of a checkpoint. */
export async function chainVkeys(base: string, checkpoint: string): Promise<string[]> {
  const keys = await json<{ keys: { publicKey: string }[] }>(`${base}/.well-known/hromada-ledger-keys.json`);
  const origin = parseCheckpoint(splitNote(checkpoint).text).origin;
  return keys.keys.map((k) => vkeyOf(origin, Buffer.from(k.publicKey, 'base64')));
}

/** `count` inclusion proofs of random entries against the latest checkpoint, each with its entry. */
export async function inclusionSamples(api: string, size: number, count: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const seq = randomInt(1, size);
    const p = await json<{ index: number; size: number; hashes: string[]; checkpoint: string }>(`${api}/proof/inclusion?seq=${seq}`);
    const [entry] = await json<PublishedEntry[]>(`${api}/entries.json?afterSeq=${seq - 1}&limit=1`);
    out.push({ entry: entry!, index: p.index, size: p.size, hashes: b64(p.hashes), checkpoint: p.checkpoint });
  }
  return out;
}

/** The receipt check: the checkpoint's signature by a known key, then the entry's leaf up the proof to its root. */
export function checkOffline(s: Sample, vkeys: readonly string[]): boolean {
  const { text, verified } = openNote(s.checkpoint, vkeys);
  if (verified.length === 0) return false;
  const c = parseCheckpoint(text);
  return c.size === s.size && verifyInclusion(entryLeaf(s.entry), s.index, s.size, s.hashes, c.root);
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Median ms of the whole check, of the signature alone and of the inclusion alone, over `rounds` passes. */
export function timeOffline(samples: readonly Sample[], vkeys: readonly string[], rounds: number) {
  const whole: number[] = [];
  const signature: number[] = [];
  const inclusion: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const s of samples) {
      let t = performance.now();
      if (!checkOffline(s, vkeys)) throw new Error(`the receipt of seq ${s.entry.seq} does not check`);
      whole.push(performance.now() - t);
      t = performance.now();
      const { text } = openNote(s.checkpoint, vkeys);
      signature.push(performance.now() - t);
      const root = parseCheckpoint(text).root;
      t = performance.now();
      verifyInclusion(entryLeaf(s.entry), s.index, s.size, s.hashes, root);
      inclusion.push(performance.now() - t);
    }
  }
  return { checks: whole.length, whole: median(whole), signature: median(signature), inclusion: median(inclusion) };
}

/** `count` consistency proofs between random checkpointed sizes, each checked against both signed roots. */
export async function checkConsistency(api: string, sizes: readonly number[], vkeys: readonly string[], count: number): Promise<number> {
  let ok = 0;
  const root = async (size: number) => {
    const res = await fetch(`${api}/checkpoints/${size}`);
    return parseCheckpoint(openNote(await res.text(), vkeys).text).root;
  };
  for (let i = 0; i < count && sizes.length > 1; i++) {
    const a = sizes[randomInt(0, sizes.length - 2)]!;
    const b = sizes[randomInt(sizes.indexOf(a) + 1, sizes.length - 1)]!;
    const p = await json<{ hashes: string[] }>(`${api}/proof/consistency?from=${a}&to=${b}`);
    if (verifyConsistency(a, b, b64(p.hashes), await root(a), await root(b))) ok += 1;
  }
  return ok;
}
