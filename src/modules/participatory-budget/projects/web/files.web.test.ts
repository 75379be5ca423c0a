import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { tinyPdf, tinyPng } from '../../../../platform/files/testing.ts';
import { ONCE_FIELD } from '../../../../platform/idempotency/field.ts';
import { onceFrom, postFileAtOnce } from '../../../../platform/idempotency/testing.ts';
import { multipartForm, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Project } from '../../pb.tables.ts';
import { seedProject } from '../../testing.ts';
import { editorsApp } from './testing.ts';

// Photos and PDF documents of a proposal over HTTP: its authors upload and delete them on the edit page, once per
// form; the content is checked, the limits hold, and nobody else may touch them.

let t: TestApp;
let town: Municipality;
let open: Category;
let voting: Category;
let ids: Record<string, number>;
let c: Record<string, TestClient>;
const page = (p: Project) => `/en/zhovkva/participatory-budget/projects/${p.number}`;
const files = async (p: Project) =>
  t.db.selectFrom('pb_project_files').select(['id', 'kind', 'caption']).where('project_id', '=', p.id).orderBy('id').execute();
const fileRows = async () => Number((await t.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const draft = (category = open) => seedProject(t.db, town, category, ids.author!, { status: 'draft', coauthors: [ids.coauthor!] });

/** Uploads `data` as `name` from the edit page's form (its CSRF token and once key); the page it lands on. */
async function upload(who: string, p: Project, fields: Record<string, string>, name: string, data: Buffer) {
  const edit = await c[who]!.get(`${page(p)}/edit`);
  const key = edit.statusCode === 200 ? onceFrom(edit.body, `${page(p)}/files`) : 'no-key';
  const res = await c[who]!.request('POST', `${page(p)}/files`, multipartForm({ _csrf: await c[who]!.csrf(), [ONCE_FIELD]: key, ...fields }, { field: 'file', name, data }));
  const body = res.statusCode === 303 && String(res.headers.location).endsWith('/edit') ? (await c[who]!.follow(res)).body : '';
  return { status: res.statusCode, location: String(res.headers.location ?? ''), body };
}

before(async () => {
  ({ t, town, open, voting, ids, c } = await editorsApp());
});
after(() => t.close());

describe('uploading', () => {
  test('the author adds a photo and a co-author a PDF, each with its caption; both are listed on the edit page', async () => {
    const p = await draft();
    const photo = await upload('author', p, { kind: 'photo', caption: 'Сквер зараз' }, 'skver.png', tinyPng());
    assert.equal(photo.location, `${page(p)}/edit`);
    assert.match(photo.body, /The file is added/);
    const pdf = await upload('coauthor', p, { kind: 'document', caption: 'Кошторис' }, 'koshtorys.pdf', tinyPdf());
    assert.match(pdf.body, /The file is added/);
    assert.deepEqual((await files(p)).map((f) => [f.kind, f.caption]), [['photo', 'Сквер зараз'], ['document', 'Кошторис']]);
    assert.match(pdf.body, /Сквер зараз/);
    assert.match(pdf.body, /Кошторис/);
  });

  test('a double submit of one form stores one file', async () => {
    const p = await draft();
    const before = await fileRows();
    const res = await postFileAtOnce(c.author!, `${page(p)}/edit`, `${page(p)}/files`, { field: 'file', name: 'a.png', data: tinyPng() }, 6);
    assert.ok(res.every((r) => r.statusCode === 303), res.map((r) => r.statusCode).join());
    assert.equal((await files(p)).length, 1);
    assert.equal(await fileRows(), before + 1);
  });

  test('content is checked, not the name: text called .png, a PDF as a photo, no file, a long caption, a control character', async () => {
    const p = await draft();
    const before = await fileRows();
    const cases: [Record<string, string>, string, Buffer, RegExp][] = [
      [{ kind: 'photo' }, 'fake.png', Buffer.from('not an image at all'), /File/],
      [{ kind: 'photo' }, 'plan.pdf', tinyPdf(), /File/],
      [{ kind: 'document' }, 'photo.pdf', tinyPng(), /File/],
      [{ kind: 'photo' }, '', Buffer.alloc(0), /File/],
      [{ kind: 'photo', caption: 'я'.repeat(301) }, 'a.png', tinyPng(), /“Caption”.*300|Caption.*300/],
    ];
    for (const [fields, name, data, message] of cases) {
      const r = await upload('author', p, fields, name, data);
      assert.equal(r.status, 303, name);
      assert.match(r.body, /banner--error/, name);
      assert.match(r.body, message, name);
    }
    const control = await upload('author', p, { kind: 'photo', caption: 'a\u0000b' }, 'a.png', tinyPng());
    assert.equal(control.status, 400);
    assert.deepEqual(await files(p), []);
    assert.equal(await fileRows(), before);
  });

  test('at most ten photos: the eleventh is refused with the limit', async () => {
    const p = await draft();
    await t.db.insertInto('pb_project_files').values((await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const f = await t.db.insertInto('files').values({ id: crypto.randomUUID(), municipality_id: town.id, owner_id: ids.author!, storage_key: `seed/${p.id}/${i}`, original_name: `${i}.png`, mime: 'image/png', size: 10, sha256: 'x'.repeat(64) }).returning('id').executeTakeFirstOrThrow();
      return { municipality_id: town.id, project_id: p.id, file_id: f.id, kind: 'photo', caption: '', stage: 'proposal' as const };
    }))) as never).execute();
    const r = await upload('author', p, { kind: 'photo' }, 'a.png', tinyPng());
    assert.match(r.body, /at most 10 photos/);
    assert.equal((await files(p)).length, 10);
  });

  test('only authors upload: a neighbour and an admin → 403, another municipality → 404, a visitor signs in; closed projects refuse', async () => {
    const p = await draft();
    // A draft is not shown to others at all (404); a submitted project is, but only its authors change it (403).
    const submitted = await seedProject(t.db, town, open, ids.author!, { status: 'submitted' });
    for (const who of ['neighbour', 'admin']) {
      assert.equal((await upload(who, p, { kind: 'photo' }, 'a.png', tinyPng())).status, 404, who);
      assert.equal((await upload(who, submitted, { kind: 'photo' }, 'a.png', tinyPng())).status, 403, who);
    }
    assert.deepEqual(await files(submitted), []);
    assert.equal((await upload('foreign', p, { kind: 'photo' }, 'a.png', tinyPng())).status, 404);
    const guest = await c.guest!.request('POST', `${page(p)}/files`, multipartForm({ _csrf: await c.guest!.csrf() }, { field: 'file', name: 'a.png', data: tinyPng() }));
    assert.equal(guest.statusCode, 303);
    assert.match(String(guest.headers.location), /sign-in/);
    const noCsrf = await c.author!.request('POST', `${page(p)}/files`, multipartForm({ kind: 'photo' }, { field: 'file', name: 'a.png', data: tinyPng() }));
    assert.equal(noCsrf.statusCode, 403);
    assert.deepEqual(await files(p), []);

    const admitted = await seedProject(t.db, town, voting, ids.author!, { status: 'admitted' });
    const closed = await c.author!.request('POST', `${page(admitted)}/files`, multipartForm({ _csrf: await c.author!.csrf(), kind: 'photo' }, { field: 'file', name: 'a.png', data: tinyPng() }));
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, page(admitted));
    assert.match((await c.author!.follow(closed)).body, /This project cannot be changed now/);
    assert.deepEqual(await files(admitted), []);
  });
});

describe('deleting', () => {
  test('an author deletes a file (its bytes too); deleting it again says it is gone', async () => {
    const p = await draft();
    await upload('author', p, { kind: 'photo' }, 'a.png', tinyPng());
    const [f] = await files(p);
    const before = await fileRows();
    const r = await c.coauthor!.post(`${page(p)}/files/${f!.id}/delete`);
    assert.equal(r.headers.location, `${page(p)}/edit`);
    assert.match((await c.coauthor!.follow(r)).body, /The file is deleted/);
    assert.deepEqual(await files(p), []);
    assert.equal(await fileRows(), before - 1);
    assert.match((await c.author!.follow(await c.author!.post(`${page(p)}/files/${f!.id}/delete`))).body, /not there any more/);
  });

  test('nobody else deletes (a draft is not even found), another project\'s file is not found through this one, bad ids are 400 or 404', async () => {
    const p = await draft();
    const q = await draft();
    await upload('author', p, { kind: 'photo' }, 'a.png', tinyPng());
    const [f] = await files(p);
    for (const who of ['neighbour', 'admin']) assert.equal((await c[who]!.post(`${page(p)}/files/${f!.id}/delete`)).statusCode, 404, who);
    assert.equal((await c.foreign!.post(`${page(p)}/files/${f!.id}/delete`)).statusCode, 404);
    assert.match((await c.author!.follow(await c.author!.post(`${page(q)}/files/${f!.id}/delete`))).body, /not there any more/);
    for (const id of ['x', '0', '-3', '99999999999999999999']) {
      const r = await c.author!.post(`${page(p)}/files/${id}/delete`);
      assert.ok([400, 404].includes(r.statusCode), `${id}: ${r.statusCode}`);
    }
    assert.equal((await files(p)).length, 1);
  });
});
