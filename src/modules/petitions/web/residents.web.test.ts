import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { forgetMunicipality } from '../../../platform/http/request-context.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { findPetition } from '../petition.repo.ts';
import { openPetition, petitionTown, resident } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let cosigning: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let moderator: Awaited<ReturnType<typeof resident>>;
const clients: Record<string, TestClient> = {};

const signedIn = (email: string, locale?: string) => t.signedIn(email, locale);

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 5, supportersNeeded: 0, responseDays: 10 });
  cosigning = await petitionTown(t.db, 'stryi', { supportersNeeded: 1, createLevel: 'email', signLevel: 'email' });
  author = await resident(t.db, 'author@example.org', town);
  moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await resident(t.db, 'signer@example.org', town);
  await resident(t.db, 'outsider@example.org', cosigning);
  await resident(t.db, 'unconfirmed@example.org', null, { emailVerified: false });
  await resident(t.db, 'stryi-author@example.org', cosigning);
  await resident(t.db, 'cosigner@example.org', cosigning);
  for (const who of ['author', 'signer', 'stryi-author', 'cosigner', 'outsider', 'unconfirmed']) clients[who] = await signedIn(`${who}@example.org`);
});
after(() => t.close());

test('paragraphs typed in a browser (CRLF) are stored with LF and shown as paragraphs', async () => {
  const body = 'The first paragraph of the petition text.\r\n\r\nThe second paragraph, after a blank line.';
  const res = await clients.author!.post('/en/zhovkva/petitions/new', { title: 'Paragraphs from a browser', body });
  assert.equal(res.statusCode, 303);
  const path = String(res.headers.location);
  const stored = await findPetition(t.db, town.id, Number(path.split('/').pop()));
  assert.equal(stored!.body, 'The first paragraph of the petition text.\n\nThe second paragraph, after a blank line.');
  const page = await clients.author!.get(path);
  assert.match(page.body, /<p>The first paragraph of the petition text.<\/p><p>The second paragraph, after a blank line.<\/p>/);
});

test('the co-signer whose signature sends the petition to moderation lands on their receipt, which says so', async () => {
  const created = await clients['stryi-author']!.post('/en/stryi/petitions/new', { title: 'Benches in the park', body: 'Please put more benches along the park paths.' });
  const path = String(created.headers.location);
  assert.equal((await clients['stryi-author']!.post(`${path}/submit`)).statusCode, 303);
  const signed = await clients.cosigner!.post(`${path}/sign`);
  assert.equal(signed.headers.location, `${path}/receipt?signed=new`);
  assert.equal((await findPetition(t.db, cosigning.id, Number(path.split('/').pop())))!.status, 'moderation');
  const receipt = await clients.cosigner!.follow(signed);
  assert.equal(receipt.statusCode, 200);
  assert.match(receipt.body, /has its co-signer and went to moderation: a moderator decides by/);
  assert.doesNotMatch(receipt.body, new RegExp(`href="${path}"`), 'the petition page is not theirs to see during moderation');
});

test('the receipt says first what happens next (threshold, deadline, mail), the ledger proof below under its heading', async () => {
  const p = await openPetition(t.db, town, author.current, moderator.id, 'Більше лавок у парку');
  const path = `/en/zhovkva/petitions/${p.number}`;
  const receipt = await clients.signer!.follow(await clients.signer!.post(`${path}/sign`));
  assert.equal(receipt.statusCode, 200);
  const next = receipt.body.indexOf('<h2>What happens next</h2>');
  const proof = receipt.body.indexOf('<h2>Proof in the public ledger</h2>');
  assert.ok(next > 0 && proof > next, 'next steps come before the proof');
  const year = new Date(p.closes_at!).getUTCFullYear();
  assert.match(receipt.body, new RegExp(`1 of the 5 signatures it needs: 4 more are needed by \\d+ \\w+ ${year}\\.`));
  assert.match(receipt.body, /answer within 10 working days\. We will e-mail you its answer/);
  assert.ok(receipt.body.indexOf('Ledger chain') > proof, 'chain and hex ids are under the proof heading');
});

test('the sign button is only for those who can sign; the others are told what they lack and whom to ask', async () => {
  const p = await openPetition(t.db, town, author.current, moderator.id, 'Перехід біля школи');
  const path = `/en/zhovkva/petitions/${p.number}`;
  const signer = await clients.signer!.get(path);
  assert.match(signer.body, new RegExp(`action="${path}/sign"`));
  await t.db.updateTable('municipalities').set({ contact_email: 'office@zhovkva.example', contact_phone: '+380 32 252 00 00' }).where('id', '=', town.id).execute();
  forgetMunicipality(town.slug); // the app keeps municipalities for 2 s
  const cases: [string, TestClient, RegExp][] = [
    ['guest', t.client('en'), /Sign in to your account\./],
    ['unconfirmed e-mail', clients.unconfirmed!, /Confirm your e-mail address/],
    ['resident elsewhere', clients.outsider!, /Be confirmed as a resident of Zhovkva, in one of these ways:/],
  ];
  for (const [who, c, lacks] of cases) {
    const page = (await c.get(path)).body;
    assert.doesNotMatch(page, new RegExp(`href="${path}/sign"|action="${path}/sign"`), `${who}: no button that leads nowhere`);
    assert.match(page, /How to sign this petition/, who);
    assert.match(page, lacks, who);
  }
  for (const c of [clients.unconfirmed!, clients.outsider!]) {
    const page = (await c.get(path)).body;
    assert.match(page, /bring your passport or ID card to the service centre of Zhovkva/);
    assert.match(page, /<a href="mailto:office@zhovkva.example">office@zhovkva.example<\/a>/);
    assert.match(page, /<a href="tel:\+380322520000">\+380 32 252 00 00<\/a>/);
  }
  // Exactly the ways the municipality offers, each saying what it takes.
  const outsider = clients.outsider!;
  const offered = await outsider.get(path);
  assert.match(offered.body, new RegExp(`href="/en/zhovkva/residence/request\\?next=${encodeURIComponent(path)}"`));
  assert.match(offered.body, /a registrar of Zhovkva decides within 5 working days/);
  await t.db.updateTable('municipalities').set({ resident_ways: JSON.stringify(['in_person']) }).where('id', '=', town.id).execute();
  forgetMunicipality(town.slug);
  const inPersonOnly = (await outsider.get(path)).body;
  assert.doesNotMatch(inPersonOnly, /residence\/request/);
  assert.match(inPersonOnly, /bring your passport or ID card/);
  await t.db.updateTable('municipalities').set({ resident_ways: JSON.stringify([]) }).where('id', '=', town.id).execute();
  forgetMunicipality(town.slug);
  const none = (await outsider.get(path)).body;
  assert.doesNotMatch(none, /bring your passport/);
  assert.match(none, /it offers no way to do so on this platform yet/);
  await t.db.updateTable('municipalities').set({ resident_ways: JSON.stringify(['identity', 'in_person', 'request']) }).where('id', '=', town.id).execute();
  forgetMunicipality(town.slug);
});
