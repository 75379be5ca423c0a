import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import * as platform from './migrations/2026_11_23_0001_platform.ts';
import * as search from './migrations/2026_11_23_0002_search.ts';
import * as petitions from './migrations/2026_11_24_0003_petitions.ts';
import * as unloggedCounters from './migrations/2026_11_25_0004_unlogged_counters.ts';
import * as userLookups from './migrations/2026_12_01_0005_user_lookups.ts';
import * as sealQueue from './migrations/2026_12_01_0006_petition_seal_queue.ts';
import * as reports from './migrations/2026_12_01_0007_reports.ts';
import * as districtsGuests from './migrations/2026_12_01_0008_districts_guest_reports.ts';
import * as reportFollowers from './migrations/2026_12_01_0009_report_followers.ts';
import * as signatoriesIndex from './migrations/2026_12_01_0010_signatories_index.ts';
import * as signatureKeys from './migrations/2026_12_02_0011_signature_keys.ts';
import * as attemptBackoff from './migrations/2026_12_02_0012_attempt_backoff.ts';
import * as idempotencyKeys from './migrations/2026_12_02_0013_idempotency_keys.ts';
import * as residentsContactGuests from './migrations/2026_12_02_0015_residents_contact_guests.ts';
import * as residence from './migrations/2026_12_02_0016_residence.ts';
import * as nationalIds from './migrations/2026_12_02_0019_national_ids.ts';
import * as samlRequests from './migrations/2026_12_02_0020_saml_requests.ts';
import * as transparencyLog from './migrations/2026_12_02_0021_transparency_log.ts';
import * as invalidationCommitments from './migrations/2026_12_02_0022_invalidation_commitments.ts';
import * as participatoryBudget from './migrations/2026_12_03_0023_participatory_budget.ts';
import * as birthDatesDistricts from './migrations/2026_12_03_0024_birth_dates_residence_districts.ts';
import * as ledgerQueue from './migrations/2026_12_03_0025_ledger_queue.ts';
import * as pbDeclaredDistricts from './migrations/2026_12_03_0028_pb_declared_districts.ts';
import * as residenceRequestDistricts from './migrations/2026_12_03_0031_residence_request_districts.ts';

/** Every migration, in order. A landed migration is never edited: add a new one. */
const migrations: Record<string, Migration> = {
  '2026_11_23_0001_platform': platform,
  '2026_11_23_0002_search': search,
  '2026_11_24_0003_petitions': petitions,
  '2026_11_25_0004_unlogged_counters': unloggedCounters,
  '2026_12_01_0005_user_lookups': userLookups,
  '2026_12_01_0006_petition_seal_queue': sealQueue,
  '2026_12_01_0007_reports': reports,
  '2026_12_01_0008_districts_guest_reports': districtsGuests,
  '2026_12_01_0009_report_followers': reportFollowers,
  '2026_12_01_0010_signatories_index': signatoriesIndex,
  '2026_12_02_0011_signature_keys': signatureKeys,
  '2026_12_02_0012_attempt_backoff': attemptBackoff,
  '2026_12_02_0013_idempotency_keys': idempotencyKeys,
  '2026_12_02_0015_residents_contact_guests': residentsContactGuests,
  '2026_12_02_0016_residence': residence,
  '2026_12_02_0019_national_ids': nationalIds,
  '2026_12_02_0020_saml_requests': samlRequests,
  '2026_12_02_0021_transparency_log': transparencyLog,
  '2026_12_02_0022_invalidation_commitments': invalidationCommitments,
  '2026_12_03_0023_participatory_budget': participatoryBudget,
  '2026_12_03_0024_birth_dates_residence_districts': birthDatesDistricts,
  '2026_12_03_0025_ledger_queue': ledgerQueue,
  '2026_12_03_0028_pb_declared_districts': pbDeclaredDistricts,
  '2026_12_03_0031_residence_request_districts': residenceRequestDistricts,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date, or only up to the migration `upTo` (tests of a migration's data path); throws with the failing migration's name. */
export async function migrateToLatest(db: Database, upTo?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
