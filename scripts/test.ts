/**
 * `npm test`: typecheck, unit and integration tests on PGlite, again on PostgreSQL when
 * DATABASE_URL_TEST is set, then the browser journeys when Chromium is installed.
 *
 *   npm test                               everything
 *   npm test -- src/platform/auth          only test files under (or matching) these paths
 *   npm test -- --test-name-pattern=login  options starting with -- go to `node --test`
 *   SKIP_TYPECHECK=1 npm test              skip `tsc --noEmit`
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPgliteTemplate, ensurePostgresTemplate, schemaFingerprint } from '../src/platform/testing/db.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

type Outcome = { step: string; status: 'ok' | 'FAILED' | 'skipped' | 'NOT RUN'; note: string };
const summary: Outcome[] = [];
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const args = process.argv.slice(2);
const nodeTestOptions = args.filter((a) => a.startsWith('--'));
const filters = args.filter((a) => !a.startsWith('--')).map((a) => path.relative(root, path.resolve(a)).split(path.sep).join('/'));

/** Every file under `dir` whose name matches, as a sorted list of root-relative paths. */
function findFiles(dir: string, match: RegExp, recursive = true): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory() && recursive && entry.name !== 'node_modules') out.push(...findFiles(full, match));
    else if (entry.isFile() && match.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Keeps the files inside a filtered path, or whose path contains a filter as text. */
function applyFilters(files: string[]): string[] {
  if (filters.length === 0) return files;
  return files.filter((f) => filters.some((p) => f === p || f.startsWith(`${p}/`) || f.includes(p)));
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { stdio: 'inherit', env });
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function banner(text: string) {
  console.log(`\n━━ ${text} ━━`);
}

async function typecheck(): Promise<boolean> {
  if (process.env.SKIP_TYPECHECK === '1') {
    summary.push({ step: 'typecheck', status: 'skipped', note: 'SKIP_TYPECHECK=1' });
    return true;
  }
  banner('typecheck: tsc --noEmit');
  const started = Date.now();
  const code = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
  summary.push({ step: 'typecheck', status: code === 0 ? 'ok' : 'FAILED', note: seconds(started) });
  return code === 0;
}

/** Builds the migrated PGlite dump once per schema; later runs reuse it while migrations are unchanged. */
async function pgliteTemplate(): Promise<string> {
  const file = path.join(root, '.tmp', 'pglite-template.tar');
  const stamp = `${file}.fingerprint`;
  const fingerprint = schemaFingerprint();
  const fresh = fs.existsSync(file) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fingerprint;
  if (fresh) return file;
  const started = Date.now();
  const dump = Buffer.from(await (await buildPgliteTemplate()).arrayBuffer());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a concurrent `npm test` never loads half a file.
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, dump);
  fs.renameSync(tmp, file);
  fs.writeFileSync(`${stamp}.${process.pid}`, fingerprint);
  fs.renameSync(`${stamp}.${process.pid}`, stamp);
  console.log(`Built PGlite template ${path.relative(root, file)} (${(dump.length / 1e6).toFixed(1)} MB) in ${seconds(started)}`);
  return file;
}

async function nodeTests(step: string, files: string[], concurrency: number, env: NodeJS.ProcessEnv, opts: { liftoffOnly?: boolean } = {}): Promise<boolean> {
  const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
  banner(`${step}: ${count}`);
  const started = Date.now();
  const argv = [...(opts.liftoffOnly ? ['--liftoff-only'] : []), '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...nodeTestOptions, ...files];
  const code = await run(process.execPath, argv, { ...process.env, ...env });
  summary.push({ step, status: code === 0 ? 'ok' : 'FAILED', note: `${count}, ${seconds(started)}` });
  return code === 0;
}

async function main(): Promise<number> {
  const unitFiles = applyFilters(findFiles('src', /\.test\.tsx?$/));
  const e2eFiles = applyFilters(findFiles('test/e2e', /\.test\.ts$/, false));
  let ok = await typecheck();
  if (!ok) {
    summary.push({ step: 'tests', status: 'NOT RUN', note: 'typecheck failed' });
    return 1;
  }

  const templateFile = await pgliteTemplate();
  const shared = { HROMADA_PGLITE_TEMPLATE: templateFile };

  if (unitFiles.length === 0) {
    summary.push({ step: 'tests', status: 'skipped', note: 'no src/**/*.test.ts(x) files match' });
  } else {
    // Each test file is its own process, which instantiates PGlite's WebAssembly again: V8 would compile it twice
    // (Liftoff at once, then TurboFan in the background), and the second compile costs more CPU than a test file's
    // short queries win back. Liftoff only: about a quarter less CPU. (The browser journeys' long-lived servers keep
    // the optimising tier.)
    const lean = { liftoffOnly: true };
    ok = (await nodeTests('tests (pglite)', unitFiles, 2, { ...shared, TEST_DB: 'pglite' }, lean)) && ok;
    const url = process.env.DATABASE_URL_TEST;
    if (!url) {
      summary.push({ step: 'tests (postgres)', status: 'skipped', note: 'DATABASE_URL_TEST not set' });
    } else {
      let ready = true;
      try {
        await ensurePostgresTemplate(url); // fail once, clearly, rather than in every test file
      } catch (error) {
        console.error(`PostgreSQL at DATABASE_URL_TEST is not usable: ${(error as Error).message}`);
        summary.push({ step: 'tests (postgres)', status: 'FAILED', note: 'could not prepare the template database' });
        ready = ok = false;
      }
      if (ready) ok = (await nodeTests('tests (postgres)', unitFiles, 2, { ...shared, TEST_DB: 'postgres' }, lean)) && ok;
    }
  }

  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (e2eFiles.length === 0) {
    summary.push({ step: 'browser journeys', status: 'skipped', note: 'no test/e2e/*.test.ts files match' });
  } else if (!fs.existsSync(chromium)) {
    console.log(`Browser journeys NOT run: Chromium not found at ${chromium} (install Debian's chromium, or run bash .ci/run).`);
    summary.push({ step: 'browser journeys', status: 'NOT RUN', note: `Chromium not found at ${chromium}` });
  } else {
    ok = (await nodeTests('browser journeys', e2eFiles, 1, { ...shared, TEST_DB: 'pglite', CHROMIUM_PATH: chromium })) && ok;
  }
  return ok ? 0 : 1;
}

const started = Date.now();
const code = await main().catch((error: unknown) => {
  console.error(error);
  summary.push({ step: 'test runner', status: 'FAILED', note: (error as Error).message ?? String(error) });
  return 1;
});
banner(`summary (${seconds(started)})`);
for (const { step, status, note } of summary) console.log(`${step.padEnd(18)} ${status.padEnd(8)} ${note}`);
process.exit(code);
