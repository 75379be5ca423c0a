import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { TEST_IDENTIFIER_KEY, TEST_IDENTIFIERS } from '../../../../platform/testing/people.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, type SeedCycle } from '../../testing.ts';
import { clientFor, seedDistrict, seedProjects, seedVoter } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let author: number;
let cycle: Cycle;
let p: number[];
const c: Record<string, TestClient> = {};
const id: Record<string, number> = {};
const form = (n: number, slug = 'zhovkva') => `/en/${slug}/participatory-budget/staff/cycles/${n}/paper`;
const ballot = (n: number) => `/en/zhovkva/participatory-budget/cycles/${n}/ballot`;
const count = async (table: 'pb_ballots' | 'audit_log' | 'ledger_queue') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const counts = () => Promise.all([count('pb_ballots'), count('audit_log'), count('ledger_queue')]);
const paperOf = (number: string) => ({ documentType: 'passport', documentNumber: number, ageBand: '30-44', choices: [p[0]!] });

/** Opens the form (for its CSRF token and once key) and posts it with `fields`. */
async function record(who: TestClient, n: number, fields: FormFields) {
  const page = await who.get(form(n));
  assert.equal(page.statusCode, 200);
  const once = /name="_once" value="([^"]+)"/.exec(page.body)![1]!;
  return who.post(form(n), { _once: once, ...fields });
}

async function cycleOf(o: SeedCycle = {}): Promise<{ cycle: Cycle; p: number[] }> {
  const s = await seedCycle(t.db, town, { maxChoices: 2, categories: [{ slug: 'parks', amount: 10_000_000 }], ...o });
  return { cycle: s.cycle, p: await seedProjects(t.db, town, s.categories[0]!, author, 3) };
}

before(async () => {
  t = await startTestApp({ IDENTIFIER_KEY: TEST_IDENTIFIER_KEY });
  assert.equal(t.built.deps.identifiers.hash('document', 'AB 1'), TEST_IDENTIFIERS.hash('document', 'AB 1'));
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  author = (await seedVoter(t.db, town)).id;
  for (const role of ['official', 'registrar', 'moderator', 'admin'] as const) id[role] = (await resident(t.db, `${role}@example.org`, town, { role })).id;
  id.resident = (await resident(t.db, 'resident@example.org', town)).id;
  id.foreign = (await resident(t.db, 'foreign@example.org', other, { role: 'official' })).id;
  for (const who of Object.keys(id)) c[who] = await clientFor(t, id[who]!);
  c.guest = t.client('en');
  ({ cycle, p } = await cycleOf());
});
after(() => t.close());

describe('who records paper ballots', () => {
  test('officials and registrars of the municipality; residents, moderators and other municipalities’ officials get a 403, nothing written', async () => {
    const before = await counts();
    for (const who of ['resident', 'moderator', 'foreign']) {
      assert.equal((await c[who]!.get('/en/zhovkva/participatory-budget/staff/paper')).statusCode, 403, who);
      assert.equal((await c[who]!.get(form(cycle.number))).statusCode, 403, who);
      await c[who]!.get(ballot(cycle.number));
      assert.equal((await c[who]!.post(form(cycle.number), { ...paperOf('XX 1'), _once: 'k1' })).statusCode, 403, who);
    }
    const guest = await c.guest!.get(form(cycle.number));
    assert.match(String(guest.headers.location), /^\/en\/account\/sign-in/);
    await c.guest!.get(ballot(cycle.number));
    assert.match(String((await c.guest!.post(form(cycle.number), paperOf('XX 1'))).headers.location), /^\/en\/account\/sign-in/);
    assert.deepEqual(await counts(), before);
    // The other municipality's official on their own municipality's pages: this cycle is not theirs.
    assert.equal((await c.foreign!.get(form(cycle.number + 50, 'sombor'))).statusCode, 404);
    for (const who of ['official', 'registrar', 'admin']) {
      const index = await c[who]!.get('/en/zhovkva/participatory-budget/staff/paper');
      assert.equal(index.statusCode, 200, who);
      assert.match(index.body, new RegExp(`href="${form(cycle.number)}"`));
      assert.match((await c[who]!.get(form(cycle.number))).body, /Record a paper ballot: cycle \d+/, who);
    }
    assert.equal((await c.official!.post(form(cycle.number), paperOf('XX 1'), { noCsrf: true })).statusCode, 403);
    assert.deepEqual(await counts(), before);
  });

  test('unknown, draft and tampered cycles are 404s', async () => {
    const draft = await seedCycle(t.db, town, { status: 'draft' });
    for (const n of [String(draft.cycle.number), '999', 'abc', '-1']) {
      assert.equal((await c.official!.get(`/en/zhovkva/participatory-budget/staff/cycles/${n}/paper`)).statusCode, 404, n);
    }
    assert.equal((await c.official!.post(form(draft.cycle.number), paperOf('XX 2'))).statusCode, 404);
    assert.equal(await count('pb_ballots'), 0);
  });
});

describe('recording', () => {
  test('a resident identified by document: recorded once, audited without the number; their account cannot vote online after', async () => {
    const v = await seedVoter(t.db, town, { document: 'ЕК 123456' });
    const res = await record(c.registrar!, cycle.number, { ...paperOf('ек-123456'), choices: [p[0]!, p[1]!] });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, form(cycle.number));
    assert.match((await c.registrar!.follow(res)).body, /The paper ballot is recorded \(voter id [0-9a-f]{12}…\)\./);
    const row = await t.db.selectFrom('pb_ballots').select(['channel', 'user_id', 'recorded_by', 'choices', 'age_band']).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { channel: 'paper', user_id: null, recorded_by: id.registrar!, choices: [p[0]!, p[1]!], age_band: '30-44' });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'pb.paper.record').executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(audit.after), /123456/);
    const online = await clientFor(t, v.id);
    assert.match((await online.get(ballot(cycle.number))).body, /Your paper ballot is recorded/);
    const add = await online.post(`${ballot(cycle.number)}/add`, { project: p[2]! });
    assert.match((await online.follow(add)).body, /A paper ballot has already been recorded for you in this cycle, so you cannot vote online too\./);
    const cast = await online.post(`${ballot(cycle.number)}/cast`, { choices: [p[2]!], version: 0 });
    assert.equal(cast.headers.location, `${ballot(cycle.number)}/receipt?cast=paper`);
    assert.match((await online.follow(cast)).body, /A paper ballot was recorded for you, so you cannot vote online too\./);
    assert.equal(await count('pb_ballots'), 1);
    // The same document again, written otherwise: refused on the field.
    const again = await record(c.official!, cycle.number, paperOf('ЕК123456'));
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /A paper ballot has already been recorded for this person \(on /);
    assert.equal(await count('pb_ballots'), 1);
  });

  test('whoever voted online cannot get a paper ballot, with a message on the document number', async () => {
    const v = await seedVoter(t.db, town, { document: 'AA 111111' });
    const online = await clientFor(t, v.id);
    await online.post(`${ballot(cycle.number)}/add`, { project: p[2]! });
    assert.equal((await online.post(`${ballot(cycle.number)}/cast`, { choices: [p[2]!], version: 0 })).headers.location, `${ballot(cycle.number)}/receipt?cast=new`);
    const before = await count('pb_ballots');
    const res = await record(c.official!, cycle.number, paperOf('aa 111111'));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /This person has already voted online \(on [^)]+\): they cannot vote on paper too\./);
    assert.match(res.body, /href="#f-documentNumber"/);
    assert.equal(await count('pb_ballots'), before);
    assert.ok(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'pb.paper.refused').executeTakeFirst());
  });

  test('the same form sent twice (a double click) is one ballot', async () => {
    const page = await c.official!.get(form(cycle.number));
    const once = /name="_once" value="([^"]+)"/.exec(page.body)![1]!;
    const before = await count('pb_ballots');
    const answers = await Promise.all([1, 2, 3].map(() => c.official!.post(form(cycle.number), { _once: once, ...paperOf('DD 333333') })));
    assert.deepEqual(answers.map((r) => r.statusCode), [303, 303, 303]);
    assert.equal(await count('pb_ballots'), before + 1);
  });
});

describe('bad input names the field, and nothing is written', () => {
  test('document, choices and the rules', async () => {
    const before = await counts();
    for (const [fields, field, message] of [
      [{ documentNumber: '' }, 'documentNumber', /Enter document number/],
      [{ documentNumber: ' -- ' }, 'documentNumber', /Enter the document(’|'|&#39;)s number\./],
      [{ documentNumber: 'Я'.repeat(65) }, 'documentNumber', /Document number must be 64 characters or fewer/],
      [{ documentType: 'library-card' }, 'documentType', /Choose one of the options for document/],
      [{ choices: undefined }, 'choices', /Enter projects ticked on the paper ballot/],
      [{ choices: ['abc'] }, 'choices', /Projects ticked on the paper ballot must be a number/],
      [{ choices: [p[0]!, p[1]!, p[2]!] }, 'choices', /You can choose at most 2 projects\./],
      [{ choices: [9999] }, 'choices', /Project #9999 is not on this ballot\./],
      [{ ageBand: '200-300' }, 'ageBand', /Choose one of the options for age band/],
    ] as const) {
      const res = await record(c.official!, cycle.number, { ...paperOf('ZZ 1'), ...fields } as FormFields);
      assert.equal(res.statusCode, 400, JSON.stringify(fields));
      // The error summary links the field with its message.
      const link = new RegExp(`<a href="#f-${field}">([^<]*)</a>`).exec(res.body);
      assert.ok(link, `${JSON.stringify(fields)}: no error on ${field}`);
      assert.match(link[1]!, message, JSON.stringify(fields));
    }
    assert.deepEqual(await counts(), before);
  });

  test('the age the cycle asks for, the district of a district category, and the voting period', async () => {
    const before = await counts();
    const adults = await cycleOf({ minAge: 18 });
    const young = await record(c.official!, adults.cycle.number, { ...paperOf('YY 1'), choices: [adults.p[0]!] });
    assert.equal(young.statusCode, 400);
    assert.match(young.body, /Confirm that the document shows the person is at least 18 years old\./);
    const east = await seedDistrict(t.db, town, 'east');
    const d = await cycleOf({ categories: [{ slug: 'east', amount: 10_000_000, districtId: east }] });
    const nowhere = await record(c.official!, d.cycle.number, { ...paperOf('YY 2'), choices: [d.p[0]!] });
    assert.equal(nowhere.statusCode, 400);
    assert.match(nowhere.body, new RegExp(`Choose your district first: project #${d.p[0]!} is in a district`));
    const closed = await cycleOf({ phase: 'results' });
    assert.match((await c.official!.get(form(closed.cycle.number))).body, /Voting in this cycle is not open: paper ballots can be recorded only while it is\./);
    const late = await record(c.official!, closed.cycle.number, { ...paperOf('YY 3'), choices: [closed.p[0]!] });
    assert.equal(late.statusCode, 303);
    assert.match((await c.official!.follow(late)).body, /Voting in this cycle is not open: paper ballots can be recorded only while it is\./);
    assert.deepEqual(await counts(), before);
    assert.equal((await record(c.official!, d.cycle.number, { ...paperOf('YY 2'), choices: [d.p[0]!], district: east })).statusCode, 303);
  });
});
