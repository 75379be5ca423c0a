import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { createMunicipality, createUser } from '../../platform/testing/http.ts';
import type { PetitionSettings } from './petition.settings.ts';
import { findPetition, type PetitionRow } from './petition.repo.ts';
import { createDraft, publishPetition, submitDraft } from './petition.service.ts';

/** A municipality with petitions enabled and the given settings. */
export function petitionTown(db: Database, slug: string, settings: Partial<PetitionSettings> = {}): Promise<Municipality> {
  return createMunicipality(db, { slug, enabledModules: ['petitions'], settings: { petitions: settings } });
}

/** A user with a password (for HTTP tests) and as the services see them. */
export async function resident(db: Database, email: string, m: Municipality | null, opts: { fullName?: string; role?: 'moderator' | 'official' | 'admin'; emailVerified?: boolean } = {}) {
  const u = await createUser(db, {
    email, password: 'petition test password', fullName: opts.fullName ?? email.split('@')[0]!,
    ...(opts.emailVerified === false ? { emailVerified: false } : {}),
    roles: opts.role && m ? [{ municipalityId: m.id, role: opts.role }] : [],
  });
  if (m && !opts.role) await db.insertInto('resident_verifications').values({ municipality_id: m.id, user_id: u.id, verified_by: null, method: 'official' }).execute();
  const current: CurrentUser = {
    id: u.id, email: u.email, fullName: opts.fullName ?? email.split('@')[0]!, locale: 'uk', platformRole: null,
    emailVerified: opts.emailVerified !== false, identityVerified: false, residenceMunicipalityId: null,
    roles: opts.role && m ? { [m.id]: [opts.role] } : {}, residentOf: m && !opts.role ? [m.id] : [], sessionId: 'test',
  };
  return { ...u, current };
}

/** The services only use `db`; the rest of Deps is not touched by them. */
export const serviceDeps = (db: Database): Deps => ({ db, dialect: 'pglite', config: { baseUrl: 'http://localhost' } as Deps['config'], mailer: null as never, storage: null as never });

/** A petition taken through draft and moderation to open, by `author`, published by `moderatorId`. */
export async function openPetition(db: Database, m: Municipality, author: CurrentUser, moderatorId: number, title = 'Відремонтувати дитячий майданчик'): Promise<PetitionRow> {
  const deps = serviceDeps(db);
  const created = await createDraft(deps, author, m, { title, body: 'Просимо раду відремонтувати дитячий майданчик біля школи.' });
  if (created.kind !== 'created') throw new Error(`createDraft: ${created.kind}`);
  await submitDraft(deps, author, m, (await findPetition(db, m.id, created.number))!);
  await publishPetition(deps, { id: moderatorId, ip: null }, m, (await findPetition(db, m.id, created.number))!);
  return (await findPetition(db, m.id, created.number))!;
}
