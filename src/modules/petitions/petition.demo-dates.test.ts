import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ledgerEntries } from '../../platform/ledger/ledger.ts';
import { createTestDatabase } from '../../platform/testing/db.ts';
import { addCalendarDays, addWorkingDays } from '../../platform/time/working-days.ts';
import { petitionDemo } from './petition.demo.ts';
import { petitionSettings } from './petition.settings.ts';
import { chainName } from './signature.service.ts';
import { petitionTown, resident, serviceDeps } from './testing.ts';

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());
/** The same moment as a page shows it: the database's clock and the server's may differ by a millisecond or so. */
const same = (a: number | null, b: number | null, message: string) => assert.ok(a !== null && b !== null && Math.abs(a - b) < 1000, `${message}: ${a} vs ${b}`);

/**
 * The demo must keep the rules the platform states on every petition page: the period runs from publication,
 * the response is due a number of working days after the threshold, signatures come in time order within the
 * collection period (and before the answer, which ends collection), the ledger lists them in that order, and
 * the timeline shows each step on the date the summary gives for it.
 */
test('demo petitions are consistent: summary, timeline, signatures and ledger agree with the platform’s rules', async () => {
  const database = await createTestDatabase();
  try {
    const db = database.db;
    const m = await petitionTown(db, 'zhovkva');
    const people = {
      residents: [(await resident(db, 'r1@example.org', m)).id, (await resident(db, 'r2@example.org', m)).id],
      officials: [(await resident(db, 'o@example.org', m, { role: 'official' })).id],
      moderators: [(await resident(db, 'm@example.org', m, { role: 'moderator' })).id],
      admin: (await resident(db, 'a@example.org', m, { role: 'admin' })).id,
    };
    const started = Date.now();
    await petitionDemo(serviceDeps(db), m, people);
    const now = Date.now();
    const s = petitionSettings(m);
    const petitions = await db.selectFrom('petitions').selectAll().where('municipality_id', '=', m.id).orderBy('number').execute();
    for (const p of petitions) {
      const at = `petition ${p.number} (${p.status})`;
      const events = await db.selectFrom('petition_events').select(['kind', 'created_at']).where('petition_id', '=', p.id).orderBy('id').execute();
      const times = events.map((e) => ms(e.created_at)!);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), `${at}: the timeline runs forwards`);
      const when = (kind: string) => ms(events.find((e) => e.kind === kind)?.created_at ?? null);
      assert.ok(ms(p.created_at)! <= (ms(p.submitted_at) ?? now) + 1000, `${at}: created before it was submitted`);
      if (p.submitted_at) same(when('submitted'), ms(p.submitted_at), `${at}: timeline's submission = summary's`);
      if (!p.published_at) continue;
      assert.ok(ms(p.submitted_at)! < ms(p.published_at)!, `${at}: submitted before published`);
      same(when('published'), ms(p.published_at), `${at}: timeline's publication = summary's`);
      assert.equal(ms(p.closes_at), addCalendarDays(new Date(p.published_at), p.period_days!, m.time_zone).getTime(), `${at}: closes after its period`);
      assert.ok(ms(p.published_at)! <= now, `${at}: published in the past`);
      const end = Math.min(ms(p.answered_at) ?? Infinity, ms(p.closes_at)!, now);
      const signed = (await db.selectFrom('petition_signatures').select(['id', 'signed_at']).where('petition_id', '=', p.id).orderBy('id').execute()).map((r) => ms(r.signed_at)!);
      assert.deepEqual(signed, [...signed].sort((a, b) => a - b), `${at}: signatures in time order`);
      assert.ok(signed.every((x) => x >= ms(p.published_at)! && x <= end), `${at}: signatures within the collection period`);
      if (p.threshold_reached_at) {
        assert.ok(signed.length >= p.threshold!, `${at}: reached its threshold`);
        assert.equal(ms(p.threshold_reached_at), signed[p.threshold! - 1], `${at}: threshold reached with the threshold-th signature`);
        same(when('threshold'), ms(p.threshold_reached_at), `${at}: timeline's threshold = summary's`);
        assert.equal(ms(p.response_due_at), addWorkingDays(new Date(p.threshold_reached_at), s.responseDays, m.time_zone).getTime(), `${at}: response due after the legal working days`);
      } else {
        assert.ok(signed.length < (p.threshold ?? Infinity) || p.status === 'open', `${at}: below threshold`);
      }
      if (p.answered_at) {
        assert.ok(ms(p.answered_at)! > ms(p.threshold_reached_at)! && ms(p.answered_at)! <= now, `${at}: answered after the threshold`);
        same(when('answered'), ms(p.answered_at), `${at}: timeline's answer = summary's`);
      }
      if (p.status === 'closed') {
        assert.ok(ms(p.closed_at)! >= ms(p.closes_at)!, `${at}: closed once its period ended`);
        same(when('closed') ?? when('expired'), ms(p.closed_at), `${at}: timeline's closing = summary's`);
      }
      const entries = await ledgerEntries(db, m.id, chainName(p.number), { limit: 10_000 });
      const entryTimes = entries.map((e) => ms(e.createdAt)!);
      assert.deepEqual(entryTimes, [...entryTimes].sort((a, b) => a - b), `${at}: ledger entries in order`);
      const signedAt = entries.filter((e) => e.kind === 'signature').map((e) => Date.parse((e.payload as { at: string }).at));
      assert.deepEqual(signedAt, [...signedAt].sort((a, b) => a - b), `${at}: signing times run forwards in the chain`);
      assert.ok(entryTimes.every((x) => x >= started - 1000), `${at}: sealed when the demo ran`);
    }
  } finally {
    await database.cleanup();
  }
});
