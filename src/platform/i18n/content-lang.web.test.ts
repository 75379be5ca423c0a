import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createMunicipality, startTestApp, type TestApp } from '../testing/http.ts';
import { resident } from '../testing/people.ts';
import { openPetition } from '../../modules/petitions/testing.ts';
import { notify } from '../notify/notify.service.ts';
import { sendNotificationEmail } from '../notify/notify.service.ts';

// WCAG 2.1 3.1.2: user text in another language than the page is marked; Serbian is shown in the page's script.
let t: TestApp;
let pl: Awaited<ReturnType<typeof createMunicipality>>;
let sr: Awaited<ReturnType<typeof createMunicipality>>;
let author: Awaited<ReturnType<typeof resident>>;

before(async () => {
  t = await startTestApp();
  pl = await createMunicipality(t.db, { slug: 'zolkiew', defaultLocale: 'pl', names: { pl: 'Żółkiew', en: 'Zhovkva' }, enabledModules: ['petitions'], settings: { petitions: { supportersNeeded: 0 } } });
  sr = await createMunicipality(t.db, { slug: 'sombor', defaultLocale: 'sr-Cyrl', names: { 'sr-Cyrl': 'Сомбор', en: 'Sombor' }, enabledModules: ['petitions'], settings: { petitions: { supportersNeeded: 0 } } });
  author = await resident(t.db, 'author@example.org', pl, { fullName: 'Anna Nowak' });
  const moderator = await resident(t.db, 'mod@example.org', pl, { role: 'moderator' });
  const srAuthor = await resident(t.db, 'sr@example.org', sr, { fullName: 'Љубица Џаковић' });
  const srModerator = await resident(t.db, 'srmod@example.org', sr, { role: 'moderator' });
  await openPetition(t.db, pl, author.current, moderator.id, 'Nowy park przy szkole');
  await openPetition(t.db, sr, srAuthor.current, srModerator.id, 'Нова расвета у Љубљанској улици');
});
after(() => t.close());

test('a Polish title on a Ukrainian page carries lang="pl", in the list, on its page and in the feed', async () => {
  const c = t.client('uk');
  const list = await c.get('/uk/zolkiew/petitions');
  assert.match(list.body, /<span lang="pl">Nowy park przy szkole<\/span>/);
  const page = await c.get('/uk/zolkiew/petitions/1');
  assert.match(page.body, /<h1><span lang="pl">Nowy park przy szkole<\/span><\/h1>/);
  assert.match(page.body, /class="petition__body" lang="pl"/);
  assert.match(page.body, /<span lang="pl">Anna Nowak<\/span>/);
  const feed = await c.get('/uk/zolkiew/petitions/feed.atom');
  assert.match(feed.body, /<title xml:lang="pl">Nowy park przy szkole<\/title>/);
  // On a Polish page the same text is in the page's language: no mark.
  const own = await t.client('pl').get('/pl/zolkiew/petitions/1');
  assert.match(own.body, /<h1>Nowy park przy szkole<\/h1>/);
});

test('a municipality name that falls back to another language is marked with it', async () => {
  const page = await t.client('uk').get('/uk/');
  assert.match(page.body, /<span lang="en">Zhovkva<\/span>/);
});

test('Serbian Cyrillic content is shown in Latin on sr-Latn pages and kept Cyrillic on sr-Cyrl', async () => {
  const latn = await t.client('sr-Latn').get('/sr-Latn/sombor/petitions/1');
  assert.match(latn.body, /<h1>Nova rasveta u Ljubljanskoj ulici<\/h1>/);
  assert.match(latn.body, /Ljubica Džaković/);
  assert.doesNotMatch(latn.body, /Љубљанској/);
  assert.match(latn.body, /<title>Nova rasveta u Ljubljanskoj ulici/);
  const cyrl = await t.client('sr-Cyrl').get('/sr-Cyrl/sombor/petitions/1');
  assert.match(cyrl.body, /<h1>Нова расвета у Љубљанској улици<\/h1>/);
  const uk = await t.client('uk').get('/uk/sombor/petitions');
  assert.match(uk.body, /<span lang="sr-Cyrl">Нова расвета у Љубљанској улици<\/span>/);
  // The municipality's name, stored only in Cyrillic, is transliterated for sr-Latn too.
  assert.match(latn.body, /Sombor/);
});

test('a notification quoting a title marks it on the page and transliterates it in the e-mail', async () => {
  const reader = await resident(t.db, 'reader@example.org', null, { fullName: 'Reader' });
  await t.db.updateTable('users').set({ locale: 'sr-Latn' }).where('id', '=', reader.id).execute();
  await notify(t.db, { userId: reader.id, municipalityId: pl.id, kind: 'petitions.response', params: { title: 'Nowy park przy szkole' }, link: '/zolkiew/petitions/1' });
  await notify(t.db, { userId: reader.id, municipalityId: sr.id, kind: 'petitions.response', params: { title: 'Нова расвета' }, link: '/sombor/petitions/1' });
  const c = t.client('uk');
  await c.signIn('reader@example.org', 'petition test password');
  const page = await c.get('/uk/account/notifications');
  assert.match(page.body, /<span lang="pl">Nowy park przy szkole<\/span>/);
  assert.match(page.body, /<span lang="sr-Cyrl">Нова расвета<\/span>/);
  const sent: { subject: string }[] = [];
  await sendNotificationEmail({ userId: reader.id, municipalityId: sr.id, kind: 'petitions.response', params: { title: 'Нова расвета' }, link: null },
    { ...t.built.deps, mailer: { send: async (m: { subject: string }) => { sent.push(m); } } } as never);
  assert.match(sent[0]!.subject, /Nova rasveta/);
});
