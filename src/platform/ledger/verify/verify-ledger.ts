import { parseArgs } from 'node:util';
import { checkGiven, checkLatest, checkSince, CheckFailed, type Checked, type Site } from './checks.ts';
import { readKeys, type LedgerKeys } from './keys.ts';
import { ReceiptWatch } from './receipt-check.ts';
import { ChainReplay, type Meanings } from './replay.ts';
import { entryPages, KEYS_PATH, readSource, siteOf } from './source.ts';

/**
 * `hromada verify-ledger`: an independent check of a published chain (docs/LEDGER.md "Checking a chain"),
 * trusting only the entries, the installation's published keys and what the user saved earlier. It reads
 * every page (JSON or CSV, strictly), replays the hash chain and the module's meaning, recomputes the Merkle
 * tree, and checks signed checkpoints against it: one given, the latest published (when reading from a
 * site), and one saved earlier (`--since`), which the chain must extend; and a receipt (`--receipt`). One line per check, then
 * `ok: …` or `failed: …`.
 */

export interface VerifyOptions {
  /** A ledger.json / ledger.csv / entries.json URL (pages followed), or a saved .json array or .csv file. */
  source: string;
  /** A checkpoint note (file or URL) the chain must match; default, from a site: its latest. */
  checkpoint?: string | undefined;
  /** The installation's keys document (file or URL); default, from a site: its /.well-known one. */
  keys?: string | undefined;
  /** A checkpoint note saved earlier, which the chain must extend. */
  since?: string | undefined;
  /** A receipt file (hromada-ledger-receipt/v1): checked offline, then against the chain read. */
  receipt?: string | undefined;
  /** The time a promise's deadline is judged against when no later signed checkpoint is (default: now). */
  now?: Date;
}

export type VerifyOutcome =
  | { ok: true; entries: number; head: string; root: string; count: number | null }
  | { ok: false; check: string; reason: string; brokenAt?: number };

export interface VerifyReport { result: VerifyOutcome; lines: string[]; text: string }

/** What a chain-level fault means (verifyChain's reasons); a module's reasons are printed as they are. */
const CHAIN_FAULTS: Record<string, string> = {
  chain: 'it belongs to another chain',
  seq: 'its seq does not follow the entry before: an entry is missing, added or moved',
  prev: 'its prev is not the hash of the entry before',
  hash: 'its hash does not match its fields',
  payload: 'its payload holds a value outside the ledger\'s JSON',
};

/** Runs `fn` as the check `check`: whatever it throws fails that check. */
async function step<T>(check: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CheckFailed) throw e;
    throw new CheckFailed(check, (e as Error).message);
  }
}

export async function verifyLedger(opts: VerifyOptions, meanings: Meanings): Promise<VerifyReport> {
  const lines: string[] = [];
  const report = (result: VerifyOutcome): VerifyReport => {
    lines.push(result.ok
      ? `ok: ${result.entries} entries, head ${result.head}, root ${result.root}${result.count === null ? '' : `, count ${result.count}`}`
      : `failed: ${result.check}: ${result.reason}`);
    return { result, lines, text: lines.join('\n') };
  };
  const site: Site | null = siteOf(opts.source);
  try {
    const keysAt = opts.keys ?? (site ? `${site.origin}${KEYS_PATH}` : undefined);
    const needKeys = opts.checkpoint !== undefined || opts.since !== undefined || opts.receipt !== undefined || site !== null;
    if (needKeys && !keysAt) throw new CheckFailed('keys', 'checking a signed checkpoint or receipt needs the installation\'s keys: give --keys <file or URL>');
    const keys: LedgerKeys | null = keysAt && needKeys ? await step('keys', async () => readKeys(await readSource(keysAt))) : null;
    if (keys) lines.push(`keys: ok, ${keys.log}: key ${keys.keys.map((k) => k.generation).join(', ')}; ${keys.witnesses.length} witness${keys.witnesses.length === 1 ? '' : 'es'}; from ${keysAt}`);
    const given = opts.checkpoint === undefined ? null : await step('checkpoint', () => readSource(opts.checkpoint!));
    const since = opts.since === undefined ? null : await step('since', () => readSource(opts.since!));
    const receipt = keys && opts.receipt !== undefined ? await step('receipt', async () => new ReceiptWatch(await readSource(opts.receipt!), keys)) : null;
    if (receipt) lines.push(...receipt.lines);

    const replay = new ChainReplay(meanings, receipt?.onEntry);
    let pages = 0;
    await step('read', async () => {
      for await (const page of entryPages(opts.source)) {
        pages += 1;
        if (!replay.add(page)) break;
      }
    });
    const broken = replay.failed;
    if (broken) {
      return report({ ok: false, check: broken.check, brokenAt: broken.brokenAt, reason: `broken at seq ${broken.brokenAt}: ${broken.reason}${broken.check === 'chain' ? ` (${CHAIN_FAULTS[broken.reason]})` : ''}` });
    }
    lines.push(`chain: ok, ${replay.size} entries${replay.chain ? ` of ${replay.chain}` : ''} in ${pages} page${pages === 1 ? '' : 's'}, head ${replay.head}`);
    const counted = replay.counted;
    if (counted) lines.push(`${counted.name}: ok, count ${counted.count}`);
    const root = replay.rootAt(replay.size).toString('base64');
    lines.push(`tree: ok, root ${root} of ${replay.size} leaves`);

    let checked: Checked | null = null;
    if (keys && given !== null) checked = await step('checkpoint', () => checkGiven(given, keys, replay, site));
    else if (keys && site) checked = await step('checkpoint', () => checkLatest(site, keys, replay));
    if (checked) lines.push(checked.line);
    if (keys && since !== null) lines.push(await step('since', () => checkSince(since, keys, replay, site)));
    if (receipt) lines.push(...await step('receipt', () => receipt.againstChain(replay, site, checked?.matched ?? null, opts.now ?? new Date())));
    return report({ ok: true, entries: replay.size, head: replay.head, root, count: counted?.count ?? null });
  } catch (e) {
    if (e instanceof CheckFailed) return report({ ok: false, check: e.check, reason: e.reason });
    throw e;
  }
}

export const VERIFY_USAGE = 'verify-ledger <ledger.json or .csv URL or saved file> [--checkpoint <note file or URL>] [--keys <keys JSON file or URL>] [--since <checkpoint saved earlier>] [--receipt <receipt file>]';

/** The command line: parses the arguments, runs the checks. */
export async function verifyLedgerCommand(args: string[], meanings: Meanings): Promise<VerifyReport> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { checkpoint: { type: 'string' }, keys: { type: 'string' }, since: { type: 'string' }, receipt: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(`Usage: hromada ${VERIFY_USAGE}`);
  return verifyLedger({ source: positionals[0]!, ...values }, meanings);
}
