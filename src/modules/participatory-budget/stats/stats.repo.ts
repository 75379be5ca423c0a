import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { BallotChannel } from '../pb.tables.ts';
import type { Cell } from './stats.ts';

/** The counts of a cycle's ballots: in total and by each attribute taken at casting (one statement each, on the cycle's rows). */
export async function ballotCounts(db: Database, cycleId: number, timeZone: string) {
  const count = sql<number>`count(*)::int`;
  const [total, days, districts, ages, channels] = await Promise.all([
    db.selectFrom('pb_ballots').select(count.as('n')).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow(),
    // The day in the municipality's calendar: a ballot cast at 23:30 in Kyiv belongs to that day, not to UTC's next one.
    db.selectFrom('pb_ballots').select([sql<string>`to_char(cast_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`.as('key'), count.as('n')])
      .where('cycle_id', '=', cycleId).groupBy(sql`1`).orderBy(sql`1`).execute(),
    db.selectFrom('pb_ballots').select(['district_id as key', count.as('n')]).where('cycle_id', '=', cycleId).groupBy('district_id').execute(),
    db.selectFrom('pb_ballots').select(['age_band as key', count.as('n')]).where('cycle_id', '=', cycleId).groupBy('age_band').execute(),
    db.selectFrom('pb_ballots').select(['channel as key', count.as('n')]).where('cycle_id', '=', cycleId).groupBy('channel').execute(),
  ]);
  return {
    total: Number(total.n),
    days: days.map((d) => ({ key: d.key, n: Number(d.n) })) as Cell<string>[],
    districts: districts.map((d) => ({ key: d.key, n: Number(d.n) })) as Cell<number | null>[],
    ages: ages.map((a) => ({ key: a.key, n: Number(a.n) })) as Cell<string | null>[],
    channels: channels.map((c) => ({ key: c.key, n: Number(c.n) })) as Cell<BallotChannel>[],
  };
}

export type BallotCounts = Awaited<ReturnType<typeof ballotCounts>>;
