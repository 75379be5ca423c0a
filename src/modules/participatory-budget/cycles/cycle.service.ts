import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../../platform/idempotency/once.ts';
import { nextNumber } from '../../../platform/tenancy/numbering.ts';
import { rulesFrozen } from '../freeze.ts';
import type { Cycle } from '../pb.tables.ts';
import { dateChangeProblems, type ChangeProblem } from './cycle.dates.ts';
import { changedColumns, FROZEN_COLUMNS, type CycleInput } from './cycle.input.ts';
import { categoriesTotal, firstBallotAt, insertCycle, lockCycle, publishDraft, updateCycleColumns } from './cycles.repo.ts';

/** Who acts, for the audit log. */
export interface Actor { id: number; ip: string | null }

/** An audit row about a cycle (subject `pb_cycle`, by its number), in the write's transaction. */
export function auditCycle(trx: Transaction<DB>, actor: Actor, cycle: Pick<Cycle, 'municipality_id' | 'number'>, action: string, before: unknown, after: unknown) {
  return audit(trx, { municipalityId: cycle.municipality_id, actorId: actor.id, action, subjectType: 'pb_cycle', subjectId: cycle.number, before, after, ip: actor.ip });
}

/**
 * Refuses a change of what freezes at the first ballot (see freeze.ts): takes the cycle's rules lock and looks for
 * a ballot, so a first ballot cast at the same moment either comes after this change or stops it. Null: go on.
 */
export async function frozenSince(trx: Transaction<DB>, cycleId: number): Promise<Date | null> {
  if (!(await rulesFrozen(trx, cycleId))) return null;
  return (await firstBallotAt(trx, cycleId)) ?? new Date();
}

/** A new draft cycle (once per form): numbered in the municipality, audited. */
export async function createCycle(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, input: CycleInput, once: OnceKey | null): Promise<{ number: number }> {
  return createOnce(deps.db, once, 'pb.cycle', async (trx) => {
    const cycle = await insertCycle(trx, m.id, await nextNumber(trx, 'pb_cycles', m.id), input);
    await auditCycle(trx, actor, cycle, 'pb.cycle.create', undefined, input);
    return { number: cycle.number };
  });
}

export type UpdateOutcome =
  | { kind: 'saved' }
  | { kind: 'unchanged' }
  | { kind: 'gone' }
  | { kind: 'frozen'; since: Date; columns: (keyof CycleInput)[] }
  | { kind: 'dates'; problems: ChangeProblem[] }
  | { kind: 'below_categories'; sum: number };

/**
 * Saves a cycle's form. Once a ballot exists, the rule, its limits, eligibility and the money are refused; the
 * dates of a published cycle follow dateChangeProblems; the total never falls below its categories' amounts.
 * Everything is judged on the row read inside the transaction, so two officials saving at once cannot combine
 * into what neither was allowed.
 */
export async function updateCycle(deps: Deps, actor: Actor, m: Pick<Municipality, 'id' | 'time_zone'>, number: number, input: CycleInput, now: Date): Promise<UpdateOutcome> {
  return deps.db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
    const c = await lockCycle(trx, m.id, number);
    if (!c) return { kind: 'gone' };
    const changed = changedColumns(c, input, m.time_zone);
    const columns = Object.keys(changed) as (keyof CycleInput)[];
    if (columns.length === 0) return { kind: 'unchanged' };
    const frozen = columns.filter((k) => (FROZEN_COLUMNS as readonly string[]).includes(k));
    if (frozen.length > 0) {
      const since = await frozenSince(trx, c.id);
      if (since) return { kind: 'frozen', since, columns: frozen };
    }
    if (c.status === 'published') {
      const problems = dateChangeProblems(c, { ...c, ...changed }, now);
      if (problems.length > 0) return { kind: 'dates', problems };
    }
    if (changed.total_amount !== undefined) {
      const sum = await categoriesTotal(trx, c.id);
      if (changed.total_amount < sum) return { kind: 'below_categories', sum };
    }
    await updateCycleColumns(trx, c.id, changed, now);
    const before = Object.fromEntries(columns.map((k) => [k, c[k]]));
    await auditCycle(trx, actor, c, 'pb.cycle.update', before, changed);
    return { kind: 'saved' };
  });
}

/** Publishes a draft (from then on residents see it and its phases run by their dates): it needs a category. */
export async function publishCycle(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, now: Date): Promise<'published' | 'no_categories' | 'not_draft' | 'gone'> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await lockCycle(trx, m.id, number);
    if (!c) return 'gone';
    if (c.status !== 'draft') return 'not_draft';
    if (!(await publishDraft(trx, c.id, now))) return 'no_categories';
    await auditCycle(trx, actor, c, 'pb.cycle.publish', { status: 'draft' }, { status: 'published' });
    return 'published';
  });
}
