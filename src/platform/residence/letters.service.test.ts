import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { isTrustworthyPdf } from '../files/pdf.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { resident, serviceDeps } from '../testing/people.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { lettersPdf } from './letters.pdf.ts';
import { codeHash, CODE_ALPHABET, enterCode, LETTER_VALID_DAYS, printedCodes, printLetters, requestLetter } from './letters.service.ts';
import { codeOn, municipalityWith, pdfPages, rowCount } from './letters.testing.ts';

let database: TestDatabase;
let m: Municipality;
let off: Municipality;
let registrar: CurrentUser;
const deps = () => serviceDeps(database.db);
const once = (key: string, userId: number) => ({ municipalityId: m.id, actor: `u${userId}`, key });
let n = 0;
/** A signed-up person with a confirmed e-mail, not yet a resident. */
async function person(locale = 'uk') {
  const p = await resident(database.db, `person${++n}@example.org`, null, { fullName: `Особа ${n}` });
  await database.db.updateTable('users').set({ locale }).where('id', '=', p.id).execute();
  return p.current;
}
const address = 'вул. Шевченка, 5, кв. 12\n80300 Жовква';

/** Asks for a letter for `user` and prints it (as the registrar); returns the code on its page. */
async function sentLetter(user: CurrentUser, key = `print-${user.id}`) {
  assert.equal((await requestLetter(deps(), user, m, { recipient: user.fullName, address }, null)).kind, 'requested');
  const printed = await printLetters(deps(), registrar, m, 'waiting', once(key, registrar.id));
  assert.equal(printed.kind, 'printed');
  const letters = await printedCodes(deps(), m, printed as Extract<typeof printed, { kind: 'printed' }>, key);
  const mine = letters.find((l) => l.recipient === user.fullName);
  assert.ok(mine, 'the letter is in the batch');
  return mine.code;
}

before(async () => {
  database = await createTestDatabase();
  m = await municipalityWith(database.db, 'zhovkva');
  off = await municipalityWith(database.db, 'bez-lystiv', ['identity', 'in_person']);
  registrar = (await resident(database.db, 'registrar@example.org', m, { role: 'admin' })).current;
});
after(() => database.cleanup());

describe('postal code letters', () => {
  test('printing makes one PDF, one page a letter in the resident’s language; the code printed is the one stored, hashed', async () => {
    const [ua, pl] = [await person('uk'), await person('pl')];
    await requestLetter(deps(), ua, m, { recipient: 'Марія Шевчук', address }, null);
    await requestLetter(deps(), pl, m, { recipient: 'Łucja Żółć-Ćwik', address: 'ul. Źródlana 3\n00-001 Łódź' }, null);
    const printed = await printLetters(deps(), registrar, m, 'waiting', once('batch-1', registrar.id));
    assert.equal(printed.kind, 'printed');
    if (printed.kind !== 'printed') return;
    const letters = await printedCodes(deps(), m, printed, 'batch-1');
    const pdf = await lettersPdf(m, letters, 'https://hromada.example');
    assert.ok(isTrustworthyPdf(pdf), 'the platform’s own check accepts the batch');
    const pages = await pdfPages(pdf);
    assert.equal(pages.length, 2, 'one page a letter');
    assert.match(pages[0]!, /Марія Шевчук/);
    assert.match(pages[0]!, /Ваш код/);
    assert.match(pages[0]!, /https:\/\/hromada\.example\/uk\/zhovkva\/residence\/letter/);
    assert.match(pages[1]!, /Łucja Żółć-Ćwik/);
    assert.match(pages[1]!, /Twój kod/);
    for (const [i, page] of pages.entries()) {
      const code = codeOn(page);
      assert.equal(code.length, 8);
      assert.ok([...code].every((c) => CODE_ALPHABET.includes(c)), `easy to type: ${code}`);
      const row = await database.db.selectFrom('residence_letters').select(['code_hash', 'expires_at', 'printed_at']).where('id', '=', printed.ids[i]!).executeTakeFirstOrThrow();
      assert.equal(row.code_hash, await codeHash(deps(), printed.ids[i]!, code), 'the stored hash is the printed code’s');
      assert.notEqual(row.code_hash, code, 'never the code itself');
      assert.equal(new Date(row.expires_at!).getTime() - new Date(row.printed_at!).getTime(), LETTER_VALID_DAYS * 86_400_000);
    }
    const audited = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'residence.letter.print').execute();
    assert.equal(audited.length, 2, 'each letter printed is audited');
  });

  test('the same print form sent again prints nothing anew: the same codes, no new audit rows', async () => {
    const user = await person();
    const code = await sentLetter(user, 'same-form');
    const audits = await rowCount(database.db, 'audit_log');
    const again = await printLetters(deps(), registrar, m, 'waiting', once('same-form', registrar.id));
    assert.equal(again.kind, 'printed');
    if (again.kind !== 'printed') return;
    const letters = await printedCodes(deps(), m, again, 'same-form');
    assert.equal(letters.find((l) => l.recipient === user.fullName)?.code, code);
    assert.equal(await rowCount(database.db, 'audit_log'), audits);
  });

  test('the right code confirms the resident (method letter) once; replaying it confirms nothing more', async () => {
    const user = await person();
    const code = await sentLetter(user);
    assert.equal((await enterCode(deps(), user, m, ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `)).kind, 'confirmed', 'case, dashes and spaces do not matter');
    const rows = await database.db.selectFrom('resident_verifications').select(['method', 'verified_by']).where('user_id', '=', user.id).execute();
    assert.deepEqual(rows, [{ method: 'letter', verified_by: registrar.id }]);
    assert.equal((await enterCode(deps(), user, m, code)).kind, 'no_letter', 'a used code is spent');
    assert.equal((await database.db.selectFrom('resident_verifications').select('user_id').where('user_id', '=', user.id).execute()).length, 1);
  });

  test('wrong codes are counted; the fifth voids the letter, and the resident may ask again', async () => {
    const user = await person();
    const code = await sentLetter(user);
    for (const left of [4, 3, 2, 1]) assert.deepEqual(await enterCode(deps(), user, m, 'AAAA-AAAA'), { kind: 'wrong', left });
    assert.equal((await enterCode(deps(), user, m, 'AAAA-AAAA')).kind, 'void');
    assert.equal((await enterCode(deps(), user, m, code)).kind, 'no_letter', 'the right code no longer works');
    assert.equal(await database.db.selectFrom('resident_verifications').select('user_id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    assert.equal((await requestLetter(deps(), user, m, { recipient: user.fullName, address }, null)).kind, 'requested');
  });

  test('an expired code is refused as expired; asking again closes the expired letter', async () => {
    const user = await person();
    const code = await sentLetter(user);
    await database.db.updateTable('residence_letters').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
    assert.equal((await enterCode(deps(), user, m, code)).kind, 'expired');
    assert.equal((await requestLetter(deps(), user, m, { recipient: user.fullName, address }, null)).kind, 'requested');
    const letters = await database.db.selectFrom('residence_letters').select(['used_at', 'code_hash']).where('user_id', '=', user.id).orderBy('id').execute();
    assert.equal(letters.length, 2);
    assert.ok(letters[0]!.used_at && letters[0]!.code_hash === null, 'the expired letter is void');
  });

  test('printing again makes a new code and voids the old one', async () => {
    const user = await person();
    const old = await sentLetter(user);
    const letter = await database.db.selectFrom('residence_letters').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const again = await printLetters(deps(), registrar, m, [letter.id], once('reprint', registrar.id));
    assert.equal(again.kind, 'printed');
    if (again.kind !== 'printed') return;
    const [fresh] = await printedCodes(deps(), m, again, 'reprint');
    assert.notEqual(fresh!.code, old);
    assert.equal((await enterCode(deps(), user, m, old)).kind, 'wrong');
    assert.equal((await enterCode(deps(), user, m, fresh!.code)).kind, 'confirmed');
  });

  test('one open letter at a time; a letter not yet printed has no code to enter', async () => {
    const user = await person();
    assert.equal((await requestLetter(deps(), user, m, { recipient: user.fullName, address }, null)).kind, 'requested');
    assert.equal((await requestLetter(deps(), user, m, { recipient: user.fullName, address: 'інша адреса 1' }, null)).kind, 'open_exists');
    assert.equal((await enterCode(deps(), user, m, 'ABCD-2345')).kind, 'not_printed');
  });

  test('a municipality that does not offer letters takes no request and no code', async () => {
    const user = await person();
    const before = await rowCount(database.db, 'residence_letters');
    assert.equal((await requestLetter(deps(), user, off, { recipient: user.fullName, address }, null)).kind, 'not_offered');
    assert.equal((await enterCode(deps(), user, off, 'ABCD-2345')).kind, 'not_offered');
    assert.equal(await rowCount(database.db, 'residence_letters'), before);
  });
});
