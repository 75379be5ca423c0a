import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createAdmin } from './platform/cli/create-admin.ts';
import { runDemo } from './platform/cli/demo.ts';
import { ledgerKeys } from './platform/cli/ledger-keys.ts';
import { issueSetupToken } from './platform/tenancy/setup.service.ts';
import { enqueue } from './platform/jobs/queue.ts';
import type { Deps } from './platform/http/deps.ts';

const USAGE = `Usage: hromada <command>

  start          serve the platform (runs migrations; runs a job worker unless RUN_WORKER=false)
  worker         run a job worker only
  migrate        bring the database schema up to date and exit
  demo           start on a fresh demo database (DATA_DIR defaults to ./data-demo)
  create-admin   create a platform administrator: create-admin <email> <full name>  (password from HROMADA_ADMIN_PASSWORD or prompted)
  ledger-keys    list the ledger's signing keys, or start a new one: ledger-keys rotate [--overlap-days N] (default 30)
  verify-ledger  re-check a public ledger chain, its Merkle tree and signed checkpoints, and re-count it:
                 verify-ledger <ledger.json or .csv URL, or saved .json/.csv file>
                   --checkpoint <file or URL>  a signed checkpoint the chain must match (default from a URL: the latest)
                   --keys <file or URL>        the installation's keys (default from a URL: /.well-known/hromada-ledger-keys.json)
                   --since <file>              a checkpoint saved earlier: the chain must extend it
                   --receipt <file>            a receipt (hromada-ledger-receipt/v1): checked, and against the chain
  witness        watch a Hromada site's ledger and co-sign its checkpoints (exit code 2 on a fork):
                   witness keygen --name <witness name> --out <key file>
                   witness run --log <site URL> --name <witness name> --key <key file> --state <dir> [--once | --every <seconds>]
`;

export interface ServeOptions {
  web: boolean;
  worker: boolean;
  env?: Record<string, string | undefined>;
  /** Runs on the migrated database before the server listens (demo data). */
  seed?: (deps: Deps) => Promise<void>;
  afterStart?: (baseUrl: string) => Promise<void>;
}

async function serve(opts: ServeOptions) {
  const config = loadConfig(opts.env);
  const handle = await openDatabase(config);
  await migrateToLatest(handle.db);
  const built = await buildApp(config, handle);
  const { app, worker } = built;
  await opts.seed?.(built.deps);
  if (opts.worker) worker.start();
  if (opts.web) {
    await app.listen({ port: config.port, host: config.host });
    const token = await issueSetupToken(handle.db);
    if (token) {
      console.log(`\n  First run: open ${config.baseUrl}/${'uk'}/setup?token=${token}\n  to create the platform administrator and the first municipality.\n`);
      if (!config.smtpUrl) {
        console.log(`  Without SMTP_URL, e-mails are printed here and shown at ${config.baseUrl}/uk/dev/outbox to platform administrators only.\n`);
      }
    }
    await enqueue(handle.db, 'platform.cleanup', {}, { dedupeKey: 'platform.cleanup' });
    await opts.afterStart?.(config.baseUrl);
  } else {
    await app.ready();
    app.log.info('worker running');
  }
  // Graceful shutdown: stop taking requests, let running jobs finish, close the database.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await built.close();
      await handle.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start':
      return serve({ web: true, worker: loadConfig().runWorker });
    case 'worker':
      return serve({ web: false, worker: true });
    case 'migrate': {
      const handle = await openDatabase(loadConfig());
      const done = await migrateToLatest(handle.db);
      console.log(done.length ? `Applied: ${done.join(', ')}` : 'Schema is up to date.');
      return handle.close();
    }
    case 'demo':
      return runDemo(serve);
    case 'create-admin':
      return createAdmin(args);
    case 'ledger-keys':
      return ledgerKeys(args);
    case 'verify-ledger': {
      const { verifyLedgerCommand } = await import('./platform/ledger/verify/verify-ledger.ts');
      const { allModules } = await import('./platform/modules-registry.ts');
      // Each module whose chains mean something beyond the hash chain declares its check, by chain prefix.
      const meanings = Object.fromEntries(allModules().flatMap((mod) => (mod.ledger?.meaning ? [[mod.ledger.prefix, mod.ledger.meaning] as const] : [])));
      const { result, text } = await verifyLedgerCommand(args, meanings);
      console.log(text);
      process.exitCode = result.ok ? 0 : 1;
      return;
    }
    case 'witness': {
      const { witnessCommand } = await import('./platform/ledger/witness/cli.ts');
      process.exitCode = await witnessCommand(args);
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
