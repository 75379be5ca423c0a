import type { Municipality } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../../platform/idempotency/once.ts';
import { pseudonymSecret } from '../../../platform/ledger/ledger.ts';
import { enqueueLedgerEntries } from '../../../platform/ledger/queue.ts';
import type { DocumentType } from '../../../platform/residence/residence.tables.ts';
import { holdRulesShared } from '../freeze.ts';
import type { BallotChannel, Cycle } from '../pb.tables.ts';
import { cycleChain } from '../paths.ts';
import { votingOpen } from '../phase.ts';
import { AGE_BANDS, type AgeBand } from './age.ts';
import { ballotByKeys, documentHolder } from './ballot.repo.ts';
import { ballotForCasting } from './ballot.rules.ts';
import { insertBallots, markFrozen } from './cast.repo.ts';
import { ballotProblem, type CastProblem } from './cast.service.ts';
import { ballotPayload, ballotRef, paperVoter } from './chain.ts';

/**
 * Paper ballots at an offline point: an official records the ballot of a resident identified by a document
 * (its number is kept only as a keyed hash, never stored or logged). The person's keys are the document and,
 * where a confirmed residence was shown with the same document, that account: so whoever voted online cannot
 * vote again on paper, nor the other way round.
 */

export interface PaperBallot {
  documentType: DocumentType;
  documentNumber: string;
  /** The district the paper form records, where the cycle has district categories. */
  districtId: number | null;
  ageBand: AgeBand | null;
  /** The official has seen that the person is at least the cycle's minimum age. */
  ageChecked: boolean;
  choices: number[];
}

export type PaperOutcome =
  | { kind: 'recorded'; voter: string; ballotId: number }
  | { kind: 'not_open' }
  | { kind: 'no_number' }
  | { kind: 'age' }
  | { kind: 'refused'; problem: CastProblem }
  | { kind: 'already'; channel: BallotChannel; at: Date }
  /** Met a ballot that was rolled back meanwhile: nothing written, the official may simply send the form again. */
  | { kind: 'retry' };

/** Whether a band lies wholly below a minimum age ('16-17' under 18). */
const bandBelow = (band: AgeBand, min: number) => band !== '60+' && Number(band.split('-')[1]) < min;

/** Records a paper ballot (once per form key), checked as an online ballot is; audited without the document's number. */
export async function recordPaper(deps: Deps, official: { id: number; ip: string | null }, m: Municipality, cycle: Cycle, p: PaperBallot, once: OnceKey | null, now = new Date()): Promise<PaperOutcome> {
  if (cycle.status !== 'published' || !votingOpen(cycle, now)) return { kind: 'not_open' };
  const hash = deps.identifiers.hash('document', p.documentNumber);
  if (!hash) return { kind: 'no_number' };
  if (cycle.min_age !== null && (!p.ageChecked || (p.ageBand !== null && bandBelow(p.ageBand, cycle.min_age)))) return { kind: 'age' };
  if (p.ageBand !== null && !AGE_BANDS.includes(p.ageBand)) return { kind: 'age' };
  const voter = paperVoter(await pseudonymSecret(deps.db), cycle.number, hash);
  const choices = [...p.choices].sort((a, b) => a - b);
  let keys: string[] = [`doc:${hash}`];
  const r = await createOnce(deps.db, once, 'pb.paper', async (trx): Promise<PaperOutcome | { kind: 'conflict' }> => {
    await holdRulesShared(trx, cycle.id);
    const ballot = await ballotForCasting(trx, deps.db, cycle);
    const problem = ballotProblem(ballot, choices, p.districtId);
    if (problem) return { kind: 'refused', problem };
    const holder = await documentHolder(trx, m.id, hash);
    keys = holder === undefined ? keys : [...keys, `user:${holder}`];
    const [w] = await insertBallots(trx, [{
      municipalityId: m.id, cycleId: cycle.id, channel: 'paper', userId: null, recordedBy: official.id, voter, choices,
      districtId: p.districtId, ageBand: p.ageBand, keys, at: now,
    }]);
    if (!w!.open) return { kind: 'not_open' };
    if (w!.id === null || w!.keysWritten < w!.keysWanted) return { kind: 'conflict' };
    if (!ballot.frozen) await markFrozen(trx, [cycle.id]);
    await enqueueLedgerEntries(trx, [{
      municipalityId: m.id, chain: cycleChain(cycle.number), kind: 'ballot', ref: ballotRef(voter, 1),
      payload: ballotPayload({ voter, channel: 'paper', choices, version: 1, at: now }),
    }]);
    await audit(trx, { municipalityId: m.id, actorId: official.id, action: 'pb.paper.record', subjectType: 'pb_ballot', subjectId: w!.id,
      after: { cycle: cycle.number, documentType: p.documentType, choices, district: p.districtId, ageBand: p.ageBand }, ip: official.ip });
    return { kind: 'recorded', voter, ballotId: w!.id };
  }, (x) => x.kind === 'recorded');
  if (r.kind !== 'conflict') return r;
  // The person voted already: say how, and keep the attempt on record (the document's type only).
  const existing = await ballotByKeys(deps.db, cycle.id, keys);
  await audit(deps.db, { municipalityId: m.id, actorId: official.id, action: 'pb.paper.refused', subjectType: 'pb_ballot', subjectId: existing?.id ?? null,
    after: { cycle: cycle.number, documentType: p.documentType, channel: existing?.channel ?? null }, ip: official.ip });
  return existing ? { kind: 'already', channel: existing.channel, at: existing.cast_at } : { kind: 'retry' };
}
