import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import { prepared } from '../../../db/prepared.ts';
import type { BallotChannel } from '../pb.tables.ts';

/** A ballot to write, with the keys naming its person (`user:…`, `nid:…`, `doc:…`). */
export interface NewBallot {
  municipalityId: number;
  cycleId: number;
  channel: BallotChannel;
  userId: number | null;
  recordedBy: number | null;
  voter: string;
  choices: number[];
  districtId: number | null;
  ageBand: string | null;
  keys: string[];
  at: Date;
}

/** What became of one ballot: refused as outside voting, or written with how many of its keys (all, or a conflict). */
export type Written = { open: false } | { open: true; id: number | null; keysWritten: number; keysWanted: number };

const column = <K extends keyof NewBallot>(rows: NewBallot[], k: K, f: (v: NewBallot[K]) => unknown = (v) => v) => sql.val(rows.map((r) => f(r[k])));

/**
 * Writes ballots in one statement: each ballot (version 1) and its person keys, all skipped where the cycle is
 * not open for voting at the ballot's time; a ballot whose voter or any person key is taken writes what it can
 * and says so (the caller rolls the transaction back). Voters in one call must be distinct. Rows are written in
 * the order of their voters and keys, so two batches waiting on each other's keys cannot deadlock.
 */
export async function insertBallots(trx: Database, rows: NewBallot[]): Promise<Written[]> {
  const { rows: out } = await sql<{ ord: number; id: number | null; keys_written: number; keys_wanted: number }>`
    WITH v AS (
      SELECT * FROM unnest(${column(rows, 'municipalityId')}::int[], ${column(rows, 'cycleId')}::int[], ${column(rows, 'channel')}::text[],
        ${column(rows, 'userId')}::int[], ${column(rows, 'recordedBy')}::int[], ${column(rows, 'voter')}::text[], ${column(rows, 'choices', (c) => c.join(','))}::text[],
        ${column(rows, 'districtId')}::int[], ${column(rows, 'ageBand')}::text[], ${column(rows, 'keys', (k) => k.join(' '))}::text[],
        ${column(rows, 'at', (d) => d.toISOString())}::timestamptz[])
        WITH ORDINALITY AS v(municipality_id, cycle_id, channel, user_id, recorded_by, voter, choices, district_id, age_band, keys, at, ord)
    ), open AS (
      SELECT v.* FROM v JOIN pb_cycles c ON c.id = v.cycle_id AND c.municipality_id = v.municipality_id
        AND c.status = 'published' AND c.voting_opens <= v.at AND v.at < c.voting_closes
    ), b AS (
      INSERT INTO pb_ballots (municipality_id, cycle_id, channel, user_id, recorded_by, voter, choices, version, district_id, age_band, cast_at, changed_at)
      SELECT municipality_id, cycle_id, channel, user_id, recorded_by, voter, string_to_array(choices, ',')::int[], 1, district_id, age_band, at, at
      FROM open ORDER BY voter
      ON CONFLICT (cycle_id, voter) DO NOTHING
      RETURNING id, cycle_id, voter
    ), k AS (
      INSERT INTO pb_voters (cycle_id, person_key, ballot_id)
      SELECT b.cycle_id, key, b.id FROM b JOIN open o ON o.cycle_id = b.cycle_id AND o.voter = b.voter
        CROSS JOIN LATERAL unnest(string_to_array(o.keys, ' ')) AS key
      ORDER BY key
      ON CONFLICT (cycle_id, person_key) DO NOTHING
      RETURNING ballot_id
    )
    SELECT o.ord, b.id, (SELECT count(*) FROM k WHERE k.ballot_id = b.id)::int AS keys_written, cardinality(string_to_array(o.keys, ' ')) AS keys_wanted
    FROM open o LEFT JOIN b ON b.cycle_id = o.cycle_id AND b.voter = o.voter ${prepared}`.execute(trx);
  const byOrd = new Map(out.map((r) => [Number(r.ord), r]));
  return rows.map((_, i) => {
    const r = byOrd.get(i + 1);
    return r ? { open: true, id: r.id === null ? null : Number(r.id), keysWritten: Number(r.keys_written), keysWanted: Number(r.keys_wanted) } : { open: false };
  });
}

/** A new version of a ballot while its cycle allows changes and voting is open; null when `version` is no longer its latest. */
export async function reviseBallot(trx: Database, b: { id: number; version: number; choices: number[]; at: Date }): Promise<number | null> {
  const { rows } = await sql<{ version: number }>`
    UPDATE pb_ballots b SET choices = string_to_array(${b.choices.join(',')}, ',')::int[], version = b.version + 1, changed_at = ${b.at.toISOString()}::timestamptz
    FROM pb_cycles c
    WHERE b.id = ${b.id} AND b.version = ${b.version} AND c.id = b.cycle_id AND c.ballot_changes AND c.status = 'published'
      AND c.voting_opens <= ${b.at.toISOString()}::timestamptz AND ${b.at.toISOString()}::timestamptz < c.voting_closes
    RETURNING b.version`.execute(trx);
  return rows[0] ? Number(rows[0].version) : null;
}

/** Marks cycles frozen by their first ballots (freeze.ts): their rules may no longer change. */
export async function markFrozen(trx: Database, cycleIds: number[]): Promise<void> {
  if (cycleIds.length === 0) return;
  await trx.updateTable('pb_cycles').set({ frozen_at: new Date() }).where('id', 'in', cycleIds).where('frozen_at', 'is', null).execute();
}
