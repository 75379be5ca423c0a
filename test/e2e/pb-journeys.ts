/**
 * What the participatory-budget journeys share: a server with the module enabled in Zhovkva, residents (confirmed,
 * with a password, optionally with a residence document), cycles in the phase a journey needs (the module's own
 * seeding helpers), and the cycle's pages by locale.
 */
import type { Municipality } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/database.ts';
import { formatMoney } from '../../src/platform/i18n/money.ts';
import { formatters, type Locale } from '../../src/platform/i18n/i18n.ts';
import { TEST_IDENTIFIERS } from '../../src/platform/testing/people.ts';
import { seedCycle, type SeedCategory, type SeedCycle } from '../../src/modules/participatory-budget/testing.ts';
import { seedMunicipality, seedUser, startServer, type SeededUser, type TestServer } from './helpers.ts';

/** The key the module's test helpers hash document numbers with (TEST_IDENTIFIERS), so a seeded document is the one typed. */
const IDENTIFIER_KEY = 'a test key that is long enough for the rule';

/** Category names in every locale, so the locale sweep reads each page in its own language. */
const CATEGORY_NAMES: Record<string, Record<Locale, string>> = {
  small: { uk: 'Малі проєкти', 'sr-Cyrl': 'Мали пројекти', 'sr-Latn': 'Mali projekti', pl: 'Małe projekty', en: 'Small projects' },
  large: { uk: 'Великі проєкти', 'sr-Cyrl': 'Велики пројекти', 'sr-Latn': 'Veliki projekti', pl: 'Duże projekty', en: 'Large projects' },
};

/** The module's default categories (amounts in minor units), named in every locale. */
export const CATEGORIES: SeedCategory[] = [
  { slug: 'small', amount: 100_000_000, minCost: 1_000_000, maxCost: 30_000_000, names: CATEGORY_NAMES.small },
  { slug: 'large', amount: 300_000_000, minCost: 30_000_000, maxCost: 150_000_000, names: CATEGORY_NAMES.large },
];

export interface PbServer { server: TestServer; town: Municipality }

/** The whole application on a fresh database, Zhovkva with the participatory budget enabled. */
export async function startPbServer(): Promise<PbServer> {
  const server = await startServer({ IDENTIFIER_KEY });
  const seeded = await seedMunicipality(server.db);
  const town = await server.db.updateTable('municipalities').set({ enabled_modules: JSON.stringify(['participatory-budget']) })
    .where('id', '=', seeded.id).returningAll().executeTakeFirstOrThrow();
  return { server, town };
}

/** A cycle of the town in the phase asked for, with the two categories above (the module's seedCycle). */
export const pbCycle = (db: Database, town: Municipality, o: SeedCycle = {}) => seedCycle(db, town, { categories: CATEGORIES, ...o });

/** A confirmed resident of the town who signs in with a password; `document`: the residence was shown with that passport. */
export async function pbResident(db: Database, town: Municipality, key: string, fullName: string, o: { locale?: Locale; document?: string } = {}): Promise<SeededUser> {
  const user = await seedUser(db, { email: `${key}@zhovkva.example.org`, fullName, locale: o.locale ?? 'uk' });
  await db.insertInto('resident_verifications').values({
    municipality_id: town.id, user_id: user.id, method: 'official', verified_by: null,
    document_type: o.document ? 'passport' : null, document_hash: o.document ? TEST_IDENTIFIERS.hash('document', o.document) : null,
  }).execute();
  return user;
}

/** A member of the town's staff (an official, an administrator). */
export const pbStaff = (db: Database, town: Municipality, key: string, fullName: string, role: 'official' | 'admin' | 'registrar') =>
  seedUser(db, { email: `${key}@zhovkva.example.org`, fullName, role: { municipalityId: town.id, role } });

/** The module's public and staff paths in a locale. */
export function pbPaths(locale: Locale, town: Pick<Municipality, 'slug'>) {
  const base = `/${locale}/${town.slug}/participatory-budget`;
  const cycle = (n: number) => `${base}/cycles/${n}`;
  return {
    base, cycle, staff: `${base}/staff`,
    projects: (n: number) => `${cycle(n)}/projects`,
    ballot: (n: number) => `${cycle(n)}/ballot`,
    results: (n: number) => `${cycle(n)}/results`,
    implementation: (n: number) => `${cycle(n)}/implementation`,
    project: (n: number) => `${base}/projects/${n}`,
    newProject: (n: number) => `${base}/projects/new?cycle=${n}`,
    review: (n: number) => `${base}/staff/projects/${n}/review`,
    paper: (n: number) => `${base}/staff/cycles/${n}/paper`,
    publish: (n: number) => `${base}/staff/cycles/${n}/results`,
    implement: (n: number) => `${base}/staff/projects/${n}/implementation`,
  };
}

/** An amount as the pages of `locale` write it (the app's own formatter). */
export const moneyText = (locale: Locale, minor: number, currency = 'UAH') => formatMoney(formatters(locale), minor, currency);

/** The sealed `ballot` entries of a cycle's chain. */
export async function sealedBallots(db: Database, town: Pick<Municipality, 'id'>, cycleNumber: number) {
  return db.selectFrom('ledger_entries').select(['seq', 'hash', 'payload']).where('municipality_id', '=', town.id)
    .where('chain', '=', `pb:${cycleNumber}`).where('kind', '=', 'ballot').orderBy('seq').execute();
}
