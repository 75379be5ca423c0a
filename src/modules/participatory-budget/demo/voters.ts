import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import { verifyResident } from '../../../platform/tenancy/staff.repo.ts';
import type { DemoTexts } from './demo-content.ts';
import { demoAccounts } from './demo.repo.ts';

/** Demo residents who vote (and write some projects): as many as the busiest demo cycle has ballots. */
export const DEMO_VOTERS = 30;

/** A demo account as the services see a signed-in, confirmed resident of the municipality. */
export const asResident = (id: number, m: Municipality, fullName = ''): CurrentUser => ({
  id, email: null, fullName, locale: m.default_locale, platformRole: null, emailVerified: true, identityVerified: false,
  residenceMunicipalityId: m.id, roles: {}, residentOf: [m.id], sessionId: 'demo',
});

/**
 * Residents beyond the handful of demo accounts, found again on a second run: they cannot sign in (no password),
 * they vote and write projects. An official confirmed their residence, as the cycles' voting level asks.
 */
export async function demoVoters(db: Database, m: Municipality, texts: DemoTexts, confirmedBy: number): Promise<CurrentUser[]> {
  const name = (i: number) => `${texts.first[i % texts.first.length]} ${texts.last[(i + Math.floor(i / texts.first.length)) % texts.last.length]}`;
  const voters = await demoAccounts(db, m, Array.from({ length: DEMO_VOTERS }, (_, i) => ({ email: `pb-resident${i + 1}@${m.slug}.example`, name: name(i) })));
  for (const v of voters) await verifyResident(db, m.id, v.id, 'official', confirmedBy);
  return voters.map((v) => asResident(v.id, m, v.full_name));
}
