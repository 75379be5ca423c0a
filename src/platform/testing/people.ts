import type { Database } from '../../db/database.ts';
import type { MunicipalRole, Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import type { Deps } from '../http/deps.ts';
import { identifiers } from '../auth/identifiers.ts';
import { createUser, TEST_PASSWORD } from './http.ts';

export { TEST_PASSWORD };

/** A user with a password (for HTTP tests) and as the services see them. */
export async function resident(db: Database, email: string, m: Municipality | null, opts: { fullName?: string; role?: MunicipalRole; emailVerified?: boolean } = {}) {
  const u = await createUser(db, {
    email, password: TEST_PASSWORD, fullName: opts.fullName ?? email.split('@')[0]!,
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

/** A keyed hasher with a fixed test key, for services that hash identifiers. */
/** The key TEST_IDENTIFIERS hashes with: give it to startTestApp as IDENTIFIER_KEY where seeded hashes must match the app's. */
export const TEST_IDENTIFIER_KEY = 'a test key that is long enough for the rule';
export const TEST_IDENTIFIERS = await identifiers({ identifierKey: TEST_IDENTIFIER_KEY } as Deps['config'], null as never);

/** The services only use `db`; the rest of Deps is not touched by them. */
export const serviceDeps = (db: Database): Deps => ({ db, dialect: 'pglite', config: { baseUrl: 'http://localhost' } as Deps['config'], mailer: null as never, storage: null as never, identifiers: TEST_IDENTIFIERS });

