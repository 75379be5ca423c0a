import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomFeed, xmlEscape } from './atom.ts';

test('an Atom feed carries its entries, escaped, with the newest date as the feed date', () => {
  const xml = atomFeed({
    id: 'tag:hromada,2026:zhovkva/petitions', title: 'Петиції <Жовква> & "громада"', link: 'https://h.example/uk/zhovkva/petitions',
    self: 'https://h.example/uk/zhovkva/petitions/feed.atom', lang: 'uk',
    entries: [
      { id: 'tag:hromada,2026:zhovkva/petitions/1', title: 'Ремонт дороги', updated: new Date('2026-03-01T10:00:00Z'), link: 'https://h.example/uk/zhovkva/petitions/1', summary: 'a < b\u0001', author: 'Марія' },
      { id: 'tag:hromada,2026:zhovkva/petitions/2', title: 'Нові ліхтарі', updated: new Date('2026-04-02T08:30:00Z'), link: 'https://h.example/uk/zhovkva/petitions/2' },
    ],
  });
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="uk">/);
  assert.match(xml, /<title>Петиції &lt;Жовква&gt; &amp; &quot;громада&quot;<\/title>/);
  assert.match(xml, /<feed[^]*?<updated>2026-04-02T08:30:00.000Z<\/updated>/);
  assert.equal((xml.match(/<entry>/g) ?? []).length, 2);
  assert.match(xml, /<summary>a &lt; b<\/summary>/, 'control characters are dropped');
  assert.match(xml, /<author><name>Марія<\/name><\/author>/);
});

test('an empty feed is still valid, dated by its fallback', () => {
  const xml = atomFeed({ id: 'x', title: 't', link: 'l', self: 's', lang: 'en', entries: [], updated: new Date('2026-01-01T00:00:00Z') });
  assert.match(xml, /<updated>2026-01-01T00:00:00.000Z<\/updated>/);
  assert.doesNotMatch(xml, /<entry>/);
  assert.equal(xmlEscape("it's"), 'it&apos;s');
});
