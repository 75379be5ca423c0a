import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Type } from 'typebox';
import { modules } from '../../modules/index.ts';
import { levelSetting, moduleSettings } from '../module-settings.tsx';
import { createMunicipality, createUser, startTestApp, type TestApp } from '../testing/http.ts';

// A module used only here, so the generic settings page can be tested before real modules declare settings.
const schema = Type.Object({ threshold: Type.Integer({ minimum: 1, maximum: 100000, default: 100 }), signLevel: levelSetting('resident') });
modules.push({ id: 'settingstest', nameKey: 'home.title', summaryKey: 'home.lead', settings: schema });

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  modules.splice(modules.findIndex((m) => m.id === 'settingstest'), 1);
  await t.close();
});

test('module settings: defaults, validation, saving, and only the municipality admin may change them', async () => {
  const a = await createMunicipality(t.db, { slug: 'zhovkva', enabledModules: ['settingstest'] });
  const b = await createMunicipality(t.db, { slug: 'sombor', enabledModules: ['settingstest'] });
  await createUser(t.db, { email: 'admin@a.example', password: 'admin password', roles: [{ municipalityId: a.id, role: 'admin' }] });
  await createUser(t.db, { email: 'official@a.example', password: 'official password', roles: [{ municipalityId: a.id, role: 'official' }] });
  assert.deepEqual(moduleSettings(a, 'settingstest', schema), { threshold: 100, signLevel: 'resident' });

  const admin = t.client('en');
  await admin.signIn('admin@a.example', 'admin password');
  const page = await admin.get('/en/zhovkva/admin/modules/settingstest');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Verified resident of the municipality/);

  const bad = await admin.post('/en/zhovkva/admin/modules/settingstest', { threshold: 0, signLevel: 'everyone' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#f-threshold"/);
  assert.match(bad.body, /href="#f-signLevel"/);

  const official = t.client('en');
  await official.signIn('official@a.example', 'official password');
  assert.equal((await official.post('/en/zhovkva/admin/modules/settingstest', { threshold: 5, signLevel: 'email' })).statusCode, 403);
  assert.equal((await admin.post('/en/sombor/admin/modules/settingstest', { threshold: 5, signLevel: 'email' })).statusCode, 403);

  const ok = await admin.post('/en/zhovkva/admin/modules/settingstest', { threshold: 300, signLevel: 'identity' });
  assert.equal(ok.statusCode, 303);
  const [ma, mb] = await Promise.all([a, b].map((m) => t.db.selectFrom('municipalities').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow()));
  assert.deepEqual(moduleSettings(ma!, 'settingstest', schema), { threshold: 300, signLevel: 'identity' });
  assert.deepEqual(moduleSettings(mb!, 'settingstest', schema), { threshold: 100, signLevel: 'resident' }, 'the other municipality is untouched');
  const audit = await t.db.selectFrom('audit_log').select(['action', 'subject_id']).where('municipality_id', '=', a.id).executeTakeFirstOrThrow();
  assert.deepEqual(audit, { action: 'module.settings', subject_id: 'settingstest' });
  assert.equal((await admin.get('/en/zhovkva/admin/modules/nosuchmodule')).statusCode, 404);
});
