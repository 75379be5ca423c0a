import type { Database } from '../../../db/database.ts';
import type { LocalizedText, Municipality } from '../../../db/schema.ts';
import { meetsLevel, type CurrentUser, type VerificationLevel } from '../../../platform/auth/current-user.ts';
import { distanceMeters, type LatLng } from '../../../platform/geo/geo.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../../platform/idempotency/once.ts';
import { districtAt, findDistrict } from '../../../platform/tenancy/districts.repo.ts';
import { nextNumber } from '../../../platform/tenancy/numbering.ts';
import { costTotal } from '../cost.ts';
import { cycleCategories } from '../cycle.repo.ts';
import type { Category, CostItem, Cycle } from '../pb.tables.ts';
import { addProjectEvent } from '../project-events.repo.ts';
import { isCoauthor } from './people.repo.ts';
import { countOwnProjects, insertProject, saveProjectText, type ProjectRow, type ProjectText } from './project.repo.ts';
import { acceptsProjects, editableNow } from './project.rules.ts';

/** A place counts as inside the municipality within this distance of its centre, or inside one of its districts. */
export const PLACE_RADIUS_KM = 30;
/** Projects one person may have in a cycle (withdrawn ones do not count): a brake on floods, not on residents. */
export const MAX_OWN_PROJECTS = 10;

/** What the authors typed, as the form or the API gives it. */
export interface ProjectInput {
  category: string;
  title: string;
  summary: string;
  description: string;
  beneficiaries: string;
  at: LatLng | null;
  address: string | null;
  /** The district the authors chose; the place's own district wins where it lies in one. */
  district: number | null;
  items: CostItem[];
}

export type InputProblem =
  | { kind: 'unknown_category' }
  | { kind: 'no_place' }
  | { kind: 'outside'; km: number }
  | { kind: 'unknown_district' }
  | { kind: 'district_differs'; district: LocalizedText }
  | { kind: 'category_district'; district: LocalizedText }
  | { kind: 'no_cost' }
  | { kind: 'cost_range'; category: Category; total: number };

/** Whether `total` fits the category's limits. */
export const fitsCategory = (c: Pick<Category, 'min_cost' | 'max_cost'>, total: number) => total >= c.min_cost && total <= c.max_cost;

/**
 * Every check of what the authors typed, against the cycle's categories, the municipality's districts and the
 * category's cost limits (`db`: the saving transaction). The district is the place's where it lies in one, else
 * the one chosen, else a district category's own; a district category takes only projects in its district.
 */
export async function checkInput(db: Database, m: Municipality, cycle: Cycle, input: ProjectInput): Promise<{ kind: 'ok'; text: ProjectText } | InputProblem> {
  const category = (await cycleCategories(db, cycle.id)).find((c) => c.slug === input.category);
  if (!category) return { kind: 'unknown_category' };
  if (!input.at && !input.address) return { kind: 'no_place' };
  const placed = input.at ? await districtAt(db, m.id, input.at) : undefined;
  if (input.at && !placed && distanceMeters({ lat: m.center_lat, lng: m.center_lng }, input.at) > PLACE_RADIUS_KM * 1000) {
    return { kind: 'outside', km: PLACE_RADIUS_KM };
  }
  const chosen = input.district !== null ? await findDistrict(db, m.id, input.district) : undefined;
  if (input.district !== null && !chosen) return { kind: 'unknown_district' };
  if (placed && chosen && placed.id !== chosen.id) return { kind: 'district_differs', district: placed.names };
  const districtId = placed?.id ?? chosen?.id ?? category.district_id;
  if (category.district_id !== null && districtId !== category.district_id) {
    const d = await findDistrict(db, m.id, category.district_id);
    return { kind: 'category_district', district: d?.names ?? {} };
  }
  if (input.items.length === 0) return { kind: 'no_cost' };
  const total = costTotal(input.items);
  if (!fitsCategory(category, total)) return { kind: 'cost_range', category, total };
  return {
    kind: 'ok',
    text: {
      category_id: category.id, title: input.title, summary: input.summary, description: input.description, beneficiaries: input.beneficiaries,
      at: input.at, address: input.address, district_id: districtId, cost_items: input.items, cost_total: total,
    },
  };
}

/** Whether the user is the project's author or one of its co-authors (who may see its draft and edit it). */
export async function isAuthor(db: Database, user: CurrentUser | null, p: Pick<ProjectRow, 'id' | 'author_id'>): Promise<boolean> {
  if (!user) return false;
  return p.author_id === user.id || (await isCoauthor(db, p.id, user.id));
}

export type CreateOutcome =
  | { kind: 'created'; number: number }
  | { kind: 'closed' }
  | { kind: 'level'; required: VerificationLevel }
  | { kind: 'too_many'; max: number }
  | InputProblem;

/**
 * A resident starts a project in a cycle that takes them: a draft only its authors see. Once per form (`once`): a
 * double submit is one project. Everything the create decides on is read after the key is claimed.
 */
export async function createProject(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, input: ProjectInput, once: OnceKey | null, now: Date): Promise<CreateOutcome> {
  if (!acceptsProjects(cycle, now)) return { kind: 'closed' };
  const required = cycle.submit_level as VerificationLevel;
  if (!meetsLevel(user, m, required)) return { kind: 'level', required };
  return createOnce(deps.db, once, 'pb.project', async (trx): Promise<CreateOutcome> => {
    const checked = await checkInput(trx, m, cycle, input);
    if (checked.kind !== 'ok') return checked;
    // The number's lock also makes one person's creates count one after another.
    const number = await nextNumber(trx, 'pb_projects', m.id);
    if ((await countOwnProjects(trx, cycle.id, user.id)) >= MAX_OWN_PROJECTS) return { kind: 'too_many', max: MAX_OWN_PROJECTS };
    await insertProject(trx, { ...checked.text, municipality_id: m.id, cycle_id: cycle.id, number, author_id: user.id });
    return { kind: 'created', number };
  }, (r) => r.kind === 'created');
}

export type EditOutcome = { kind: 'saved' } | { kind: 'forbidden' } | { kind: 'closed' } | InputProblem;

/**
 * An author or co-author saves changes while the project may be edited (project.rules.ts). Changes to a project
 * the public already sees are on its timeline.
 */
export async function updateProject(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, p: ProjectRow, input: ProjectInput, now: Date): Promise<EditOutcome> {
  if (!(await isAuthor(deps.db, user, p))) return { kind: 'forbidden' };
  if (!editableNow(p, cycle, now)) return { kind: 'closed' };
  return deps.db.transaction().execute(async (trx): Promise<EditOutcome> => {
    const checked = await checkInput(trx, m, cycle, input);
    if (checked.kind !== 'ok') return checked;
    if (!(await saveProjectText(trx, p.id, checked.text, now))) return { kind: 'closed' };
    if (p.status !== 'draft') await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: 'edited', actorId: user.id });
    return { kind: 'saved' };
  });
}
