import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { DEFAULT_ROTATION_OVERLAP_DAYS, ensureLedgerLog, publishedKeys, rotateLedgerKey } from '../ledger/log.ts';

/**
 * `hromada ledger-keys [list]` prints the installation's ledger keys; `hromada ledger-keys rotate
 * [--overlap-days N]` starts a new key, the old ones signing beside it for N days (default 30; 0 after a
 * compromise). See docs/OPERATIONS.md "Ledger keys".
 */
export async function ledgerKeys(args: string[]): Promise<void> {
  const [action = 'list', ...rest] = args;
  if (!['list', 'rotate'].includes(action)) throw new Error('Usage: hromada ledger-keys [list | rotate [--overlap-days N]]');
  const at = rest.indexOf('--overlap-days');
  const overlap = at >= 0 ? Number(rest[at + 1]) : DEFAULT_ROTATION_OVERLAP_DAYS;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > 365) throw new Error('--overlap-days takes a whole number of days from 0 to 365');
  const config = loadConfig();
  const handle = await openDatabase(config);
  try {
    await migrateToLatest(handle.db);
    await ensureLedgerLog(handle.db, new URL(config.baseUrl).host);
    if (action === 'rotate') console.log(`New key: generation ${await rotateLedgerKey(handle.db, overlap)}; the older keys sign for ${overlap} more days.`);
    const { log, keys } = await publishedKeys(handle.db);
    console.log(`Log: ${log}`);
    for (const k of keys) console.log(`  ${k.generation}  ${k.publicKey}  since ${k.createdAt}${k.retiresAt ? `  signs until ${k.retiresAt}` : ''}`);
  } finally {
    await handle.close();
  }
}
