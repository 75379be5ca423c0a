import { idNumbers, type AuditSubject } from '../../../platform/audit/audit.subject.ts';
import { ledgerQueueTask } from '../../../platform/ledger/queue.ts';
import { ballotCycleTitles } from './ballot.repo.ts';
import { ballotChains, ballotQueue } from './chain.ts';

export { registerBallotRoutes } from './web/routes.ts';
export { ballotChains };
export { cyclePayload, ballotPayload, onlineVoter, paperVoter } from './chain.ts';

/** Seals queued ballots into their cycles' chains every second, each chain opened by its `cycle` entry. */
export const sealBallots = ledgerQueueTask(ballotQueue);

/** Paper ballots in the audit log, named by their cycle. */
export const paperBallotSubject: AuditSubject = {
  names: async (db, m, ids) => (m === null ? new Map() : new Map((await ballotCycleTitles(db, m, idNumbers(ids))).map((r) => [String(r.id), r.title]))),
};
