import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serbianScript, toCyrillic, toLatin } from './serbian.ts';
import { contentMessage, contentMessageText, displayText } from './content.ts';
import { translator } from './i18n.ts';

test('Cyrillic → Latin covers every letter and writes digraphs by the case of their word', () => {
  assert.equal(toLatin('абвгдђежзијклљмнњопрстћуфхцчџш'), 'abvgdđežzijklljmnnjoprstćufhcčdžš');
  assert.equal(toLatin('Љубав, Њива, Џеп, Ђорђе'), 'Ljubav, Njiva, Džep, Đorđe');
  assert.equal(toLatin('ЉУБАВ ЊИВА ЏЕП'), 'LJUBAV NJIVA DŽEP');
  assert.equal(toLatin('Рупа у улици Карађорђевој бр. 12'), 'Rupa u ulici Karađorđevoj br. 12');
  assert.equal(toLatin('Пишите на info@grad.rs'), 'Pišite na info@grad.rs');
});

test('Latin → Cyrillic reads lj, nj and dž as one letter in either case', () => {
  assert.equal(toCyrillic('abvgdđežzijklljmnnjoprstćufhcčdžš'), 'абвгдђежзијклљмнњопрстћуфхцчџш');
  assert.equal(toCyrillic('Ljubav, Njiva, Džep, Đorđe'), 'Љубав, Њива, Џеп, Ђорђе');
  assert.equal(toCyrillic('LJUBAV NJIVA DŽEP'), 'ЉУБАВ ЊИВА ЏЕП');
  assert.equal(toCyrillic('ǈubav ǉudi ǅep'), 'Љубав људи Џеп');
});

test('Latin → Cyrillic keeps two letters where a prefix ends before them', () => {
  assert.equal(toCyrillic('nadživeti podžanr injekcija konjugacija'), 'надживети поджанр инјекција конјугација');
  assert.equal(toCyrillic('odžak'), 'оџак');
});

test('Latin → Cyrillic leaves addresses, e-mail and foreign words alone', () => {
  assert.equal(toCyrillic('Vidi https://grad.rs/ulice?id=5 ili www.beograd.rs'), 'Види https://grad.rs/ulice?id=5 или www.beograd.rs');
  assert.equal(toCyrillic('Pišite na info@grad.rs'), 'Пишите на info@grad.rs');
  assert.equal(toCyrillic('Besplatan Wi-Fi u parku, Excel tabela'), 'Бесплатан Wi-Fi у парку, Excel табела');
  assert.equal(toCyrillic('XIV vek'), 'XIV век');
});

test('each direction undoes the other on Serbian text', () => {
  const latin = 'Đaci iz Šapca žele džez koncert na Ljubinom trgu, čak i noću.';
  assert.equal(toLatin(toCyrillic(latin)), latin);
  const cyr = 'Ђаци из Шапца желе џез концерт на Љубином тргу, чак и ноћу.';
  assert.equal(toCyrillic(toLatin(cyr)), cyr);
});

test('the script of a text is told by its letters', () => {
  assert.equal(serbianScript('Рупа на путу'), 'sr-Cyrl');
  assert.equal(serbianScript('Rupa na putu'), 'sr-Latn');
  assert.equal(serbianScript('12 / 14'), null);
});

test('content is shown in the page script on Serbian pages and marked with its language elsewhere', () => {
  assert.deepEqual(displayText('Рупа на путу', 'sr-Cyrl', 'sr-Latn'), { text: 'Rupa na putu', lang: undefined });
  assert.deepEqual(displayText('Rupa na putu', 'sr-Cyrl', 'sr-Cyrl'), { text: 'Рупа на путу', lang: undefined });
  assert.deepEqual(displayText('Rupa na putu', 'sr-Cyrl', 'uk'), { text: 'Rupa na putu', lang: 'sr-Latn' });
  assert.deepEqual(displayText('Dziura w jezdni', 'pl', 'uk'), { text: 'Dziura w jezdni', lang: 'pl' });
  assert.deepEqual(displayText('Dziura w jezdni', 'pl', 'pl'), { text: 'Dziura w jezdni', lang: undefined });
  assert.deepEqual(displayText('Яма', 'uk', 'en'), { text: 'Яма', lang: 'uk' });
});

test('a message with user text in it comes in pieces, the user text marked', () => {
  const t = translator('uk');
  const parts = contentMessage(t, 'notify.petitions.response.title', { title: 'Nowy park' }, ['title'], 'pl', 'uk');
  const marked = parts.filter((p) => typeof p !== 'string');
  assert.deepEqual(marked, [{ text: 'Nowy park', lang: 'pl' }]);
  assert.ok(parts.some((p) => typeof p === 'string' && p.length > 0));
  assert.match(contentMessageText(translator('sr-Latn'), 'notify.petitions.response.title', { title: 'Нови парк' }, ['title'], 'sr-Cyrl', 'sr-Latn'), /Novi park/);
});
