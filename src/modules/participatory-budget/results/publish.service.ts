import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { appendToLedger } from '../../../platform/ledger/ledger.ts';
import { lockChain } from '../../../platform/ledger/ledger.repo.ts';
import { notify, registerNotificationKinds } from '../../../platform/notify/notify.service.ts';
import { findCycleById } from '../cycle.repo.ts';
import { cycleChain } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { addProjectEvent, projectAudience } from '../project-events.repo.ts';
import { computeResults, resultsPayload, type CycleEntry, type Results } from './compute.ts';
import { countingCycleEntry } from './cycle-entry.ts';
import { ballotTotals, claimPublication, countEntries, countedBallots, cycleProjects, saveResults } from './results.repo.ts';

registerNotificationKinds('pb.results');

export interface Turnout { voters: number; online: number; paper: number }
/** Whether the chain holds every ballot the database does: one `ballot` entry per version of each voter's ballot. */
export interface SealState { entries: number; expected: number; sealed: boolean; cycleInChain: boolean; resultsInChain: boolean }
export interface Preview { entry: CycleEntry; results: Results; seal: SealState; turnout: Turnout }

/** Counts a cycle's ballots from the database with the cycle entry that counts, and says how far the chain has them. */
export async function previewResults(db: Database, municipalityId: number, cycle: Cycle): Promise<Preview> {
  const chain = cycleChain(cycle.number);
  const [{ entry, appended }, ballots, totals, entries, results] = await Promise.all([
    countingCycleEntry(db, municipalityId, cycle), countedBallots(db, cycle.id), ballotTotals(db, cycle.id),
    countEntries(db, municipalityId, chain, 'ballot'), countEntries(db, municipalityId, chain, 'results'),
  ]);
  return {
    entry,
    // One row per voter: the database keeps only each voter's latest version.
    results: computeResults(entry, ballots, { unique: true }),
    seal: { entries, expected: totals.versions, sealed: entries === totals.versions, cycleInChain: appended, resultsInChain: results > 0 },
    turnout: { voters: totals.voters, online: totals.online, paper: totals.paper },
  };
}

export type PublishOutcome =
  | { kind: 'published'; funded: number[] }
  | { kind: 'already_published' }
  | { kind: 'not_published_cycle' }
  | { kind: 'voting_open'; closes: Date }
  | { kind: 'not_sealed'; entries: number; expected: number };

/**
 * Publishes a cycle's results in one transaction: pb_results rows, each project's funded flag, the chain's
 * `results` entry (after the cycle entry where no ballot began the chain), the cycle's results_published_at,
 * a timeline event and a notice per project, and the audit row. Holding the chain's lock, no ballot can be
 * sealed meanwhile, and a second publication (a double submit, another administrator) waits and changes nothing.
 */
export async function publishResults(deps: Deps, actor: { id: number; ip: string | null }, m: Municipality, cycle: Cycle, now: Date): Promise<PublishOutcome> {
  const chain = cycleChain(cycle.number);
  return deps.db.transaction().execute(async (trx): Promise<PublishOutcome> => {
    await lockChain(trx, m.id, chain);
    const fresh = await findCycleById(trx, m.id, cycle.id);
    if (!fresh || fresh.status !== 'published') return { kind: 'not_published_cycle' };
    if (fresh.results_published_at) return { kind: 'already_published' };
    if (now < fresh.voting_closes) return { kind: 'voting_open', closes: fresh.voting_closes };
    const preview = await previewResults(trx, m.id, fresh);
    if (preview.seal.resultsInChain) return { kind: 'already_published' };
    if (!preview.seal.sealed) return { kind: 'not_sealed', entries: preview.seal.entries, expected: preview.seal.expected };
    if (!(await claimPublication(trx, fresh.id, now))) return { kind: 'already_published' };

    const projects = new Map((await cycleProjects(trx, fresh.id)).map((p) => [p.number, p]));
    const rows = preview.results.categories.flatMap((c) => c.projects).map((r) => {
      const p = projects.get(r.number);
      // The cycle entry lists exactly the admitted projects, which are frozen from the first ballot.
      if (!p) throw new Error(`Project ${r.number} of the cycle entry of ${chain} is not an admitted project of the cycle`);
      return { ...r, projectId: p.id, title: p.title };
    });
    await saveResults(trx, m.id, fresh.id, rows);
    await appendToLedger(trx, {
      municipalityId: m.id, chain,
      entries: [...(preview.seal.cycleInChain ? [] : [{ kind: 'cycle', payload: { ...preview.entry } }]), { kind: 'results', payload: resultsPayload(preview.results) }],
    });
    for (const r of rows) {
      await addProjectEvent(trx, { municipalityId: m.id, projectId: r.projectId, kind: r.funded ? 'funded' : 'not_funded', actorId: actor.id, data: { votes: r.votes, rank: r.rank, outcome: r.outcome } });
      for (const userId of await projectAudience(trx, r.projectId)) {
        await notify(trx, { userId, municipalityId: m.id, kind: 'pb.results', params: { title: r.title, funded: r.funded ? 'yes' : 'no', votes: r.votes }, link: `/${m.slug}/participatory-budget/projects/${r.number}` });
      }
    }
    await audit(trx, {
      municipalityId: m.id, actorId: actor.id, action: 'pb.results.publish', subjectType: 'pb_cycle', subjectId: fresh.number,
      after: { voters: preview.turnout.voters, funded: preview.results.funded }, ip: actor.ip,
    });
    return { kind: 'published', funded: preview.results.funded };
  });
}
