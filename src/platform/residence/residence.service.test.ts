import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import type { Deps } from '../http/deps.ts';
import { tinyPdf } from '../files/testing.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { createMunicipality } from '../testing/http.ts';
import { resident, serviceDeps } from '../testing/people.ts';
import { confirmInPerson, saveResidentWays } from './confirm.service.ts';
import { decideRequest, sendRequest, withdrawRequest } from './request.service.ts';
import { REQUEST_WORKING_DAYS } from './residence.ways.ts';
import { addWorkingDays } from '../time/working-days.ts';

let database: TestDatabase;
let deps: Deps;
let m: Municipality;
let other: Municipality;
const stored = new Map<string, Buffer>();

before(async () => {
  database = await createTestDatabase();
  const base = serviceDeps(database.db);
  deps = {
    ...base, config: { ...base.config, uploadMaxBytes: 5_000_000 },
    storage: { put: async (k, b) => void stored.set(k, b), get: async (k) => stored.get(k) ?? null, delete: async (k) => void stored.delete(k) },
  };
  m = await createMunicipality(database.db, { slug: 'zhovkva' });
  other = await createMunicipality(database.db, { slug: 'sombor' });
});
after(() => database.cleanup());

const count = async (table: 'audit_log' | 'resident_verifications' | 'residence_requests' | 'files' | 'notifications') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test('in person: the document’s type and keyed hash are kept, never the number; one document confirms one account per municipality', async () => {
  const registrar = await resident(database.db, 'registrar@example.org', m, { role: 'registrar' });
  const first = await resident(database.db, 'first@example.org', null);
  const second = await resident(database.db, 'second@example.org', null);
  const actor = { id: registrar.id };
  const r = await confirmInPerson(deps, actor, m, { email: 'first@example.org', documentType: 'passport', documentNumber: 'AB 123-456' });
  assert.equal(r.kind, 'confirmed');
  const row = await database.db.selectFrom('resident_verifications').selectAll().where('user_id', '=', first.id).executeTakeFirstOrThrow();
  assert.equal(row.method, 'in_person');
  assert.equal(row.document_type, 'passport');
  assert.equal(row.verified_by, registrar.id);
  assert.equal(row.document_hash, deps.identifiers.hash('document', 'ab123456'));
  const everything = JSON.stringify(await database.db.selectFrom('audit_log').selectAll().execute()) + JSON.stringify(row);
  assert.doesNotMatch(everything, /123-?456/, 'the number is nowhere');
  assert.equal(await count('notifications'), 1, 'the resident is told');

  const audits = await count('audit_log');
  const reused = await confirmInPerson(deps, actor, m, { email: 'second@example.org', documentType: 'id_card', documentNumber: 'ab123456' });
  assert.equal(reused.kind, 'document_used');
  assert.equal(await count('resident_verifications'), 1, 'nothing written');
  assert.equal(await count('audit_log'), audits + 1, 'the refusal is audited');
  assert.equal((await confirmInPerson(deps, actor, m, { email: 'first@example.org', documentType: 'passport', documentNumber: 'X1' })).kind, 'already');
  assert.equal((await confirmInPerson(deps, actor, m, { email: 'second@example.org', documentType: 'passport', documentNumber: ' -- ' })).kind, 'no_number');
  assert.equal((await confirmInPerson(deps, actor, m, { email: 'nobody@example.org', documentType: 'passport', documentNumber: 'X1' })).kind, 'no_user');
  // Another municipality has documents of its own.
  assert.equal((await confirmInPerson(deps, actor, other, { email: 'second@example.org', documentType: 'passport', documentNumber: 'AB123456' })).kind, 'confirmed');
  void second;
});

test('a way the municipality does not offer is refused and audited, nothing else written', async () => {
  const admin = await resident(database.db, 'admin@example.org', m, { role: 'admin' });
  const asker = await resident(database.db, 'asker@example.org', null);
  await saveResidentWays(deps, { id: admin.id }, m, ['identity']);
  const fresh = (await database.db.selectFrom('municipalities').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow());
  assert.deepEqual(fresh.resident_ways, ['identity']);
  const before = await Promise.all([count('residence_requests'), count('resident_verifications'), count('audit_log')]);
  assert.equal((await sendRequest(deps, asker.current, fresh, { address: 'вул. Львівська, 1', next: null, scan: null })).kind, 'not_offered');
  assert.equal((await confirmInPerson(deps, { id: admin.id }, fresh, { email: 'asker@example.org', documentType: 'passport', documentNumber: 'ZZ1' })).kind, 'not_offered');
  const after = await Promise.all([count('residence_requests'), count('resident_verifications'), count('audit_log')]);
  assert.deepEqual(after, [before[0], before[1], before[2]! + 2]);
  await saveResidentWays(deps, { id: admin.id }, fresh, ['identity', 'in_person', 'request']);
});

test('requests: one pending per person, due in working days; a decision confirms or refuses once, and the scan is deleted', async () => {
  const registrar = await resident(database.db, 'registrar2@example.org', m, { role: 'registrar' });
  const asker = await resident(database.db, 'asker2@example.org', null);
  const town = (await database.db.selectFrom('municipalities').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow());
  const sent = await sendRequest(deps, asker.current, town, { address: 'вул. Шевченка, 5', next: '/uk/zhovkva/petitions/3', scan: { filename: 'scan.pdf', data: tinyPdf() } });
  assert.equal(sent.kind, 'sent');
  assert.equal(stored.size, 1);
  assert.equal((await sendRequest(deps, asker.current, town, { address: 'again', next: null, scan: { filename: 'scan.pdf', data: tinyPdf() } })).kind, 'pending_exists');
  assert.equal(stored.size, 1, 'the refused upload left no bytes');
  const row = await database.db.selectFrom('residence_requests').selectAll().where('user_id', '=', asker.id).executeTakeFirstOrThrow();
  const due = addWorkingDays(new Date(row.created_at), REQUEST_WORKING_DAYS, town.time_zone).getTime();
  assert.ok(Math.abs(new Date(row.due_at).getTime() - due) < 60_000, 'due in five working days');
  const id = (sent as { id: number }).id;
  assert.equal(await decideRequest(deps, { id: registrar.id }, town, id, { kind: 'approve' }), 'decided');
  assert.equal(await decideRequest(deps, { id: registrar.id }, town, id, { kind: 'refuse', reason: 'late' }), 'not_pending');
  const v = await database.db.selectFrom('resident_verifications').selectAll().where('user_id', '=', asker.id).where('municipality_id', '=', m.id).executeTakeFirstOrThrow();
  assert.equal(v.method, 'request');
  assert.equal(stored.size, 0, 'the scan’s bytes are deleted');
  assert.equal((await database.db.selectFrom('files').select('id').where('owner_id', '=', asker.id).execute()).length, 0, 'and its row');
  const note = await database.db.selectFrom('notifications').selectAll().where('user_id', '=', asker.id).executeTakeFirstOrThrow();
  assert.equal(note.link, '/zhovkva/petitions/3', 'the resident is sent back to what they were doing');

  const third = await resident(database.db, 'asker3@example.org', null);
  const again = await sendRequest(deps, third.current, town, { address: 'вул. Миру, 2', next: null, scan: null });
  assert.equal(again.kind, 'sent');
  assert.equal(await withdrawRequest(deps, asker.current, town, (again as { id: number }).id), 'not_pending', 'only one’s own request');
  assert.equal(await withdrawRequest(deps, third.current, town, (again as { id: number }).id), 'withdrawn');
  assert.equal(await decideRequest(deps, { id: registrar.id }, town, (again as { id: number }).id, { kind: 'approve' }), 'not_pending');
});
