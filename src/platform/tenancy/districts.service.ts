import type { Municipality } from '../../db/schema.ts';
import { audit } from '../audit/audit.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import type { Deps } from '../http/deps.ts';
import { MAX_DISTRICTS, parseDistricts, type ParseProblem } from './districts.parse.ts';
import { deleteDistrict, findDistrict, listDistricts, lockDistricts, saveDistrict } from './districts.repo.ts';

type Actor = Pick<CurrentUser, 'id'> & { ip?: string | null };

export type ImportOutcome = { kind: 'imported'; added: number; redrawn: number } | ({ kind: 'invalid' } & ParseProblem);

/**
 * Adds the districts of a GeoJSON file and redraws those it names again (by slug), all or none; districts
 * the file leaves out stay, since residents follow them. Audited with the slugs it touched.
 */
export async function importDistricts(deps: Deps, actor: Actor, m: Municipality, text: string): Promise<ImportOutcome> {
  const parsed = parseDistricts(text, m.default_locale);
  if (!parsed.ok) return { kind: 'invalid', ...(({ ok: _, ...p }) => p)(parsed) };
  return deps.db.transaction().execute(async (trx) => {
    await lockDistricts(trx, m.id);
    const known = new Set((await listDistricts(trx, m.id)).map((d) => d.slug));
    if (new Set([...known, ...parsed.districts.map((d) => d.slug)]).size > MAX_DISTRICTS) return { kind: 'invalid' as const, problem: 'tooMany' as const };
    let added = 0;
    for (const d of parsed.districts) if (await saveDistrict(trx, m.id, d)) added++;
    await audit(trx, {
      municipalityId: m.id, actorId: actor.id, action: 'district.import', subjectType: 'municipality', subjectId: m.id,
      after: { districts: parsed.districts.map((d) => d.slug) }, ip: actor.ip ?? null,
    });
    return { kind: 'imported' as const, added, redrawn: parsed.districts.length - added };
  });
}

/** Removes a district (and residents' subscriptions to it); audited. */
export async function removeDistrict(deps: Deps, actor: Actor, m: Municipality, id: number): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const d = await findDistrict(trx, m.id, id);
    if (!d || !(await deleteDistrict(trx, m.id, id))) return false;
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'district.delete', subjectType: 'district', subjectId: d.slug, before: d, ip: actor.ip ?? null });
    return true;
  });
}
