import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import type { Deps } from '../http/deps.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { resident, serviceDeps } from '../testing/people.ts';
import { claimByCensus, headerDelimiter, importCensusCsv, importCensusList, normaliseAddress } from './census.service.ts';
import { municipalityWith, rowCount } from './letters.testing.ts';

let database: TestDatabase;
let m: Municipality;
let off: Municipality;
let admin: CurrentUser;
const deps = () => serviceDeps(database.db);
let n = 0;
const person = async (email = `p${++n}@example.org`) => (await resident(database.db, email, null)).current;
const csv = (s: string) => Buffer.from(s, 'utf8');

before(async () => {
  database = await createTestDatabase();
  m = await municipalityWith(database.db, 'zhovkva');
  off = await municipalityWith(database.db, 'bez-spysku', ['identity']);
  admin = (await resident(database.db, 'admin@example.org', m, { role: 'admin' })).current;
});
after(() => database.cleanup());

describe('census import', () => {
  test('a CSV file of e-mail addresses and document numbers: hashes only, bad rows reported by row and reason', async () => {
    const known = await resident(database.db, 'known@example.org', null);
    const file = [
      '\uFEFFE-mail;Document;Address',
      'KNOWN@example.org;;',
      ';AB 123-456;"вул. Шевченка, 5\nкв. 12"',
      ';;вул. Франка, 1',
      'not-an-address;;',
      `;${'9'.repeat(65)};вул. Франка, 2`,
      ';CD 777;',
      ';EF\u0000888;вул. Франка, 3',
      ';=HYPERLINK("x");вул. Франка, 4',
      ';---;вул. Франка, 5',
    ].join('\r\n');
    const r = await importCensusCsv(deps(), admin, m, csv(file));
    assert.equal(r.kind, 'imported');
    if (r.kind !== 'imported') return;
    assert.deepEqual(r.report.bad, [
      { row: 4, problem: 'no_identifier' }, { row: 5, problem: 'bad_email' }, { row: 6, problem: 'too_long' },
      { row: 7, problem: 'no_address' }, { row: 8, problem: 'control' }, { row: 10, problem: 'bad_document' },
    ]);
    assert.equal(r.report.rows, 9);
    assert.equal(r.report.entries, 3);
    assert.equal(r.report.verified, 1, 'the account with that verified address is confirmed');
    const entries = await database.db.selectFrom('census_entries').select(['identifier', 'kind', 'address']).where('municipality_id', '=', m.id).orderBy('kind').orderBy('identifier').execute();
    assert.equal(entries.find((e) => e.kind === 'document' && e.identifier === deps().identifiers.hash('document', 'ab123456'))?.address, 'вул. Шевченка, 5 кв. 12');
    assert.ok(!JSON.stringify(entries).includes('123-456') && !JSON.stringify(entries).includes('AB123456'), 'never the number itself');
    assert.equal((await database.db.selectFrom('resident_verifications').select('method').where('user_id', '=', known.id).executeTakeFirstOrThrow()).method, 'census');
  });

  test('many rows go in batches; a file that stops being CSV halfway imports nothing', async () => {
    const before = await rowCount(database.db, 'census_entries');
    const audits = await rowCount(database.db, 'audit_log');
    const rows = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `,DOC${from + i},"вул. Садова, ${i}"`).join('\n');
    // A quote never closed swallows the rest of the file into one cell, longer than a record may be.
    const unquoted = Array.from({ length: 500 }, (_, i) => `,DOC${5000 + i},вул. Садова ${i}`).join('\n');
    const broken = `email,document,address\n${rows(2500)}\n,X1,"unclosed\n${unquoted}`;
    assert.equal((await importCensusCsv(deps(), admin, m, csv(broken))).kind, 'not_csv');
    assert.equal(await rowCount(database.db, 'census_entries'), before, 'the first batches were rolled back');
    assert.equal(await rowCount(database.db, 'audit_log'), audits);
    const stream = Readable.from((function* () { yield 'email,document,address\n'; for (let i = 0; i < 5; i++) yield `${rows(1000, i * 1000)}\n`; })());
    const ok = await importCensusCsv(deps(), admin, m, stream);
    assert.equal(ok.kind === 'imported' && ok.report.entries, 5000);
    assert.equal(await rowCount(database.db, 'census_entries'), before + 5000);
  });

  test('one separator per file, the header row\'s: an address with a comma in a semicolon file stays whole', async () => {
    const r = await importCensusCsv(deps(), admin, m, csv('document;address\nGH 4242;вул. Січових Стрільців, 7\n'));
    assert.equal(r.kind, 'imported');
    const row = await database.db.selectFrom('census_entries').select('address').where('municipality_id', '=', m.id).where('address', 'like', '%Стрільців%').executeTakeFirstOrThrow();
    assert.equal(row.address, 'вул. Січових Стрільців, 7');
    assert.equal(headerDelimiter(Buffer.from('email\tdocument\n')), '\t');
    assert.equal(headerDelimiter(Buffer.from('email,document\na;b,c\n')), ',');
  });

  test('a header naming neither column, and a typed list with bad addresses', async () => {
    assert.equal((await importCensusCsv(deps(), admin, m, csv('name,phone\nx,y'))).kind, 'no_columns');
    assert.equal((await importCensusCsv(deps(), admin, m, csv(''))).kind, 'no_columns');
    const r = await importCensusList(deps(), admin, m, 'a@example.org, b@example.org\nnope\n\nc@example.org');
    assert.deepEqual(r.bad, [{ row: 2, problem: 'bad_email' }]);
    assert.equal(r.entries, 3);
  });
});

describe('the census way', () => {
  before(async () => {
    await importCensusCsv(deps(), admin, m, csv('document,address\n"ІВ 654321","вул. Івана Франка, 7, кв. 3"\nSR-001,"Ulica Kralja Petra 1"'));
  });

  test('the document and the address on file, compared normalised, confirm the resident (method census, hash stored)', async () => {
    const user = await person();
    assert.equal((await claimByCensus(deps(), user, m, { document: 'ів654321', address: 'Вул Івана Франка 7 кв 3' }, '10.0.0.1')).kind, 'confirmed');
    const row = await database.db.selectFrom('resident_verifications').select(['method', 'document_hash']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { method: 'census', document_hash: deps().identifiers.hash('document', 'ІВ 654321') });
    assert.equal(normaliseAddress('Улица Краља Петра 1'), normaliseAddress('ulica kralja petra, 1'), 'Serbian in either script');
  });

  test('a wrong address or an unknown number confirms nothing; a document already used is refused and audited', async () => {
    const user = await person();
    assert.equal((await claimByCensus(deps(), user, m, { document: 'ІВ 654321', address: 'вул. Франка, 8' }, '10.0.0.2')).kind, 'no_match');
    assert.equal((await claimByCensus(deps(), user, m, { document: 'ZZ 000', address: 'вул. Івана Франка, 7, кв. 3' }, '10.0.0.2')).kind, 'no_match');
    assert.equal((await claimByCensus(deps(), user, m, { document: '--', address: 'вул. Івана Франка, 7, кв. 3' }, '10.0.0.2')).kind, 'bad_document');
    assert.equal((await claimByCensus(deps(), user, m, { document: 'ІВ 654321', address: 'вул. Івана Франка, 7, кв. 3' }, '10.0.0.2')).kind, 'document_used');
    assert.equal(await database.db.selectFrom('resident_verifications').select('user_id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'residence.census.document_used').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, user.id);
  });

  test('guesses are limited per account', async () => {
    const limited: Deps = { ...deps(), config: { ...deps().config, rateLimits: true } };
    const user = await person();
    for (let i = 0; i < 5; i++) assert.equal((await claimByCensus(limited, user, m, { document: `GUESS${i}`, address: 'x y z' }, '10.0.0.3')).kind, 'no_match');
    assert.equal((await claimByCensus(limited, user, m, { document: 'SR-001', address: 'Ulica Kralja Petra 1' }, '10.0.0.3')).kind, 'limited', 'even the right answer waits');
  });

  test('a municipality that does not offer the census way confirms no one', async () => {
    const user = await person();
    const before = await rowCount(database.db, 'resident_verifications');
    assert.equal((await claimByCensus(deps(), user, off, { document: 'SR-001', address: 'Ulica Kralja Petra 1' }, '10.0.0.4')).kind, 'not_offered');
    assert.equal(await rowCount(database.db, 'resident_verifications'), before);
  });
});
