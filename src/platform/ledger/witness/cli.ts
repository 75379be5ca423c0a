import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkKeyName, COSIGNATURE_V1, rawPublicKey, vkeyOf } from '../note.ts';
import { exitCodeOf, runWitness, type Fetch, type WitnessResult } from './witness.ts';

/**
 * `hromada witness keygen --name <name> --out <key file>`: a new witness key (Ed25519, PKCS#8 PEM, readable by
 * its owner only), and the vkey (cosignature/v1, type 0x04) to give the site's operator for LEDGER_WITNESSES.
 * `hromada witness run --log <URL> --name <name> --key <key file> --state <dir> [--once | --every <seconds>]`:
 * checks and co-signs every chain head of the log (witness.ts). Exit code 2 after an alarm, 1 when something
 * could not be checked, 0 otherwise; with --every it keeps going, printing every round.
 */

export const WITNESS_USAGE = `Usage:
  hromada witness keygen --name <witness name, e.g. witness.example.org/hromada> --out <key file>
  hromada witness run --log <site URL> --name <witness name> --key <key file> --state <directory> [--once | --every <seconds>]`;

class UsageError extends Error {}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: Fetch;
  /** Stops a --every loop after it returns true (tests); SIGINT and SIGTERM stop it too. */
  stop?: () => boolean;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

function need(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}

async function keygen(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { name: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const name = need(values, 'name');
  const out = need(values, 'out');
  try {
    checkKeyName(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await fs.writeFile(out, pem, { flag: 'wx', mode: 0o600 }).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EEXIST' ? new UsageError(`${out} exists already; it is not overwritten`) : e;
  });
  const vkey = vkeyOf(name, rawPublicKey(privateKey), COSIGNATURE_V1);
  io.out(vkey);
  io.err(`Key written to ${out}; keep it secret and back it up. Give the site's operator this LEDGER_WITNESSES entry:`);
  io.err(`  ${JSON.stringify({ vkey, title: 'Who runs this witness', url: 'https://…' })}`);
  return 0;
}

async function readKey(file: string): Promise<crypto.KeyObject> {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`Cannot read the key ${file}: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${file} is not an Ed25519 private key`);
  return key;
}

/** One line a result: outcome, origin, tree size, what happened (and where the evidence is). */
export function formatResult(r: WitnessResult): string {
  const head = r.outcome === 'alarm' ? `ALARM ${r.alarm}` : r.outcome;
  const size = r.size !== undefined ? ` size ${r.size}` : '';
  return `${head.padEnd(18)} ${r.subject}${size}: ${r.message}${r.evidence ? ` (evidence: ${r.evidence})` : ''}`;
}

function report(results: readonly WitnessResult[], io: CliIo): number {
  for (const r of results) (r.outcome === 'alarm' || r.outcome === 'error' ? io.err : io.out)(formatResult(r));
  const count = (o: WitnessResult['outcome']) => results.filter((r) => r.outcome === o).length;
  io.out(`${new Date().toISOString()} ${results.length} checked: ${count('cosigned')} co-signed, ${count('current')} already co-signed, ${count('alarm')} alarms, ${count('error')} errors`);
  return exitCodeOf(results);
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { log: { type: 'string' }, name: { type: 'string' }, key: { type: 'string' }, state: { type: 'string' }, once: { type: 'boolean' }, every: { type: 'string' } },
  });
  const log = need(values, 'log');
  if (!/^https?:\/\/[^/]/.test(log)) throw new UsageError('--log takes the site\'s http(s) address');
  const every = values.every === undefined ? null : Number(values.every);
  if (every !== null && (values.once || !Number.isInteger(every) || every < 1)) throw new UsageError('--every takes a whole number of seconds, and not with --once');
  const options = { log, name: need(values, 'name'), privateKey: await readKey(need(values, 'key')), state: need(values, 'state'), ...(io.fetch ? { fetch: io.fetch } : {}) };
  if (every === null) return report(await runWitness(options), io);

  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    let code = 0;
    for (;;) {
      code = report(await runWitness(options).catch((e: Error) => [{ subject: log, outcome: 'error' as const, message: e.message }]), io);
      if (stopping || io.stop?.()) return code;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, every * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopping) return code;
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

/** `hromada witness …`; returns the exit code. */
export async function witnessCommand(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [action, ...rest] = argv;
  try {
    if (action === 'keygen') return await keygen(rest, io);
    if (action === 'run') return await run(rest, io);
    throw new UsageError(action ? `Unknown witness command: ${action}` : 'A witness command is required');
  } catch (e) {
    if (!(e instanceof UsageError) && !String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw e;
    io.err(`${(e as Error).message}\n${WITNESS_USAGE}`);
    return 1;
  }
}
