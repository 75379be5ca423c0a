import type crypto from 'node:crypto';
import { nextLink } from '../verify/source.ts';
import { originOf, parseCheckpoint } from '../checkpoint.ts';
import { verifyConsistency } from '../merkle.ts';
import { COSIGNATURE_V1, checkSignature, cosignatureLine, openNote, parseVkey, rawPublicKey, splitNote, vkeyOf, type Verifier } from '../note.ts';
import { WitnessState, type PinnedLog } from './state.ts';

/**
 * One run of a witness (c2sp.org/tlog-cosignature, cosignature/v1) over a Hromada installation: for every
 * chain head it lists, fetch the signed checkpoint, verify it with the log's keys (pinned at first use), check
 * that it extends the last checkpoint seen for that origin (same size: same root; larger: a consistency proof
 * that verifies), and only then co-sign it and hand the cosignature to the site. A smaller tree, another root
 * at the same size or a proof that fails is an alarm: both signed notes (and the proof) are kept as evidence
 * and nothing is co-signed. Everything goes through `fetch`, so that tests can show a witness a forked view.
 */

export type Fetch = (url: string, init?: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; signal?: AbortSignal }) => Promise<Pick<Response, 'status' | 'headers' | 'text'>>;

/** shrunk: a smaller tree than seen; forked: same size, other root; inconsistent: no valid consistency proof; key: the log's keys changed. */
export type AlarmKind = 'shrunk' | 'forked' | 'inconsistent' | 'key';

export interface WitnessResult {
  /** The chain's origin, or the log's URL for what concerns the whole log. */
  subject: string;
  /** cosigned: verified and co-signed now; current: verified, already co-signed by this witness. */
  outcome: 'cosigned' | 'current' | 'alarm' | 'error';
  size?: number;
  alarm?: AlarmKind;
  message: string;
  /** The folder of the alarm's evidence. */
  evidence?: string;
}

export interface WitnessOptions {
  /** The installation's base URL. */
  log: string;
  /** The witness's key name (as in its vkey). */
  name: string;
  privateKey: crypto.KeyObject;
  /** The state directory. */
  state: string;
  fetch?: Fetch;
  now?: () => Date;
}

/** 2 when anything raised an alarm, 1 when something could not be checked, 0 otherwise. */
export const exitCodeOf = (results: readonly WitnessResult[]) =>
  results.some((r) => r.outcome === 'alarm') ? 2 : results.some((r) => r.outcome === 'error') ? 1 : 0;

interface Head { municipality: string; chain: string; origin: string; size: number }
interface Key { generation: number; publicKey: string }

const HEADS_PAGES = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);

function publishedKeys(body: string): { log: string; keys: Key[] } {
  const data = JSON.parse(body) as { log?: unknown; keys?: unknown };
  const keys = Array.isArray(data.keys) ? (data.keys as { generation?: unknown; publicKey?: unknown }[]) : [];
  const ok = typeof data.log === 'string' && data.log !== '' && keys.length > 0
    && keys.every((k) => isInt(k.generation) && typeof k.publicKey === 'string' && Buffer.from(k.publicKey, 'base64').length === 32);
  if (!ok) throw new Error('the log\'s keys file is not {log, keys: [{generation, publicKey}]}');
  return { log: data.log as string, keys: keys.map((k) => ({ generation: k.generation as number, publicKey: k.publicKey as string })) };
}

function heads(body: string): Head[] {
  const page = JSON.parse(body) as unknown;
  const ok = Array.isArray(page) && page.every((h: Partial<Head>) => typeof h?.municipality === 'string' && typeof h.chain === 'string' && typeof h.origin === 'string' && isInt(h.size));
  if (!ok) throw new Error('the heads page is not a list of {municipality, chain, origin, size}');
  return page as Head[];
}

function consistency(body: string): { from: number; to: number; hashes: Buffer[] } {
  const p = JSON.parse(body) as { from?: unknown; to?: unknown; hashes?: unknown };
  if (!isInt(p.from) || !isInt(p.to) || !Array.isArray(p.hashes) || !p.hashes.every((h) => typeof h === 'string')) throw new Error('the consistency proof is not {from, to, hashes}');
  return { from: p.from, to: p.to, hashes: (p.hashes as string[]).map((h) => Buffer.from(h, 'base64')) };
}

class Witness {
  readonly state: WitnessState;
  private readonly fetch: Fetch;
  private readonly now: () => Date;
  private readonly base: string;
  private readonly vkey: Verifier;
  private logName = '';
  private pinned: PinnedLog | null = null;
  private candidates: Key[] = [];

  constructor(private readonly o: WitnessOptions) {
    this.state = new WitnessState(o.state);
    this.fetch = o.fetch ?? ((url, init) => fetch(url, init));
    this.now = o.now ?? (() => new Date());
    this.base = o.log.replace(/\/+$/, '');
    this.vkey = parseVkey(vkeyOf(o.name, rawPublicKey(o.privateKey), COSIGNATURE_V1));
  }

  private async request(url: string, accept: string, body?: string): Promise<{ status: number; body: string; link: string | null }> {
    const headers = { accept, 'user-agent': `hromada-witness (${this.o.name})`, ...(body !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : {}) };
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const res = await this.fetch(url, body !== undefined ? { method: 'POST', body, headers, signal } : { headers, signal });
    return { status: res.status, body: await res.text(), link: res.headers.get('link') };
  }

  private async get(url: string, accept = 'application/json'): Promise<{ body: string; link: string | null }> {
    const res = await this.request(url, accept);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}${errorCode(res.body)}`);
    return res;
  }

  private async alarm(subject: string, kind: AlarmKind, message: string, files: Record<string, string>, size?: number): Promise<WitnessResult> {
    const detectedAt = this.now().toISOString();
    const evidence = await this.state.keepEvidence(subject, kind, { ...files, 'alarm.json': `${JSON.stringify({ kind, subject, log: this.base, message, detectedAt }, null, 2)}\n` });
    return { subject, outcome: 'alarm', alarm: kind, message, evidence, ...(size !== undefined ? { size } : {}) };
  }

  async run(): Promise<WitnessResult[]> {
    const keysUrl = `${this.base}/.well-known/hromada-ledger-keys.json`;
    let published: { log: string; keys: Key[] };
    let raw: string;
    try {
      raw = (await this.get(keysUrl)).body;
      published = publishedKeys(raw);
    } catch (e) {
      return [{ subject: this.base, outcome: 'error', message: why(e) }];
    }
    const keyAlarm = await this.pin(published, raw);
    if (keyAlarm) return [keyAlarm];
    const results: WitnessResult[] = [];
    let url: string | null = `${this.base}/api/v1/ledger/heads`;
    for (let pages = 0; url && pages < HEADS_PAGES; pages++) {
      let page: Head[];
      try {
        const res = await this.get(url);
        page = heads(res.body);
        url = nextLink(res.link, url);
      } catch (e) {
        return [...results, { subject: this.base, outcome: 'error', message: why(e) }];
      }
      for (const h of page) results.push(await this.chain(h).catch((e: unknown) => ({ subject: h.origin, outcome: 'error' as const, message: why(e) })));
    }
    if (url) results.push({ subject: this.base, outcome: 'error', message: `the heads go on beyond ${HEADS_PAGES} pages` });
    return results;
  }

  /** Pins the log's keys at first use; afterwards every pinned key must still be published, unchanged. */
  private async pin(published: { log: string; keys: Key[] }, raw: string): Promise<WitnessResult | null> {
    const at = this.now().toISOString();
    const pinned = await this.state.pinnedLog(this.base);
    if (!pinned) {
      this.pinned = { url: this.base, log: published.log, keys: published.keys.map((k) => ({ ...k, pinnedAt: at })) };
      await this.state.savePinnedLog(this.pinned);
    } else {
      const problems = pinned.log === published.log ? [] : [`the log now calls itself ${published.log}, it was ${pinned.log}`];
      for (const k of pinned.keys) {
        const now = published.keys.find((p) => p.generation === k.generation);
        if (!now) problems.push(`key generation ${k.generation} is no longer published`);
        else if (now.publicKey !== k.publicKey) problems.push(`key generation ${k.generation} was replaced`);
      }
      if (problems.length) {
        return this.alarm(this.base, 'key', `The log's keys changed: ${problems.join('; ')}.`, { 'pinned.json': `${JSON.stringify(pinned, null, 2)}\n`, 'published.json': raw });
      }
      this.pinned = pinned;
    }
    this.logName = this.pinned.log;
    this.candidates = published.keys.filter((p) => !this.pinned!.keys.some((k) => k.publicKey === p.publicKey));
    return null;
  }

  /** Verifies one chain's head against what the witness saw before, and co-signs it. */
  private async chain(h: Head): Promise<WitnessResult> {
    const origin = originOf(this.logName, h.municipality, h.chain);
    if (h.origin !== origin) throw new Error(`the heads list ${h.origin} for ${h.municipality}/${h.chain}, whose origin is ${origin}`);
    const base = `${this.base}/api/v1/${encodeURIComponent(h.municipality)}/ledger/${encodeURIComponent(h.chain)}`;
    const served = (await this.get(`${base}/checkpoint`, 'text/plain')).body;
    const vkeyOfKey = (k: Key) => parseVkey(vkeyOf(origin, Buffer.from(k.publicKey, 'base64')));
    const pinnedV = this.pinned!.keys.map(vkeyOfKey);
    const candidateV = this.candidates.map((k) => ({ key: k, v: vkeyOfKey(k) }));
    const { text, verified } = openNote(served, [...pinnedV, ...candidateV.map((c) => c.v)]);
    const cp = parseCheckpoint(text);
    if (cp.origin !== origin) throw new Error(`the checkpoint of ${origin} names the origin ${cp.origin}`);
    const signedBy = (vs: Verifier[]) => vs.filter((v) => verified.some((s) => s.keyId === v.keyId && s.name === v.name));
    const newKeys = candidateV.filter((c) => signedBy([c.v]).length > 0).map((c) => c.key);
    if (signedBy(pinnedV).length === 0) {
      if (!newKeys.length) throw new Error(`the checkpoint of ${origin} is not signed by the log's keys`);
      return this.alarm(origin, 'key', `The checkpoint is signed only by key generation ${newKeys.map((k) => k.generation).join(', ')}, which the witness has not seen beside a key it trusts.`, {
        'served.note': served, 'pinned.json': `${JSON.stringify(this.pinned, null, 2)}\n`,
      }, cp.size);
    }
    if (newKeys.length) {
      // A rotation's overlap: the new key signs beside a pinned one, so it is the log's.
      const at = this.now().toISOString();
      this.pinned = { ...this.pinned!, keys: [...this.pinned!.keys, ...newKeys.map((k) => ({ ...k, pinnedAt: at }))] };
      this.candidates = this.candidates.filter((k) => !newKeys.includes(k));
      await this.state.savePinnedLog(this.pinned);
    }

    const seen = await this.state.lastSeen(origin);
    if (seen !== null) {
      const last = parseCheckpoint(splitNote(seen).text);
      const evidence = { 'seen.note': seen, 'served.note': served };
      if (cp.size < last.size) return this.alarm(origin, 'shrunk', `The log shows ${cp.size} entries; the witness saw ${last.size} before.`, evidence, cp.size);
      if (cp.size === last.size && !cp.root.equals(last.root)) {
        return this.alarm(origin, 'forked', `The log shows another tree of ${cp.size} entries than the one the witness saw before.`, evidence, cp.size);
      }
      if (cp.size > last.size) {
        const body = (await this.get(`${base}/proof/consistency?from=${last.size}&to=${cp.size}`)).body;
        const proof = consistency(body);
        const holds = proof.from === last.size && proof.to === cp.size && verifyConsistency(last.size, cp.size, proof.hashes, last.root, cp.root);
        if (!holds) return this.alarm(origin, 'inconsistent', `The tree of ${cp.size} entries does not extend the tree of ${last.size} the witness saw before.`, { ...evidence, 'proof.json': body }, cp.size);
      }
    }
    // Remembered before co-signing, so that the witness never co-signs a head it would not stand by later.
    await this.state.saveLastSeen(origin, served);
    const mine = splitNote(served).signatures.some((s) => s.name === this.vkey.name && s.keyId === this.vkey.keyId && checkSignature(text, s, this.vkey).ok);
    if (mine) return { subject: origin, outcome: 'current', size: cp.size, message: 'already co-signed' };

    const line = cosignatureLine(text, this.o.name, this.o.privateKey, Math.floor(this.now().getTime() / 1000));
    const res = await this.request(`${base}/cosignatures`, 'application/json', served + line);
    const accepted = res.status < 300 ? (JSON.parse(res.body) as { accepted?: unknown }).accepted : undefined;
    if (!Array.isArray(accepted) || !accepted.includes(this.o.name)) {
      return { subject: origin, outcome: 'error', size: cp.size, message: `co-signed, but the site did not take the cosignature (${res.status}${errorCode(res.body)})` };
    }
    return { subject: origin, outcome: 'cosigned', size: cp.size, message: 'verified and co-signed' };
  }
}

/** An error's message, with its cause's (fetch says only "fetch failed"). */
const why = (e: unknown) => {
  const { message, cause } = e as Error & { cause?: { message?: string; code?: string } };
  return cause?.message ? `${message}: ${cause.message}` : message;
};

function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? ` ${code}` : '';
  } catch {
    return '';
  }
}

/** One witness run over a log, holding the state directory's lock for its duration. */
export async function runWitness(o: WitnessOptions): Promise<WitnessResult[]> {
  const w = new Witness(o);
  const unlock = await w.state.lock();
  try {
    return await w.run();
  } finally {
    await unlock();
  }
}
