import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import type { TestApp, TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Project } from '../../pb.tables.ts';
import { seedProject } from '../../testing.ts';
import { editorsApp } from './testing.ts';

// Co-authors over HTTP: the author names and removes them on the edit page, a co-author steps down; nobody else
// may, and nothing changes once the project may no longer be edited.

let t: TestApp;
let town: Municipality;
let open: Category;
let voting: Category;
let ids: Record<string, number>;
let c: Record<string, TestClient>;
const page = (p: Project) => `/en/zhovkva/participatory-budget/projects/${p.number}`;
const coauthors = async (p: Project) =>
  (await t.db.selectFrom('pb_project_authors').select('user_id').where('project_id', '=', p.id).orderBy('user_id').execute()).map((r) => r.user_id);
const notices = async (userId: number) =>
  Number((await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('kind', '=', 'pb.coauthor').executeTakeFirstOrThrow()).n);
const draft = (names: string[] = [], category = open) => seedProject(t.db, town, category, ids.author!, { status: 'draft', coauthors: names.map((n) => ids[n]!) });

/** Posts the form and reads the page it lands on: [status, location, the flash message shown there]. */
async function post(who: string, url: string, fields: Record<string, string> = {}) {
  const res = await c[who]!.post(url, fields);
  let next = res.statusCode === 303 && !/sign-in/.test(String(res.headers.location)) ? await c[who]!.follow(res) : null;
  // The list sends a first visit on to its address with a random order's seed.
  if (next?.statusCode === 302) next = await c[who]!.follow(next);
  if (next && next.statusCode !== 200) throw new Error(`${res.headers.location} answered ${next.statusCode}`);
  const landed = next?.body ?? '';
  return { status: res.statusCode, location: String(res.headers.location ?? ''), body: landed };
}

before(async () => {
  ({ t, town, open, voting, ids, c } = await editorsApp(['friend1', 'friend2', 'friend3', 'friend4', 'friend5']));
});
after(() => t.close());

describe('naming co-authors', () => {
  test('the author names a co-author by e-mail: added, told, and they may edit the project', async () => {
    const p = await draft();
    const r = await post('author', `${page(p)}/coauthors`, { email: 'Coauthor@Example.org' });
    assert.equal(r.location, `${page(p)}/edit`);
    assert.match(r.body, /The co-author is added and told/);
    assert.deepEqual(await coauthors(p), [ids.coauthor]);
    assert.equal(await notices(ids.coauthor!), 1);
    assert.equal((await c.coauthor!.get(`${page(p)}/edit`)).statusCode, 200);
    // Naming them again changes nothing and says so.
    assert.match((await post('author', `${page(p)}/coauthors`, { email: 'coauthor@example.org' })).body, /already a co-author/);
    assert.deepEqual(await coauthors(p), [ids.coauthor]);
    assert.equal(await notices(ids.coauthor!), 1);
  });

  test('an address with no confirmed account, a malformed one or the author\'s own: a message naming the field, nothing written', async () => {
    const p = await draft();
    const cases: [string, RegExp][] = [
      ['nobody@example.org', /No account has “Co-author’s e-mail address” as its confirmed address/],
      ['not an address', /Enter “Co-author’s e-mail address” as an e-mail address/],
      ['', /Enter “Co-author’s e-mail address” as an e-mail address/],
      ['author@example.org', /You are the project’s author: name someone else in “Co-author’s e-mail address”/],
      [`${'a'.repeat(250)}@example.org`, /Enter “Co-author’s e-mail address” as an e-mail address/],
    ];
    for (const [email, message] of cases) {
      const r = await post('author', `${page(p)}/coauthors`, { email });
      assert.equal(r.status, 303, email);
      assert.match(r.body, message, email);
    }
    assert.deepEqual(await coauthors(p), []);
  });

  test(`at most five co-authors; the sixth is refused with the limit`, async () => {
    const p = await draft(['friend1', 'friend2', 'friend3', 'friend4', 'friend5']);
    assert.match((await post('author', `${page(p)}/coauthors`, { email: 'coauthor@example.org' })).body, /at most 5 co-authors/);
    assert.equal((await coauthors(p)).length, 5);
    assert.doesNotMatch((await c.author!.get(`${page(p)}/edit`)).body, new RegExp(`action="${page(p)}/coauthors"`));
  });

  test('only the author names co-authors: a co-author, a neighbour, an admin → 403; another municipality → 404; a visitor signs in first', async () => {
    const p = await draft(['coauthor']);
    for (const who of ['coauthor', 'neighbour', 'admin']) {
      const r = await c[who]!.post(`${page(p)}/coauthors`, { email: 'friend1@example.org' });
      assert.ok([403, 404].includes(r.statusCode), `${who}: ${r.statusCode}`);
    }
    assert.equal((await c.foreign!.post(`${page(p)}/coauthors`, { email: 'friend1@example.org' })).statusCode, 404);
    assert.equal((await c.author!.post(`/en/sombor/participatory-budget/projects/${p.number}/coauthors`, { email: 'friend1@example.org' })).statusCode, 404);
    const guest = await c.guest!.post(`${page(p)}/coauthors`, { email: 'friend1@example.org' });
    assert.equal(guest.statusCode, 303);
    assert.match(String(guest.headers.location), /\/en\/account\/sign-in\?next=/);
    assert.deepEqual(await coauthors(p), [ids.coauthor]);
  });

  test('once the project may no longer be edited (voting), naming is refused and nothing is written', async () => {
    const p = await seedProject(t.db, town, voting, ids.author!, { status: 'admitted' });
    const r = await post('author', `${page(p)}/coauthors`, { email: 'coauthor@example.org' });
    assert.equal(r.location, page(p));
    assert.match(r.body, /This project cannot be changed now/);
    assert.deepEqual(await coauthors(p), []);
  });

  test('tampered project numbers answer 400 or 404, never a 5xx', async () => {
    for (const n of ['abc', '0', '-1', '99999999999999999999', '1.5', '%00']) {
      const r = await c.author!.post(`/en/zhovkva/participatory-budget/projects/${n}/coauthors`, { email: 'coauthor@example.org' });
      assert.ok([400, 404].includes(r.statusCode), `${n}: ${r.statusCode}`);
    }
  });
});

describe('removing co-authors', () => {
  test('the author removes a co-author; removing them again says they are not one', async () => {
    const p = await draft(['coauthor', 'friend1']);
    const r = await post('author', `${page(p)}/coauthors/${ids.coauthor}/delete`);
    assert.equal(r.location, `${page(p)}/edit`);
    assert.match(r.body, /The co-author is removed/);
    assert.deepEqual(await coauthors(p), [ids.friend1]);
    assert.match((await post('author', `${page(p)}/coauthors/${ids.coauthor}/delete`)).body, /not a co-author/);
    assert.equal((await c.coauthor!.get(`${page(p)}/edit`)).statusCode, 404);
  });

  test('a co-author steps down and lands on the cycle\'s list; they may not remove another co-author', async () => {
    const p = await draft(['coauthor', 'friend1']);
    assert.equal((await c.coauthor!.post(`${page(p)}/coauthors/${ids.friend1}/delete`)).statusCode, 403);
    const r = await post('coauthor', `${page(p)}/coauthors/${ids.coauthor}/delete`);
    assert.match(r.location, /\/participatory-budget\/cycles\/\d+\/projects$/, r.location);
    assert.match(r.body, /no longer a co-author/);
    assert.deepEqual(await coauthors(p), [ids.friend1]);
  });

  test('a neighbour, an admin and another municipality cannot remove anyone; bad ids are 400 or 404', async () => {
    const p = await draft(['coauthor']);
    for (const who of ['neighbour', 'admin', 'foreign']) {
      const r = await c[who]!.post(`${page(p)}/coauthors/${ids.coauthor}/delete`);
      assert.ok([403, 404].includes(r.statusCode), `${who}: ${r.statusCode}`);
    }
    for (const id of ['x', '0', '1.5', '99999999999999999999']) {
      const r = await c.author!.post(`${page(p)}/coauthors/${id}/delete`);
      assert.ok([400, 404].includes(r.statusCode), `${id}: ${r.statusCode}`);
    }
    assert.deepEqual(await coauthors(p), [ids.coauthor]);
  });
});
