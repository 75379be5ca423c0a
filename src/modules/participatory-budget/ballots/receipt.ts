import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { queuedSeq } from '../../../platform/ledger/queue.ts';
import { buildReceipt } from '../../../platform/ledger/receipt.ts';
import type { Cycle } from '../pb.tables.ts';
import { cycleChain } from '../paths.ts';
import { ballotOfUser } from './cast.service.ts';
import { ballotPayload, ballotRef } from './chain.ts';

/**
 * What a voter can check later (docs/LEDGER.md "Receipts"): their ballot's latest version as its `ballot`
 * entry's payload, the installation's signed promise to seal it into the cycle's chain within `promiseSeconds` of
 * casting (or changing), and once sealed the entry's place and its inclusion proof. The promise is made from the
 * ballot itself (Ed25519 signatures are deterministic), the same on every view.
 */
export async function ballotReceipt(db: Database, m: Municipality, cycle: Cycle, userId: number, promiseSeconds: number) {
  const { ballot } = await ballotOfUser(db, m, cycle, userId);
  if (!ballot) return null;
  const chain = cycleChain(cycle.number);
  const payload = ballotPayload({ voter: ballot.voter, channel: ballot.channel, choices: ballot.choices, version: ballot.version, at: ballot.changed_at });
  const seq = await queuedSeq(db, m.id, chain, ballotRef(ballot.voter, ballot.version));
  const deadline = new Date(new Date(ballot.changed_at).getTime() + promiseSeconds * 1000);
  const receipt = await buildReceipt(db, m.id, chain, { kind: 'ballot', payload, deadline }, seq);
  return {
    chain, ballot, payload, deadline, receipt,
    entry: receipt.entry && receipt.inclusion ? { seq: receipt.entry.seq, hash: receipt.entry.hash, size: receipt.inclusion.size } : null,
  };
}
