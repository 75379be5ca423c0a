import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { serviceDeps } from '../../platform/testing/people.ts';
import type { Database } from '../../db/database.ts';
import { createMunicipality } from '../../platform/testing/http.ts';
import type { PetitionSettings } from './petition.settings.ts';
import { findPetition, type PetitionRow } from './petition.repo.ts';
import { createDraft, publishPetition, submitDraft } from './petition.service.ts';

/** A municipality with petitions enabled and the given settings. */
export function petitionTown(db: Database, slug: string, settings: Partial<PetitionSettings> = {}): Promise<Municipality> {
  return createMunicipality(db, { slug, enabledModules: ['petitions'], settings: { petitions: settings } });
}

export { resident, serviceDeps } from '../../platform/testing/people.ts';

/** A petition taken through draft and moderation to open, by `author`, published by `moderatorId`. */
export async function openPetition(db: Database, m: Municipality, author: CurrentUser, moderatorId: number, title = 'Відремонтувати дитячий майданчик'): Promise<PetitionRow> {
  const deps = serviceDeps(db);
  const created = await createDraft(deps, author, m, { title, body: 'Просимо раду відремонтувати дитячий майданчик біля школи.' });
  if (created.kind !== 'created') throw new Error(`createDraft: ${created.kind}`);
  await submitDraft(deps, author, m, (await findPetition(db, m.id, created.number))!);
  await publishPetition(deps, { id: moderatorId, ip: null }, m, (await findPetition(db, m.id, created.number))!);
  return (await findPetition(db, m.id, created.number))!;
}
