/**
 * Go's transparency-log code as a test oracle: builds test/interop/go-tlog/main.go (Go's own
 * golang.org/x/mod/sumdb/note and sumdb/tlog, from Debian's golang-golang-x-mod-dev) once per version of
 * that program, caches the binary in the system's temporary folder, and runs it on a batch of
 * operations. See main.go for what each operation does.
 *
 * Go is required, never optional: without it this throws, and the tests that use it fail. `bash .ci/run`
 * installs it; by hand: apt-get install -y golang-go golang-golang-x-mod-dev
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Debian's Go libraries are (GOPATH mode, no network, no module download). */
export const GOPATH = '/usr/share/gocode';
const XMOD = path.join(GOPATH, 'src/golang.org/x/mod/sumdb');
const SOURCE_DIR = fileURLToPath(new URL('./go-tlog/', import.meta.url));
const INSTALL = 'apt-get install -y golang-go golang-golang-x-mod-dev (bash .ci/run does it)';

type Bytes = Uint8Array;
type Pairs = readonly (readonly [number, number])[];

export type GoOp =
  | { op: 'open'; note: string; vkeys: readonly string[] }
  | { op: 'sign'; text: string; name: string; seed?: Bytes }
  | { op: 'checkpoint'; text: string }
  | { op: 'inclusion'; leaf: Bytes; index: number; size: number; proof: readonly Bytes[]; root: Bytes }
  | { op: 'consistency'; m: number; n: number; proof: readonly Bytes[]; rootM: Bytes; rootN: Bytes }
  /** records: [index, size] for tlog.ProveRecord; trees: [m, n] for tlog.ProveTree. */
  | { op: 'tree'; leaves: readonly Bytes[]; sizes?: readonly number[]; records?: Pairs; trees?: Pairs };

export interface GoSigner { name: string; keyId: number }

export interface GoResult {
  ok: boolean;
  /** Go's error message when it refused the operation. */
  error?: string;
  text?: string;
  signers?: GoSigner[];
  unverified?: GoSigner[];
  note?: string;
  vkey?: string;
  origin?: string;
  size?: number;
  root?: Buffer;
  extensions?: string[];
  leafHashes?: Buffer[];
  roots?: Buffer[];
  recordProofs?: Buffer[][];
  treeProofs?: Buffer[][];
}

export interface GoBuild { binary: string; goVersion: string; built: boolean; ms: number }

function goVersion(): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8', env: goEnv() }).trim();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error(`Go is not installed (no "go" on PATH); the ledger's interop tests need it: ${INSTALL}`);
    throw new Error(`"go version" failed: ${e.message}`);
  }
}

function goEnv(cache?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOPROXY: 'off', GOENV: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0',
    ...(cache ? { GOCACHE: cache } : {}),
  };
}

let build: GoBuild | undefined;

/** Builds the program unless a binary of this very source, Go and x/mod is cached; the result is kept. */
export function goTlogBuild(): GoBuild {
  if (build) return build;
  const started = Date.now();
  const version = goVersion();
  if (!fs.existsSync(path.join(XMOD, 'note/note.go')) || !fs.existsSync(path.join(XMOD, 'tlog/tlog.go'))) {
    throw new Error(`golang.org/x/mod is not under ${GOPATH}; the ledger's interop tests need it: ${INSTALL}`);
  }
  const key = crypto.createHash('sha256').update(version);
  for (const file of [path.join(SOURCE_DIR, 'main.go'), path.join(XMOD, 'note/note.go'), path.join(XMOD, 'tlog/tlog.go'), path.join(XMOD, 'tlog/note.go')]) {
    key.update('\0').update(fs.readFileSync(file));
  }
  const dir = path.join(os.tmpdir(), `hromada-go-tlog-${key.digest('hex').slice(0, 16)}`);
  const binary = path.join(dir, 'go-tlog');
  if (fs.existsSync(binary)) return (build = { binary, goVersion: version, built: false, ms: Date.now() - started });
  fs.mkdirSync(dir, { recursive: true });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-gocache-'));
  // Built under a name of its own, then renamed: a concurrent test process never runs half a binary.
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('go', ['build', '-o', partial, 'main.go'], { cwd: SOURCE_DIR, env: goEnv(cache), stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    fs.renameSync(partial, binary);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`Building test/interop/go-tlog failed: ${stderr || (error as Error).message}`);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
  return (build = { binary, goVersion: version, built: true, ms: Date.now() - started });
}

/** Byte strings go to Go as base64 (a Buffer's own toJSON is bypassed through the holder). */
function encode(ops: readonly GoOp[]): string {
  return JSON.stringify({ ops }, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : value;
  });
}

const b64 = (s: string) => Buffer.from(s, 'base64');

function decode(r: Record<string, unknown>): GoResult {
  const out = { ...r } as GoResult & Record<string, unknown>;
  if (typeof r.root === 'string') out.root = b64(r.root);
  for (const k of ['leafHashes', 'roots'] as const) if (Array.isArray(r[k])) out[k] = (r[k] as string[]).map(b64);
  for (const k of ['recordProofs', 'treeProofs'] as const) if (Array.isArray(r[k])) out[k] = (r[k] as string[][]).map((p) => p.map(b64));
  return out;
}

/** Runs a batch of operations through Go; one result per operation, in order. */
export function goTlog(ops: readonly GoOp[]): GoResult[] {
  const { binary } = goTlogBuild();
  let stdout: string;
  try {
    stdout = execFileSync(binary, [], { input: encode(ops), encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  } catch (error) {
    throw new Error(`test/interop/go-tlog failed: ${String((error as { stderr?: string }).stderr ?? '') || (error as Error).message}`);
  }
  const { results } = JSON.parse(stdout) as { results: Record<string, unknown>[] };
  if (results.length !== ops.length) throw new Error(`go-tlog answered ${results.length} results to ${ops.length} operations`);
  return results.map(decode);
}

/** One operation through Go. */
export const goTlogOne = (op: GoOp): GoResult => goTlog([op])[0]!;
