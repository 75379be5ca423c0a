import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import { localDate, startOfLocalDay } from '../../../platform/time/working-days.ts';
import type { Cycle } from '../pb.tables.ts';
import { pbTown, seedCycle } from '../testing.ts';
import { ballotCounts } from './stats.repo.ts';
import { byAge, everyDay, suppressSmall } from './stats.ts';

describe('suppression of small counts', () => {
  test('counts of 1 to 4 are hidden, zeros shown, and one more is hidden wherever the hidden ones could be worked out', () => {
    const shown = (cells: number[]) => suppressSmall(cells.map((n, i) => ({ key: i, n }))).map((c) => c.n);
    assert.deepEqual(shown([12, 3, 7]), [12, null, null], 'a single small count and the smallest other');
    assert.deepEqual(shown([20, 2]), [null, null], 'two cells: both, or the total would give the small one away');
    assert.deepEqual(shown([30, 1, 1, 9]), [30, null, null, null], 'two hidden that would sum to 2: one more hidden');
    assert.deepEqual(shown([30, 0, 5, 6]), [30, 0, 5, 6], 'nothing small, nothing hidden; zeros identify nobody');
    assert.deepEqual(shown([4, 3]), [null, null]);
    assert.deepEqual(shown([]), []);
  });

  test('days are listed from the first to the last, empty ones as zeros; age bands in order of age, unknown last', () => {
    assert.deepEqual(everyDay([{ key: '2027-05-03', n: 4 }], '2027-05-01', '2027-05-04').map((d) => [d.key, d.n]),
      [['2027-05-01', 0], ['2027-05-02', 0], ['2027-05-03', 4], ['2027-05-04', 0]]);
    assert.deepEqual(everyDay([{ key: '2027-06-02', n: 1 }], '2027-05-31', '2027-06-01').map((d) => d.key), ['2027-05-31', '2027-06-01', '2027-06-02'], 'a late paper ballot is kept');
    assert.deepEqual(byAge([{ key: '70+' }, { key: null }, { key: '18-29' }, { key: '30-44' }, { key: '16-17' }]).map((c) => c.key), ['16-17', '18-29', '30-44', '70+', null]);
  });
});

let t: TestApp;
let town: Municipality;
let cycle: Cycle;
let districtA = 0;
let districtB = 0;
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** `n` ballots cast at `at`, with the attributes taken at casting. */
async function ballots(n: number, at: Date, o: { district?: number | null; age?: string | null; channel?: 'online' | 'paper' } = {}) {
  const start = Number((await t.db.selectFrom('pb_ballots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  await t.db.insertInto('pb_ballots').values(Array.from({ length: n }, (_, i) => ({
    municipality_id: town.id, cycle_id: cycle.id, channel: o.channel ?? 'online', user_id: null, voter: String(start + i).padStart(64, '0'), choices: [1],
    district_id: o.district ?? null, age_band: o.age ?? null, cast_at: at, changed_at: at,
  }))).execute();
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  await pbTown(t.db, 'sombor');
  ({ cycle } = await seedCycle(t.db, town, { phase: 'results' }));
  const district = async (slug: string, name: string) =>
    (await t.db.insertInto('districts').values({ municipality_id: town.id, slug, names: JSON.stringify({ uk: name, en: name }) }).returning('id').executeTakeFirstOrThrow()).id;
  districtA = await district('centre', 'Centre');
  districtB = await district('hlynsko', 'Hlynsko');
  // Day 1 of voting in Kyiv's calendar; half past midnight there is still the previous day in UTC.
  const day1 = plusDays(localDate(cycle.voting_opens, town.time_zone), 1);
  const early = new Date(startOfLocalDay(day1, town.time_zone).getTime() + 30 * 60_000);
  await ballots(10, early, { district: districtA, age: '18-29' });
  await ballots(5, early, { district: null, age: '30-44' });
  const day2 = new Date(startOfLocalDay(plusDays(day1, 1), town.time_zone).getTime() + 12 * 3600_000);
  await ballots(2, day2, { district: districtA, age: '30-44', channel: 'paper' });
  await ballots(3, day2, { district: districtB, age: '70+' });
  const day3 = new Date(startOfLocalDay(plusDays(day1, 2), town.time_zone).getTime() + 12 * 3600_000);
  await ballots(2, day3, { district: null, age: '30-44' });
});
after(() => t.close());

describe('statistics of a cycle', () => {
  test('counts by day in the municipality\'s calendar, by district, age band and channel', async () => {
    const c = await ballotCounts(t.db, cycle.id, town.time_zone);
    const day1 = plusDays(localDate(cycle.voting_opens, town.time_zone), 1);
    assert.equal(c.total, 22);
    assert.deepEqual(c.days.map((d) => [d.key, d.n]), [[day1, 15], [plusDays(day1, 1), 5], [plusDays(day1, 2), 2]]);
    assert.deepEqual(Object.fromEntries(c.districts.map((d) => [String(d.key), d.n])), { [districtA]: 12, [districtB]: 3, null: 7 });
    assert.deepEqual(Object.fromEntries(c.ages.map((d) => [String(d.key), d.n])), { '18-29': 10, '30-44': 9, '70+': 3 });
    assert.deepEqual(Object.fromEntries(c.channels.map((d) => [d.key, d.n])), { online: 20, paper: 2 });
    const utc = await ballotCounts(t.db, cycle.id, 'UTC');
    assert.equal(utc.days.find((d) => d.key === plusDays(day1, -1))?.n, 15, 'in UTC the early ballots fall on the day before');
  });

  test('the page shows turnout against the population and says so, charts with their tables, and hides small counts', async () => {
    const res = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/statistics`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<dt>Turnout<\/dt><dd>0\.2%<\/dd>/);
    assert.match(html, /divided by the municipality&#39;s population|divided by the municipality's population/);
    assert.match(html, /counts below 5 are not shown/);
    const row = (label: string, text: string) => new RegExp(`<tr><td>${label}</td><td class="num">${text}</td>`);
    assert.match(html, row('Centre', '12'));
    assert.match(html, row('Hlynsko', 'not shown'));
    assert.match(html, row('District not known', 'not shown'), 'the smallest other count is hidden with it');
    assert.match(html, row('18-29', '10'));
    assert.match(html, row('70\\+', 'not shown'));
    assert.match(html, row('30-44', 'not shown'));
    assert.match(html, row('Online', 'not shown'));
    assert.match(html, row('On paper', 'not shown'));
    const day1 = plusDays(localDate(cycle.voting_opens, town.time_zone), 1);
    const words = (d: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: town.time_zone }).format(new Date(`${d}T12:00:00Z`));
    assert.match(html, row(words(day1), '15'));
    assert.match(html, row(words(plusDays(day1, 2)), 'not shown'));
    assert.equal((html.match(/role="img"/g) ?? []).length, 4, 'four charts');
    assert.doesNotMatch(html, /0{40}/, 'no voter ids on the page');
  });

  test('before voting the page says when statistics come; another municipality and unknown cycles are 404', async () => {
    const review = (await seedCycle(t.db, town, { phase: 'review' })).cycle;
    const early = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${review.number}/statistics`);
    assert.equal(early.statusCode, 200);
    assert.match(early.body, /from the opening of voting/);
    assert.doesNotMatch(early.body, /role="img"/);
    assert.equal((await t.client('en').get(`/en/sombor/participatory-budget/cycles/${cycle.number}/statistics`)).statusCode, 404);
    assert.equal((await t.client('en').get('/en/zhovkva/participatory-budget/cycles/999/statistics')).statusCode, 404);
    assert.equal((await t.client('en').get('/en/zhovkva/participatory-budget/cycles/abc/statistics')).statusCode, 404);
  });
});
