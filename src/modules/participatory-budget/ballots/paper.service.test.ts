import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { ledgerEntries, pseudonymSecret } from '../../../platform/ledger/ledger.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { TEST_IDENTIFIERS } from '../../../platform/testing/people.ts';
import type { Cycle } from '../pb.tables.ts';
import { pbTown, seedCycle, serviceDeps } from '../testing.ts';
import { castOnline } from './cast.service.ts';
import { paperVoter } from './chain.ts';
import { sealBallots } from './index.ts';
import { recordPaper, type PaperBallot } from './paper.service.ts';
import { seedDistrict, seedProjects, seedVoter } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let cycle: Cycle;
let projects: number[];
let official: { id: number; ip: string };
const deps = () => serviceDeps(db);
const paper = (documentNumber: string, over: Partial<PaperBallot> = {}): PaperBallot => ({
  documentType: 'passport', documentNumber, districtId: null, ageBand: '30-44', ageChecked: false, choices: [projects[0]!], ...over,
});

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  official = { id: (await seedVoter(db, town)).id, ip: '127.0.0.1' };
  let categories;
  ({ cycle, categories } = await seedCycle(db, town, { maxChoices: 2 }));
  projects = await seedProjects(db, town, categories[0]!, official.id, 3);
});
after(() => database.cleanup());

describe('paper ballots', () => {
  test('recorded under the document, sealed as paper, audited without the number', async () => {
    const r = await recordPaper(deps(), official, town, cycle, paper('ЕК 123456', { choices: [projects[1]!, projects[0]!] }), null);
    assert.equal(r.kind, 'recorded');
    const hash = TEST_IDENTIFIERS.hash('document', 'ек123456')!;
    assert.equal(r.kind === 'recorded' && r.voter, paperVoter(await pseudonymSecret(db), cycle.number, hash));
    const ballot = await db.selectFrom('pb_ballots').selectAll().where('channel', '=', 'paper').executeTakeFirstOrThrow();
    assert.deepEqual([ballot.user_id, ballot.recorded_by, ballot.age_band, ballot.choices], [null, official.id, '30-44', [projects[0]!, projects[1]!].sort((a, b) => a - b)]);
    const row = await db.selectFrom('audit_log').select(['action', 'subject_type', 'after']).where('action', '=', 'pb.paper.record').executeTakeFirstOrThrow();
    assert.equal(row.subject_type, 'pb_ballot');
    assert.doesNotMatch(JSON.stringify(row.after), /123456/);
    assert.equal((row.after as { documentType: string }).documentType, 'passport');
    await sealBallots.run(deps());
    const entries = await ledgerEntries(db, town.id, `pb:${cycle.number}`, { limit: 10 });
    assert.deepEqual(entries.map((e) => [e.kind, e.payload.channel]), [['cycle', undefined], ['ballot', 'paper']]);
    assert.equal((await recordPaper(deps(), official, town, cycle, paper('ек-123456'), null)).kind, 'already', 'the same document, written otherwise');
  });

  test('whoever voted online cannot vote on paper, and the other way round, with a clear answer', async () => {
    const online = await seedVoter(db, town, { document: 'AA 111111' });
    assert.equal((await castOnline(deps(), online, town, cycle, { choices: [projects[2]!], version: 0 })).kind, 'cast');
    const refused = await recordPaper(deps(), official, town, cycle, paper('aa111111'), null);
    assert.equal(refused.kind === 'already' && refused.channel, 'online');
    assert.equal(await db.selectFrom('audit_log').select('action').where('action', '=', 'pb.paper.refused').executeTakeFirst().then((r) => r?.action), 'pb.paper.refused');
    const later = await seedVoter(db, town, { document: 'BB 222222' });
    assert.equal((await recordPaper(deps(), official, town, cycle, paper('BB 222222'), null)).kind, 'recorded');
    const r = await castOnline(deps(), later, town, cycle, { choices: [projects[2]!], version: 0 });
    assert.equal(r.kind === 'already' && r.channel, 'paper');
    const keys = await db.selectFrom('pb_voters').select('person_key').where('person_key', '=', `user:${later.id}`).execute();
    assert.equal(keys.length, 1, 'the paper ballot holds the account of the same document');
  });

  test('the form once, the age and district it records, the choices and the period are checked', async () => {
    const once = { municipalityId: town.id, actor: `u${official.id}`, key: 'paper-form-1' };
    const twice = await Promise.all([recordPaper(deps(), official, town, cycle, paper('CC 1', { choices: [projects[1]!] }), once), recordPaper(deps(), official, town, cycle, paper('CC 1', { choices: [projects[1]!] }), once)]);
    assert.deepEqual(twice.map((r) => r.kind), ['recorded', 'recorded']);
    assert.equal((await db.selectFrom('pb_ballots').select('id').where('channel', '=', 'paper').execute()).length, 3);
    assert.equal((await recordPaper(deps(), official, town, cycle, paper(' -- '), null)).kind, 'no_number');
    const over = await recordPaper(deps(), official, town, cycle, paper('CC 2', { choices: projects }), null);
    assert.equal(over.kind === 'refused' && over.problem.code === 'rules' && over.problem.problem.code, 'too_many');
    const { cycle: adults, categories } = await seedCycle(db, town, { minAge: 18 });
    const [p] = await seedProjects(db, town, categories[0]!, official.id, 1);
    assert.equal((await recordPaper(deps(), official, town, adults, paper('CC 3', { choices: [p!] }), null)).kind, 'age');
    assert.equal((await recordPaper(deps(), official, town, adults, paper('CC 3', { choices: [p!], ageChecked: true, ageBand: '16-17' }), null)).kind, 'age');
    assert.equal((await recordPaper(deps(), official, town, adults, paper('CC 3', { choices: [p!], ageChecked: true }), null)).kind, 'recorded');
    const east = await seedDistrict(db, town, 'east');
    const { cycle: districts, categories: dc } = await seedCycle(db, town, { categories: [{ slug: 'east', amount: 10_000_000, districtId: east }] });
    const [e] = await seedProjects(db, town, dc[0]!, official.id, 1);
    const noDistrict = await recordPaper(deps(), official, town, districts, paper('CC 4', { choices: [e!] }), null);
    assert.equal(noDistrict.kind === 'refused' && noDistrict.problem.code, 'district');
    assert.equal((await recordPaper(deps(), official, town, districts, paper('CC 4', { choices: [e!], districtId: east }), null)).kind, 'recorded');
    const { cycle: closed } = await seedCycle(db, town, { phase: 'results' });
    assert.equal((await recordPaper(deps(), official, town, closed, paper('CC 5'), null)).kind, 'not_open');
  });
});
