import type { Static } from 'typebox';
import type { Deps } from '../http/deps.ts';
import type { Database } from '../../db/database.ts';
import { consumeToken, findUserByEmail, insertToken, insertUser } from '../auth/auth.repo.ts';
import { hashPassword } from '../auth/passwords.ts';
import { randomToken } from '../auth/tokens.ts';
import { addMembership } from './staff.repo.ts';
import type { SetupSchema } from './municipality.schemas.ts';
import { deleteSetupTokens, ensureAssociation, findMunicipalityBySlug, hasPlatformAdmin, insertMunicipality, setPlatformRole } from './municipality.repo.ts';

/** On an empty platform, issues a fresh one-time setup link (valid 24 h); null once an administrator exists. */
export async function issueSetupToken(db: Database): Promise<string | null> {
  if (await hasPlatformAdmin(db)) return null;
  const token = randomToken();
  await db.transaction().execute(async (trx) => {
    await deleteSetupTokens(trx);
    await insertToken(trx, token, null, 'setup', 86400_000);
  });
  return token;
}

export type SetupOutcome = { kind: 'done'; userId: number } | { kind: 'invalid_token' } | { kind: 'email_taken' } | { kind: 'slug_taken' };

/** Creates the platform administrator, the association and its first municipality, all or nothing. */
export async function completeSetup(deps: Deps, token: string, v: Static<typeof SetupSchema>): Promise<SetupOutcome> {
  if (await findUserByEmail(deps.db, v.email)) return { kind: 'email_taken' };
  if (await findMunicipalityBySlug(deps.db, v.slug)) return { kind: 'slug_taken' };
  const passwordHash = await hashPassword(v.password);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await consumeToken(trx, token, 'setup')) || (await hasPlatformAdmin(trx))) return { kind: 'invalid_token' as const };
    await ensureAssociation(trx, { [v.defaultLocale]: v.associationName, en: v.associationName });
    const m = await insertMunicipality(trx, {
      slug: v.slug, names: JSON.stringify({ [v.defaultLocale]: v.municipalityName }), official_code: v.officialCode,
      population: v.population, center_lat: v.centerLat, center_lng: v.centerLng, zoom: 13,
      enabled_modules: JSON.stringify([]), settings: JSON.stringify({}), default_locale: v.defaultLocale,
      currency: v.currency, logo_file_id: null, host: null,
    });
    const user = await insertUser(trx, { email: v.email, passwordHash, fullName: v.fullName, locale: v.defaultLocale, emailVerified: true });
    if (!user) return { kind: 'email_taken' as const };
    await setPlatformRole(trx, user.id, 'platform_admin');
    await addMembership(trx, m.id, user.id, 'admin');
    return { kind: 'done' as const, userId: user.id };
  });
}
