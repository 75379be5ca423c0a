import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import type { FastifyRequest } from 'fastify';
import type { Municipality } from '../../../db/schema.ts';
import { formatters, translator } from '../../../platform/i18n/i18n.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { ViewCtx, type ViewContext } from '../../../platform/views/context.ts';
import { findCycle } from '../cycle.repo.ts';
import type { Cycle, Project } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject, type SeedCycle } from '../testing.ts';
import { renderSections } from '../web/sections.ts';
import { castForTest } from './testing.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let authorId: number;
const c: Record<string, TestClient> = {};
const base = '/en/zhovkva/participatory-budget';
const staff = (n: number) => `${base}/staff/cycles/${n}/results`;
const page = (n: number, slug = 'zhovkva') => `/en/${slug}/participatory-budget/cycles/${n}/results`;
const rows = async (table: 'pb_results' | 'audit_log' | 'ledger_entries') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A cycle in `phase` with three projects in one category of 100 000.00 (60 000, 50 000, 30 000) and three ballots. */
async function cycleWithBallots(o: SeedCycle = {}, ballots = true): Promise<{ cycle: Cycle; p: Project[] }> {
  const { cycle, categories } = await seedCycle(t.db, town, { phase: 'results', rule: 'approval', maxChoices: 2, categories: [{ slug: 'parks', amount: 10_000_000, names: { uk: 'Парки', en: 'Parks' } }], ...o });
  const p: Project[] = [];
  for (const [cost, title] of [[6_000_000, 'Skate park by the river'], [5_000_000, 'Benches in the old square'], [3_000_000, 'Lights on School Street']] as const) {
    p.push(await seedProject(t.db, town, categories[0]!, authorId, { cost, title }));
  }
  if (ballots) {
    const [a, b, cc] = p.map((x) => x.number) as [number, number, number];
    await castForTest(t.db, town.id, cycle, [{ versions: [[a, b]] }, { versions: [[a, cc]], channel: 'paper' }, { versions: [[b, cc]] }, { versions: [[a]] }]);
  }
  return { cycle: (await findCycle(t.db, town.id, cycle.number))!, p };
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  other = await pbTown(t.db, 'sombor');
  authorId = (await resident(t.db, 'author@example.org', town)).id;
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'other-admin@example.org', other, { role: 'admin' });
  for (const who of ['neighbour', 'official', 'admin', 'other-admin']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('publishing results over HTTP', () => {
  test('only the municipality\'s administrators see the page and publish; nothing is written for the others', async () => {
    const { cycle } = await cycleWithBallots();
    const before = await Promise.all([rows('pb_results'), rows('audit_log'), rows('ledger_entries')]);
    const guest = await c.guest!.get(staff(cycle.number));
    assert.equal(guest.statusCode, 303);
    assert.match(String(guest.headers.location), /sign-in/);
    const guestPost = await c.guest!.post(staff(cycle.number));
    assert.ok([303, 403].includes(guestPost.statusCode));
    for (const who of ['neighbour', 'official', 'other-admin']) {
      assert.equal((await c[who]!.get(staff(cycle.number))).statusCode, 403, who);
      assert.equal((await c[who]!.post(staff(cycle.number))).statusCode, 403, who);
    }
    assert.deepEqual(await Promise.all([rows('pb_results'), rows('audit_log'), rows('ledger_entries')]), before);
    assert.equal((await findCycle(t.db, town.id, cycle.number))!.results_published_at, null);
    // Without the CSRF token even the administrator's post is refused.
    assert.equal((await c.admin!.post(staff(cycle.number), {}, { noCsrf: true })).statusCode, 403);
    assert.equal((await c.admin!.get(staff(999))).statusCode, 404);
  });

  test('the administrator sees the counted results, publishes once, and a second post changes nothing', async () => {
    const { cycle, p } = await cycleWithBallots();
    const view = await c.admin!.get(staff(cycle.number));
    assert.equal(view.statusCode, 200);
    assert.match(view.body, /Every ballot is sealed in the public ledger \(4 entries\)/);
    assert.match(view.body, /Counted results \(not published yet\)/);
    assert.match(view.body, /Skate park by the river/);

    const res = await c.admin!.post(staff(cycle.number));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, page(cycle.number));
    const shown = await c.admin!.follow(res);
    assert.match(shown.body, /The results are published\./);
    const entries = await rows('ledger_entries');
    const again = await c.admin!.post(staff(cycle.number));
    assert.equal(again.statusCode, 303);
    assert.match((await c.admin!.follow(again)).body, /The results were already published; nothing was changed\./);
    assert.equal(await rows('ledger_entries'), entries);
    const funded = await t.db.selectFrom('pb_projects').select(['number', 'funded']).where('cycle_id', '=', cycle.id).orderBy('number').execute();
    // a 3 votes (60 000) → 40 000 left; b and c 2 votes each: c (30 000) is the cheaper and fits, b does not.
    assert.deepEqual(funded.map((x) => [x.number, x.funded]), [[p[0]!.number, true], [p[1]!.number, false], [p[2]!.number, true]]);
    assert.match((await c.admin!.get(staff(cycle.number))).body, /The results were published on/);
  });

  test('refused before voting closes, with the date, and nothing written', async () => {
    const { cycle } = await cycleWithBallots({ phase: 'voting' });
    const view = await c.admin!.get(staff(cycle.number));
    assert.match(view.body, /Voting is open until .*The results can be counted and published only after it closes\./);
    assert.doesNotMatch(view.body, /Skate park/, 'no partial results while voting is open');
    const before = await Promise.all([rows('pb_results'), rows('audit_log'), rows('ledger_entries')]);
    const res = await c.admin!.post(staff(cycle.number));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, staff(cycle.number));
    assert.match((await c.admin!.follow(res)).body, /Voting is open until/);
    assert.deepEqual(await Promise.all([rows('pb_results'), rows('audit_log'), rows('ledger_entries')]), before);
  });

  test('refused while ballots are not all sealed into the ledger, saying how many are', async () => {
    const { cycle, p } = await cycleWithBallots();
    await castForTest(t.db, town.id, cycle, [{ versions: [[p[0]!.number]] }], { sealed: false });
    const view = await c.admin!.get(staff(cycle.number));
    assert.match(view.body, /The public ledger holds 4 of the 5 ballot entries/);
    assert.doesNotMatch(view.body, /<button[^>]*>Publish the results/);
    const res = await c.admin!.post(staff(cycle.number));
    assert.match((await c.admin!.follow(res)).body, /The public ledger holds 4 of the 5 ballot entries/);
    assert.equal((await findCycle(t.db, town.id, cycle.number))!.results_published_at, null);
  });
});

describe('the public results page', () => {
  test('before publication it says when; after, per category the table, chart, money, turnout, rule and how to re-count', async () => {
    const voting = await cycleWithBallots({ phase: 'voting' }, false);
    const open = await c.guest!.get(page(voting.cycle.number));
    assert.equal(open.statusCode, 200);
    assert.match(open.body, /The results are not published yet/);
    assert.match(open.body, /Voting is open until/);
    assert.match(open.body, /class="banner banner--info"/, 'the phase banner');

    const { cycle, p } = await cycleWithBallots();
    const waiting = await c.guest!.get(page(cycle.number));
    assert.match(waiting.body, /Voting closed on .*once the ballots are counted/);
    assert.doesNotMatch(waiting.body, /Skate park/);
    assert.doesNotMatch(waiting.body, /Count and publish the results/, 'the staff link is for administrators');
    assert.match((await c.admin!.get(page(cycle.number))).body, /Count and publish the results/);

    await c.admin!.post(staff(cycle.number));
    const res = await c.guest!.get(page(cycle.number));
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h2 id="pb-results-parks">Parks<\/h2>/);
    assert.match(html, /<caption[^>]*>Results in the category Parks<\/caption>/);
    assert.match(html, new RegExp(`href="${base}/projects/${p[0]!.number}">No\\. ${p[0]!.number} <span lang="uk">Skate park by the river</span></a>`));
    assert.match(html, /Not funded: did not fit the remaining amount/);
    assert.match(html, /<svg [^>]*role="img" aria-labelledby="pb-results-parks-chart-title"/);
    // The table above carries the figures: the chart draws none of its own, and a project not funded is paler.
    assert.equal(html.match(/<table/g)!.length, 1);
    assert.equal(html.match(/fill-opacity="0.55"/g)!.length, 1);
    assert.match(html, /<title id="pb-results-parks-chart-title">Votes per project in the category Parks<\/title>/);
    // 100 000.00: a (60 000) and c (30 000) funded, 10 000 left; turnout 4 voters, one on paper.
    assert.match(html, /Funded<\/dt><dd>UAH\s?90,000\.00<\/dd>/);
    assert.match(html, /Left over<\/dt><dd>UAH\s?10,000\.00<\/dd>/);
    assert.match(html, /Voters<\/dt><dd>4<\/dd>/);
    assert.match(html, /Voted on paper<\/dt><dd>1<\/dd>/);
    assert.match(html, /How the winners are chosen/);
    assert.match(html, /the cheaper first/);
    assert.match(html, new RegExp(`href="${base}/cycles/${cycle.number}/ledger"`));
    assert.match(html, new RegExp(`hromada verify-ledger http://localhost:3000/api/v1/zhovkva/ledger/pb:${cycle.number}/entries.json`));
  });

  test('another municipality, a draft, an unknown or hostile number: 404 or 400, never a 5xx', async () => {
    const { cycle } = await cycleWithBallots({}, false);
    assert.equal((await c.guest!.get(page(cycle.number, 'sombor'))).statusCode, 404);
    assert.equal((await c['other-admin']!.get(`/en/sombor/participatory-budget/staff/cycles/${cycle.number}/results`)).statusCode, 404);
    const draft = await cycleWithBallots({ status: 'draft' }, false);
    assert.equal((await c.guest!.get(page(draft.cycle.number))).statusCode, 404);
    assert.equal((await c.neighbour!.get(page(draft.cycle.number))).statusCode, 404);
    assert.equal((await c.admin!.get(page(draft.cycle.number))).statusCode, 200);
    assert.match((await c.admin!.get(staff(draft.cycle.number))).body, /This cycle is not published/);
    for (const bad of ['0', '-1', 'abc', '1.5', '99999999999', '1e309', '%00', '..%2f']) {
      const r = await c.guest!.get(`${base}/cycles/${bad}/results`);
      assert.ok([400, 404].includes(r.statusCode), `${bad}: ${r.statusCode}`);
      const s = await c.admin!.post(`${base}/staff/cycles/${bad}/results`);
      assert.ok([400, 403, 404].includes(s.statusCode), `post ${bad}: ${s.statusCode}`);
    }
    assert.equal((await c.guest!.get('/en/nowhere/participatory-budget/cycles/1/results')).statusCode, 404);
  });

  test('the project page and the cycle page get the result and the winners once published', async () => {
    const { cycle, p } = await cycleWithBallots();
    const categories = await t.db.selectFrom('pb_categories').selectAll().where('cycle_id', '=', cycle.id).execute();
    const req = { locale: 'en', t: translator('en'), fmt: formatters('en'), municipality: town, url: '/' } as unknown as FastifyRequest;
    const deps = t.built.deps;
    const view = (nodes: unknown) => renderToString(<ViewCtx.Provider value={{ locale: 'en', t: req.t, fmt: req.fmt, municipality: town } as unknown as ViewContext}>{nodes as never}</ViewCtx.Provider>);
    const sections = async (c: Cycle) => ({
      project: view(await renderSections('project', deps, req, { cycle: c, category: categories[0]!, project: p[1]!, now: new Date() })),
      cycle: view(await renderSections('cycle', deps, req, { cycle: c, categories, now: new Date() })),
    });
    const before = await sections(cycle);
    assert.doesNotMatch(before.project + before.cycle, /Result of the vote|Funded projects/);
    await c.admin!.post(staff(cycle.number));
    const after = await sections((await findCycle(t.db, town.id, cycle.number))!);
    assert.match(after.project, /Result of the vote/);
    assert.match(after.project, /2 votes, rank 3 in its category\./);
    assert.match(after.project, /Not funded: did not fit the remaining amount/);
    assert.match(after.cycle, /Funded projects/);
    assert.match(after.cycle, new RegExp(`No\\. ${p[0]!.number} <span lang="uk">Skate park by the river</span></a> \\(3 votes\\)`));
    assert.doesNotMatch(after.cycle, /Benches in the old square/);
  });
});
