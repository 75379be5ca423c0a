import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatters, localized, type Locale } from './i18n.ts';

// ICU versions differ in spaces (U+00A0 or U+202F) and in some currency symbols (₴ or грн., RSD or дин.),
// so these patterns allow for that, yet each fails if the locale were ignored (en-GB would give
// "UAH 1,234,567.50"): they pin the decimal and grouping separators and the symbol's side.
const S = '[\\s\\u00a0\\u202f]'; // a grouping space of any kind

const money = (locale: Locale, n: number, currency: string) => formatters(locale).money(n, currency);

describe('formatters: money', () => {
  test('Ukrainian: spaces between thousands, decimal comma, hryvnia sign after the amount', () => {
    assert.match(money('uk', 1234567.5, 'UAH'), new RegExp(`^1${S}234${S}567,50${S}(₴|грн\\.?)$`));
    assert.match(money('uk', 1234567.5, 'EUR'), new RegExp(`^1${S}234${S}567,50${S}(€|EUR)$`));
    assert.match(money('uk', 1234567.5, 'PLN'), new RegExp(`^1${S}234${S}567,50${S}(PLN|zł)$`));
  });

  test('Polish: złoty after the amount, decimal comma, no grouping of four digits', () => {
    assert.match(money('pl', 1234567.5, 'PLN'), new RegExp(`^1${S}234${S}567,50${S}zł$`));
    assert.match(money('pl', 1234.5, 'PLN'), new RegExp(`^1234,50${S}zł$`));
    assert.match(money('pl', 1234567.5, 'EUR'), new RegExp(`^1${S}234${S}567,50${S}€$`));
    assert.match(money('pl', 99, 'UAH'), new RegExp(`^99,00${S}(UAH|₴|hrn\\.?)$`));
  });

  test('Serbian: dots between thousands, decimal comma, dinar after the amount, script by locale', () => {
    assert.match(money('sr-Cyrl', 1234567.5, 'RSD'), new RegExp(`^1\\.234\\.567(,50)?${S}(RSD|дин\\.?)$`));
    assert.match(money('sr-Latn', 1234567.5, 'RSD'), new RegExp(`^1\\.234\\.567(,50)?${S}(RSD|din\\.?)$`));
    assert.match(money('sr-Cyrl', 1234567.5, 'EUR'), new RegExp(`^1\\.234\\.567,50${S}€$`));
    assert.match(money('sr-Latn', 1234567.5, 'UAH'), new RegExp(`^1\\.234\\.567,50${S}(UAH|₴)$`));
    assert.doesNotMatch(money('sr-Latn', 1, 'RSD'), /[а-яё]/i, 'no Cyrillic in the Latin script');
  });

  test('English: the symbol first, comma for thousands, point for decimals', () => {
    assert.match(money('en', 1234567.5, 'EUR'), /^€1,234,567\.50$/);
    assert.match(money('en', 1234567.5, 'UAH'), /^(UAH\s?|₴)1,234,567\.50$/);
    assert.match(money('en', 1234567.5, 'PLN'), /^(PLN\s?|zł)1,234,567\.50$/);
  });

  test('every locale formats the same amount differently from at least one other', () => {
    const out = (['uk', 'sr-Cyrl', 'pl', 'en'] as const).map((l) => money(l, 1234.5, 'EUR'));
    assert.equal(new Set(out).size, out.length, out.join(' | '));
  });
});

describe('formatters: numbers and percentages', () => {
  test('decimal and grouping separators follow the locale', () => {
    assert.match(formatters('uk').number(1234567.25), new RegExp(`^1${S}234${S}567,25$`));
    assert.equal(formatters('sr-Latn').number(1234567.25), '1.234.567,25');
    assert.equal(formatters('en').number(1234567.25), '1,234,567.25');
    assert.equal(formatters('pl').number(1234.5), '1234,5');
  });

  test('percent with at most one decimal', () => {
    assert.match(formatters('uk').percent(0.1234), /^12,3\s?%$/);
    assert.equal(formatters('en').percent(0.1234), '12.3%');
    assert.equal(formatters('en').percent(0.5), '50%');
  });
});

describe('formatters: dates in the municipality\u2019s time zone', () => {
  // 23:30 UTC on 14 March is already 01:30 on 15 March in Kyiv (UTC+2 in winter) and in Belgrade/Warsaw 00:30.
  const lateEvening = new Date('2026-03-14T23:30:00Z');

  test('an instant late in the UTC day is the next day in Europe/Kyiv', () => {
    assert.equal(formatters('en', 'Europe/Kyiv').date(lateEvening), '15 March 2026');
    assert.equal(formatters('en', 'UTC').date(lateEvening), '14 March 2026');
    assert.equal(formatters('en', 'America/New_York').date(lateEvening), '14 March 2026');
    assert.equal(formatters('en').date(lateEvening), '15 March 2026', 'Kyiv is the default');
  });

  test('the date reads in the locale\u2019s language', () => {
    assert.match(formatters('uk', 'Europe/Kyiv').date(lateEvening), /^15 березня 2026/);
    assert.match(formatters('pl', 'Europe/Warsaw').date(lateEvening), /^15 marca 2026/);
    assert.match(formatters('sr-Cyrl', 'Europe/Belgrade').date(lateEvening), /^15\. март 2026/);
    assert.match(formatters('sr-Latn', 'Europe/Belgrade').date(lateEvening), /^15\. mart 2026/);
    assert.match(formatters('uk', 'UTC').date(lateEvening), /^14 березня 2026/);
  });

  test('date and time shows the local clock, and strings are accepted as well as dates', () => {
    assert.match(formatters('uk', 'Europe/Kyiv').dateTime(lateEvening), /01:30/);
    assert.match(formatters('pl', 'Europe/Warsaw').dateTime(lateEvening), /00:30/);
    assert.match(formatters('en', 'UTC').dateTime('2026-03-14T23:30:00Z'), /14 Mar 2026.*23:30/);
    // Summer time: UTC+3 in Kyiv.
    assert.match(formatters('en', 'Europe/Kyiv').dateTime('2026-07-01T21:15:00Z'), /2 Jul 2026.*00:15/);
  });
});

describe('localized()', () => {
  const names = { uk: 'Жовква', 'sr-Cyrl': 'Жовква (ћир.)', en: 'Zhovkva' };

  test('the reader\u2019s own locale first', () => {
    assert.equal(localized({ ...names, 'sr-Latn': 'Žovkva' }, 'sr-Latn'), 'Žovkva');
    assert.equal(localized(names, 'uk'), 'Жовква');
    assert.equal(localized(names, 'en'), 'Zhovkva');
  });

  test('sr-Latn falls back to sr-Cyrl before English, and sr-Cyrl to sr-Latn, transliterated to the reader\u2019s script', () => {
    assert.equal(localized(names, 'sr-Latn'), 'Žovkva (ćir.)');
    assert.equal(localized({ 'sr-Latn': 'Beograd', en: 'Belgrade' }, 'sr-Cyrl'), 'Београд');
  });

  test('then English, then Ukrainian for English readers, then anything there is', () => {
    assert.equal(localized({ uk: 'Жовква', en: 'Zhovkva' }, 'sr-Latn'), 'Zhovkva');
    assert.equal(localized({ uk: 'Жовква', en: 'Zhovkva' }, 'pl'), 'Zhovkva');
    assert.equal(localized({ uk: 'Жовква' }, 'en'), 'Жовква');
    assert.equal(localized({ uk: 'Жовква' }, 'pl'), 'Жовква');
    assert.equal(localized({ de: 'Schowkwa' }, 'uk'), 'Schowkwa');
  });

  test('empty texts are skipped, and nothing gives an empty string', () => {
    assert.equal(localized({ 'sr-Latn': '', 'sr-Cyrl': 'Жовква' }, 'sr-Latn'), 'Žovkva');
    assert.equal(localized({}, 'uk'), '');
    assert.equal(localized(null, 'uk'), '');
    assert.equal(localized(undefined, 'en'), '');
  });
});
