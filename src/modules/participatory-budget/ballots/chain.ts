import type { Database } from '../../../db/database.ts';
import type { LedgerChains } from '../../../platform/module.ts';
import { ledgerTime, pseudonym } from '../../../platform/ledger/ledger.ts';
import type { QueueHooks } from '../../../platform/ledger/queue.ts';
import { findCycle } from '../cycle.repo.ts';
import type { BallotChannel, Cycle } from '../pb.tables.ts';
import { cycleChain } from '../paths.ts';
import { loadCycleBallot, type CycleBallot } from './ballot.rules.ts';

/**
 * A cycle's chain `pb:<number>` (the contract is /LEDGER-PB.md, to go into docs/LEDGER.md): its `cycle` entry
 * first, appended by the sealer before the first ballot, then one `ballot` entry per cast ballot and per change.
 */

/** The `cycle` entry: the rules, categories and admitted projects every ballot of the chain is checked against. */
export function cyclePayload(cycle: Pick<Cycle, 'number' | 'currency' | 'rule' | 'max_choices' | 'max_per_category' | 'min_choices' | 'min_share_pct' | 'ballot_changes'>, b: CycleBallot) {
  return {
    cycle: cycle.number, currency: cycle.currency, rule: cycle.rule,
    maxChoices: cycle.max_choices, maxPerCategory: cycle.max_per_category, minChoices: cycle.min_choices, minSharePct: cycle.min_share_pct, ballotChanges: cycle.ballot_changes,
    categories: b.categories.map((c) => ({ slug: c.slug, amount: c.amount, district: c.districtSlug })),
    projects: [...b.projects].sort((x, y) => x.number - y.number).map((p) => ({ number: p.number, category: p.category, cost: p.cost })),
  };
}

export interface BallotFacts { voter: string; channel: BallotChannel; choices: readonly number[]; version: number; at: Date }

/** A `ballot` entry's payload: choices ascending, `at` to the second in UTC. */
export const ballotPayload = (b: BallotFacts) => ({
  voter: b.voter, channel: b.channel, choices: [...b.choices].sort((x, y) => x - y), version: b.version, at: ledgerTime(b.at),
});

/** The queue's name for a ballot's entry: a voter's versions are unique in the chain. */
export const ballotRef = (voter: string, version: number) => `${voter}:${version}`;

/** An online voter's id in the cycle's chain: the pseudonym of their account. */
export const onlineVoter = (secret: string, cycleNumber: number, userId: number) => pseudonym(secret, cycleChain(cycleNumber), userId);
/** A paper ballot's voter id: the pseudonym of the document the official saw (its keyed hash). */
export const paperVoter = (secret: string, cycleNumber: number, documentHash: string) => pseudonym(secret, cycleChain(cycleNumber), `doc:${documentHash}`);

const cycleNumberOf = (chain: string) => (/^pb:([1-9][0-9]{0,8})$/.exec(chain)?.[1] ?? null);

/** The sealer's hooks for the module's chains: the `cycle` entry opens each one. */
export const ballotQueue: QueueHooks = {
  prefix: 'pb',
  async beforeFirst(trx, municipalityId, chain) {
    const number = cycleNumberOf(chain);
    const cycle = number ? await findCycle(trx, municipalityId, Number(number)) : undefined;
    if (!cycle) throw new Error(`No cycle for the chain ${chain}`);
    return [{ kind: 'cycle', payload: cyclePayload(cycle, await loadCycleBallot(trx, cycle)) }];
  },
};

/** Whether anyone may read a cycle's chain: a published cycle that has ballots. */
async function chainVisible(db: Database, municipalityId: number, key: string): Promise<boolean> {
  if (!/^[1-9][0-9]{0,8}$/.test(key)) return false;
  const cycle = await findCycle(db, municipalityId, Number(key));
  return cycle !== undefined && cycle.status === 'published' && cycle.frozen_at !== null;
}

/** The module's chains in the public ledger (`meaning`, the results check, is the results part's). */
export const ballotChains: LedgerChains = {
  prefix: 'pb',
  visible: (db, m, key) => chainVisible(db, m.id, key),
  page: (m, key) => `/${m.slug}/participatory-budget/cycles/${key}/ledger`,
};
