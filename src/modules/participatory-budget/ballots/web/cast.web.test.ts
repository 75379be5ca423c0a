import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Cycle } from '../../pb.tables.ts';
import { cycleChain } from '../../paths.ts';
import { pbTown, seedCycle, type SeedCycle } from '../../testing.ts';
import { sealBallots } from '../index.ts';
import { clientFor, seedProjects, seedVoter, type SeedVoter } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let author: number;
const ballot = (c: Pick<Cycle, 'number'>, slug = 'zhovkva') => `/en/${slug}/participatory-budget/cycles/${c.number}/ballot`;
const seal = () => sealBallots.run(t.built.deps);
const ballots = async (cycle: Cycle) => t.db.selectFrom('pb_ballots').select(['voter', 'version', 'choices', 'user_id']).where('cycle_id', '=', cycle.id).execute();
/** The cycle's ballot entries, sealed or still queued. */
async function entries(cycle: Cycle): Promise<number> {
  const chain = cycleChain(cycle.number);
  const n = async (table: 'ledger_entries' | 'ledger_queue') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_id', '=', town.id).where('chain', '=', chain).where('kind', '=', 'ballot').executeTakeFirstOrThrow()).n);
  return (await n('ledger_entries')) + (await n('ledger_queue'));
}

/** A voting cycle with one category of 100 000.00 and four projects of 10 000.00. */
async function cycleOf(o: SeedCycle = {}): Promise<{ cycle: Cycle; p: number[] }> {
  const { cycle, categories } = await seedCycle(t.db, town, { categories: [{ slug: 'parks', amount: 10_000_000 }], ...o });
  return { cycle, p: await seedProjects(t.db, town, categories[0]!, author, 4) };
}

/** A new voter who has chosen `choices` on the ballot page. */
async function chooser(cycle: Cycle, choices: number[], o: SeedVoter = {}): Promise<{ id: number; c: TestClient }> {
  const v = await seedVoter(t.db, town, o);
  const c = await clientFor(t, v.id);
  for (const project of choices) assert.equal((await c.post(`${ballot(cycle)}/add`, { project })).statusCode, 303);
  return { id: v.id, c };
}

/** Opens the confirmation and posts its form as it stands. */
async function confirm(c: TestClient, cycle: Cycle) {
  const page = await c.get(`${ballot(cycle)}/confirm`);
  assert.equal(page.statusCode, 200);
  const choices = [...page.body.matchAll(/name="choices" value="(\d+)"/g)].map((m) => m[1]!);
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  return { page, form: { choices, version } };
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  author = (await seedVoter(t.db, town)).id;
});
after(() => t.close());

describe('the confirmation', () => {
  test('choosing is not casting: the confirmation lists the choices and casts only when its button is pressed', async () => {
    const { cycle, p } = await cycleOf();
    const v = await chooser(cycle, [p[0]!, p[2]!]);
    assert.deepEqual(await ballots(cycle), []);
    const { page, form } = await confirm(v.c, cycle);
    for (const text of [/<h1>Check and cast your ballot<\/h1>/, /Your ballot: 2 projects, UAH\s20,000\.00 in all\./, /Once cast, your ballot is final and cannot be changed\./, />Cast my ballot</]) {
      assert.match(page.body, text);
    }
    assert.deepEqual(form, { choices: [String(p[0]!), String(p[2]!)], version: '0' });
    assert.deepEqual(await ballots(cycle), [], 'opening the confirmation casts nothing');
    const res = await v.c.post(`${ballot(cycle)}/cast`, form);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${ballot(cycle)}/receipt?cast=new`);
    const [row] = await ballots(cycle);
    assert.deepEqual([row!.user_id, row!.version, row!.choices], [v.id, 1, [p[0]!, p[2]!]]);
    assert.equal(await entries(cycle), 1);
  });

  test('an empty selection has nothing to confirm; a ballot the rules refuse cannot be cast from the page or by a post', async () => {
    const { cycle, p } = await cycleOf({ minChoices: 2 });
    const empty = await chooser(cycle, []);
    assert.equal((await empty.c.get(`${ballot(cycle)}/confirm`)).headers.location, ballot(cycle));
    const few = await chooser(cycle, [p[1]!]);
    const page = (await few.c.get(`${ballot(cycle)}/confirm`)).body;
    assert.match(page, /This ballot cannot be cast yet/);
    assert.match(page, /Choose at least 2 projects\./);
    assert.doesNotMatch(page, /Cast my ballot/);
    const forced = await few.c.post(`${ballot(cycle)}/cast`, { choices: [p[1]!], version: 0 });
    assert.match((await few.c.follow(forced)).body, /Choose at least 2 projects\./);
    for (const [fields, message] of [
      [{ choices: [p[1]!, 9999], version: 0 }, /Project #9999 is not on this ballot\./],
      [{ choices: [p[1]!, p[1]!], version: 0 }, new RegExp(`Project #${p[1]!} is chosen twice\\.`)],
      [{ choices: 'abc', version: 0 }, /Choose at least one project\./],
      [{ version: 0 }, /Choose at least one project\./],
      [{ choices: [p[1]!, p[2]!], version: -1 }, /This confirmation form is out of date or incomplete/],
      [{ choices: [p[1]!, p[2]!], version: 'x' }, /This confirmation form is out of date or incomplete/],
      [{ choices: [p[1]!, p[2]!] }, /This confirmation form is out of date or incomplete/],
    ] as const) {
      const res = await few.c.post(`${ballot(cycle)}/cast`, fields as Record<string, string | number | number[]>);
      assert.equal(res.statusCode, 303, JSON.stringify(fields));
      assert.match((await few.c.follow(res)).body, message, JSON.stringify(fields));
    }
    assert.deepEqual(await ballots(cycle), []);
    assert.equal(await entries(cycle), 0);
  });

  test('refused to the signed out, without CSRF, to the ineligible, outside voting and in another municipality', async () => {
    const { cycle, p } = await cycleOf({ voteLevel: 'resident' });
    const cast = { choices: [p[0]!], version: 0 };
    const guest = t.client('en');
    await guest.get(ballot(cycle));
    assert.match(String((await guest.post(`${ballot(cycle)}/cast`, cast)).headers.location), /^\/en\/account\/sign-in\?next=/);
    const v = await chooser(cycle, [p[0]!]);
    assert.equal((await v.c.post(`${ballot(cycle)}/cast`, cast, { noCsrf: true })).statusCode, 403);
    const outsider = await chooser(cycle, [], { resident: false });
    const refused = await outsider.c.post(`${ballot(cycle)}/cast`, cast);
    assert.equal(refused.headers.location, ballot(cycle));
    assert.match((await outsider.c.follow(refused)).body, /To vote in this cycle you need: Verified resident of the municipality\./);
    const closed = await cycleOf({ phase: 'results' });
    const late = await v.c.post(`${ballot(closed.cycle)}/cast`, { choices: [closed.p[0]!], version: 0 });
    assert.match((await v.c.follow(late)).body, /Voting in this cycle is not open\./);
    const sombor = await pbTown(t.db, 'sombor');
    const theirs = await seedCycle(t.db, sombor);
    await t.db.updateTable('pb_cycles').set({ number: 900 }).where('id', '=', theirs.cycle.id).execute();
    assert.equal((await v.c.post(`${ballot({ number: 900 })}/cast`, cast)).statusCode, 404);
    assert.equal((await v.c.get(`${ballot({ number: 900 })}/confirm`)).statusCode, 404);
    assert.equal((await v.c.post(`/en/zhovkva/participatory-budget/cycles/abc/ballot/cast`, cast)).statusCode, 404);
    assert.deepEqual(await ballots(cycle), []);
    assert.deepEqual(await ballots(closed.cycle), []);
    assert.equal(await entries(cycle), 0);
  });
});

describe('a cast ballot', () => {
  test('is final: a second cast, a change and a new choice are refused with a clear message', async () => {
    const { cycle, p } = await cycleOf();
    const v = await chooser(cycle, [p[0]!]);
    const { form } = await confirm(v.c, cycle);
    await v.c.post(`${ballot(cycle)}/cast`, form);
    const again = await v.c.post(`${ballot(cycle)}/cast`, { choices: [p[1]!], version: 0 });
    assert.equal(again.headers.location, `${ballot(cycle)}/receipt?cast=again`);
    assert.match((await v.c.follow(again)).body, /You had already voted: this is your ballot\./);
    const change = await v.c.post(`${ballot(cycle)}/cast`, { choices: [p[1]!], version: 1 });
    assert.match((await v.c.follow(change)).body, /Your ballot is final: it can no longer be changed\./);
    const add = await v.c.post(`${ballot(cycle)}/add`, { project: p[1]! });
    assert.match((await v.c.follow(add)).body, /You have already voted online in this cycle\./);
    assert.equal((await v.c.get(`${ballot(cycle)}/confirm`)).headers.location, ballot(cycle));
    const page = (await v.c.get(ballot(cycle))).body;
    assert.doesNotMatch(page, /Add to my ballot|Review and cast/);
    const [row] = await ballots(cycle);
    assert.deepEqual([row!.version, row!.choices], [1, [p[0]!]]);
    assert.equal(await entries(cycle), 1);
  });

  test('may be changed until voting closes where the cycle allows it: each change a new ledger entry', async () => {
    const { cycle, p } = await cycleOf({ ballotChanges: true });
    const v = await chooser(cycle, [p[0]!, p[1]!]);
    const first = await confirm(v.c, cycle);
    assert.match(first.page.body, /You can change your ballot until/);
    await v.c.post(`${ballot(cycle)}/cast`, first.form);
    await v.c.post(`${ballot(cycle)}/remove`, { project: p[0]! });
    await v.c.post(`${ballot(cycle)}/add`, { project: p[3]! });
    const second = await confirm(v.c, cycle);
    assert.match(second.page.body, />Confirm the change</);
    assert.deepEqual(second.form, { choices: [String(p[1]!), String(p[3]!)], version: '1' });
    const changed = await v.c.post(`${ballot(cycle)}/cast`, second.form);
    assert.equal(changed.headers.location, `${ballot(cycle)}/receipt?cast=changed`);
    assert.match((await v.c.follow(changed)).body, /Your ballot is changed \(version 2\)\./);
    // The first confirmation sent again, a change of version 1 from another tab, the same choices: nothing is written.
    assert.match((await v.c.follow(await v.c.post(`${ballot(cycle)}/cast`, first.form))).body, /You had already voted: this is your ballot\./);
    assert.match((await v.c.follow(await v.c.post(`${ballot(cycle)}/cast`, { choices: [p[0]!], version: 1 }))).body, /Your ballot had changed meanwhile/);
    assert.match((await v.c.follow(await v.c.post(`${ballot(cycle)}/cast`, { ...second.form, version: 2 }))).body, /Nothing changed: your ballot already had these choices\./);
    const rows = await ballots(cycle);
    assert.deepEqual(rows.map((r) => [r.version, r.choices]), [[2, [p[1]!, p[3]!]]]);
    assert.equal(await entries(cycle), 2);
    await seal();
    const voter = rows[0]!.voter;
    const ledger = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/ledger?voter=${voter}`);
    assert.match(ledger.body, /Entry 2, version 1:[\s\S]*Entry 3, version 2:/);
  });
});

describe('the receipt and the public ledger', () => {
  test('the receipt shows the ballot and, once sealed, its ledger entry; the cycle’s ledger lists it', async () => {
    const { cycle, p } = await cycleOf();
    const ledgerPage = `/en/zhovkva/participatory-budget/cycles/${cycle.number}/ledger`;
    assert.equal((await t.client('en').get(ledgerPage)).statusCode, 404, 'no ballot yet, no chain to show');
    const v = await chooser(cycle, [p[2]!]);
    await v.c.post(`${ballot(cycle)}/cast`, (await confirm(v.c, cycle)).form);
    const { voter } = (await ballots(cycle))[0]!;
    const waiting = await t.client('en').get(ledgerPage);
    assert.equal(waiting.statusCode, 200);
    assert.match(waiting.body, /Ballots waiting to be sealed<\/dt><dd>1<\/dd>/);
    const pending = await v.c.get(`${ballot(cycle)}/receipt?cast=new`);
    assert.equal(pending.statusCode, 200);
    for (const text of [/Your ballot is cast\./, new RegExp(`projects/${p[2]!}"`), new RegExp(voter), /will be sealed into the ledger within a few seconds/]) assert.match(pending.body, text);
    await seal();
    const entry = await t.db.selectFrom('ledger_entries').select(['seq', 'hash']).where('chain', '=', cycleChain(cycle.number)).where('kind', '=', 'ballot')
      .where('municipality_id', '=', town.id).executeTakeFirstOrThrow();
    const sealed = (await v.c.get(`${ballot(cycle)}/receipt`)).body;
    assert.match(sealed, /Your ballot is sealed into the ledger\./);
    assert.match(sealed, new RegExp(`Entry number</dt><dd>${entry.seq}</dd>`));
    assert.match(sealed, new RegExp(entry.hash));
    const file = await v.c.get(`${ballot(cycle)}/receipt.json`);
    assert.equal(file.statusCode, 200);
    assert.equal((JSON.parse(file.body) as { entry: { hash: string } }).entry.hash, entry.hash);
    const ledger = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/ledger`);
    assert.equal(ledger.statusCode, 200);
    for (const text of [/The chain checks out/, /2 entries, 1 of them a ballot/, new RegExp(`<code class="hash">${voter}</code>`), new RegExp(entry.hash)]) assert.match(ledger.body, text);
    const mine = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/ledger?voter=${voter}`);
    assert.match(mine.body, new RegExp(`Entry ${entry.seq}, version 1:`));
    assert.match((await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/ledger?voter=nonsense`)).body, /A voter id is 64 characters/);
    // No ballot, no receipt; signed out, sign in first.
    const none = await chooser(cycle, []);
    assert.equal((await none.c.get(`${ballot(cycle)}/receipt`)).statusCode, 404);
    assert.equal((await none.c.get(`${ballot(cycle)}/receipt.json`)).statusCode, 404);
    assert.match(String((await t.client('en').get(`${ballot(cycle)}/receipt`)).headers.location), /sign-in/);
    assert.equal((await v.c.get(`${ballot(cycle)}/receipt?cast=bogus`)).statusCode, 400);
  });
});

describe('one ballot per voter', () => {
  test('a double submit of the confirmation and twenty requests at once make one ballot and one ledger entry', async () => {
    const { cycle, p } = await cycleOf();
    const v = await chooser(cycle, [p[0]!, p[1]!]);
    const { form } = await confirm(v.c, cycle);
    const [a, b] = [await v.c.post(`${ballot(cycle)}/cast`, form), await v.c.post(`${ballot(cycle)}/cast`, form)];
    assert.deepEqual([a.headers.location, b.headers.location], [`${ballot(cycle)}/receipt?cast=new`, `${ballot(cycle)}/receipt?cast=again`]);
    const w = await chooser(cycle, [p[2]!]);
    const rush = await confirm(w.c, cycle);
    const answers = await Promise.all(Array.from({ length: 20 }, () => w.c.post(`${ballot(cycle)}/cast`, rush.form)));
    assert.ok(answers.every((r) => r.statusCode === 303), answers.map((r) => r.statusCode).join());
    const where = answers.map((r) => String(r.headers.location).split('?')[1]);
    assert.equal(where.filter((x) => x === 'cast=new').length, 1, where.join());
    assert.ok(where.every((x) => ['cast=new', 'cast=again', 'cast=stale'].includes(x!)), where.join());
    const rows = await ballots(cycle);
    assert.deepEqual(rows.map((r) => r.user_id).sort(), [v.id, w.id].sort());
    assert.equal(await entries(cycle), 2);
    await seal();
    assert.equal(await entries(cycle), 2);
  });

  test('voters casting together over real HTTP: each gets their one ballot', async () => {
    const { cycle, p } = await cycleOf();
    const voters = await Promise.all(Array.from({ length: 6 }, (_, i) => chooser(cycle, [p[i % 4]!])));
    // The app listens until the test app closes.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    {
      const forms = await Promise.all(voters.map((v) => confirm(v.c, cycle)));
      const cookie = (c: TestClient) => [...c.cookies].map(([k, val]) => `${k}=${encodeURIComponent(val)}`).join('; ');
      const send = (i: number) => fetch(`${address}${ballot(cycle)}/cast`, {
        method: 'POST', redirect: 'manual',
        headers: { cookie: cookie(voters[i]!.c), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([['_csrf', voters[i]!.c.csrfToken!], ...forms[i]!.form.choices.map((n) => ['choices', n]), ['version', '0']]),
      });
      const answers = await Promise.all([...voters.keys(), ...voters.keys()].map(send));
      assert.ok(answers.every((r) => r.status === 303), answers.map((r) => r.status).join());
      assert.equal(answers.filter((r) => r.headers.get('location')!.endsWith('cast=new')).length, voters.length);
    }
    assert.equal((await ballots(cycle)).length, voters.length);
    assert.equal(await entries(cycle), voters.length);
  });
});
