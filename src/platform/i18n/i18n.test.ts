import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { INTL_TAG, LOCALES, loadMessages, localeFiles, negotiateLocale, translator, type Locale } from './i18n.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/** Element kinds of the ICU parser's AST (`TYPE` in @formatjs/icu-messageformat-parser). */
const LITERAL = 0, NUMBER = 2, DATE = 3, TIME = 4, SELECT = 5, PLURAL = 6, POUND = 7, TAG = 8;

const TRANSLATED: Locale[] = ['uk', 'sr-Cyrl', 'pl'];

/** Texts that may stay as in English: acronyms, codes and the product name. */
const SAME_AS_ENGLISH = new Set(['JSON', 'API', 'Open API', 'URL', 'UAH', 'RSD', 'PLN', 'EUR', 'Hromada', 'OK']);

/** Latin allowed in Cyrillic text: the product name and acronyms such as JSON, API, URL, SMTP, TERYT. */
const LATIN_IN_CYRILLIC = /\bHromada\b|\b[A-Z][A-Z0-9]+\b/g;

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;

function parse(message: string, locale: Locale): Element[] {
  return new IntlMessageFormat(message, INTL_TAG[locale]).getAst();
}

/** Every node of the AST, nested plural/select/tag branches included. */
function* walk(elements: Element[]): Generator<Element> {
  for (const el of elements) {
    yield el;
    if (el.type === PLURAL || el.type === SELECT) for (const o of Object.values(el.options)) yield* walk(o.value);
    if (el.type === TAG) yield* walk(el.children);
  }
}

/** Argument name → the kind of sample value it needs. */
function argumentsOf(elements: Element[]): Map<string, 'number' | 'date' | 'select' | 'string'> {
  const args = new Map<string, 'number' | 'date' | 'select' | 'string'>();
  for (const el of walk(elements)) {
    if (el.type === LITERAL || el.type === POUND || el.type === TAG) continue;
    const kind = el.type === PLURAL || el.type === NUMBER ? 'number'
      : el.type === DATE || el.type === TIME ? 'date'
      : el.type === SELECT ? 'select' : 'string';
    if (!args.has(el.value) || args.get(el.value) === 'string') args.set(el.value, kind);
  }
  return args;
}

const NUMERIC_NAMES = new Set(['count', 'n', 'limit']);

function sampleParams(elements: Element[], n: number): Record<string, string | number | Date> {
  const params: Record<string, string | number | Date> = {};
  for (const [name, kind] of argumentsOf(elements)) {
    params[name] = kind === 'number' || NUMERIC_NAMES.has(name) ? n
      : kind === 'date' ? new Date('2025-03-01T10:00:00Z')
      : kind === 'select' ? 'other' : `‹${name}›`;
  }
  return params;
}

/** Only the text a reader sees: literals of every branch, without arguments, `#` or ICU keywords. */
function visibleText(elements: Element[]): string {
  let out = '';
  for (const el of walk(elements)) if (el.type === LITERAL) out += `${el.value} `;
  return out;
}

const stripAllowed = (text: string) => text
  .replace(/https?:\/\/\S+/g, ' ')
  .replace(/(?:^|\s)\/[\w\-./]*/g, ' ') // paths such as /uk/zhovkva/
  .replace(LATIN_IN_CYRILLIC, ' ');

function report(problems: string[], what: string) {
  if (problems.length) assert.fail(`${problems.length} ${what}:\n  ${problems.join('\n  ')}`);
}

describe('i18n catalogs', () => {
  const folders = localeFiles();
  const catalogs = Object.fromEntries(LOCALES.map((l) => [l, loadMessages(l)])) as Record<Locale, Record<string, string>>;
  const en = catalogs.en;

  test('there are locales folders and an English catalog', () => {
    assert.ok(folders.length > 0, 'no locales folder found under src/');
    assert.ok(Object.keys(en).length > 0, 'English catalog is empty');
  });

  test('every locale has exactly the keys of en, in every locales folder', () => {
    const problems: string[] = [];
    const list = (keys: string[]) => keys.join(', ');
    for (const dir of folders) {
      const rel = path.relative(process.cwd(), dir) || dir;
      const enFile = path.join(dir, 'en.json');
      if (!fs.existsSync(enFile)) {
        problems.push(`${rel}/en.json is missing`);
        continue;
      }
      const enKeys = Object.keys(readJson(enFile));
      for (const locale of LOCALES) {
        if (locale === 'en') continue;
        const file = path.join(dir, `${locale}.json`);
        if (!fs.existsSync(file)) {
          problems.push(`${rel}/${locale}.json is missing (${enKeys.length} keys: ${list(enKeys)})`);
          continue;
        }
        const keys = Object.keys(readJson(file));
        const missing = enKeys.filter((k) => !keys.includes(k));
        const extra = keys.filter((k) => !enKeys.includes(k));
        if (missing.length) problems.push(`${rel}/${locale}.json lacks ${list(missing)}`);
        if (extra.length) problems.push(`${rel}/${locale}.json has keys English lacks: ${list(extra)}`);
      }
    }
    report(problems, 'key mismatches');
  });

  test('every message parses and formats in its locale, with the same arguments as English', () => {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      for (const [key, message] of Object.entries(catalogs[locale])) {
        let ast: Element[];
        try {
          ast = parse(message, locale);
        } catch (e) {
          problems.push(`${locale} ${key}: does not parse (${(e as Error).message})`);
          continue;
        }
        for (const n of [0, 1, 2, 3, 5, 11, 21, 22, 25, 1.5]) {
          try {
            const out = new IntlMessageFormat(message, INTL_TAG[locale]).format(sampleParams(ast, n));
            assert.equal(typeof out, 'string');
          } catch (e) {
            problems.push(`${locale} ${key}: fails to format with ${n} (${(e as Error).message})`);
            break;
          }
        }
        if (locale === 'en' || !(key in en)) continue;
        const enAst = parse(en[key]!, 'en');
        const mine = [...argumentsOf(ast).keys()].sort().join(', ');
        const theirs = [...argumentsOf(enAst).keys()].sort().join(', ');
        if (mine !== theirs) problems.push(`${locale} ${key}: arguments {${mine}} differ from English {${theirs}}`);
        const breaks = (s: string) => s.split('\n').length - 1;
        if (breaks(message) !== breaks(en[key]!)) problems.push(`${locale} ${key}: line breaks differ from English`);
      }
    }
    report(problems, 'broken messages');
  });

  test('plural messages use every plural category of their language and keep exact branches', () => {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      const categories = new Intl.PluralRules(INTL_TAG[locale]).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(catalogs[locale])) {
        const enExact = new Set<string>();
        if (key in en) {
          for (const el of walk(parse(en[key]!, 'en'))) {
            if (el.type === PLURAL) for (const o of Object.keys(el.options)) if (o.startsWith('=')) enExact.add(`${el.value} ${o}`);
          }
        }
        for (const el of walk(parse(message, locale))) {
          if (el.type !== PLURAL) continue;
          const missing = categories.filter((c) => !(c in el.options));
          if (missing.length) problems.push(`${locale} ${key}: {${el.value}} lacks ${missing.join(', ')}`);
          for (const o of Object.keys(el.options)) enExact.delete(`${el.value} ${o}`);
        }
        for (const lost of enExact) problems.push(`${locale} ${key}: lost the English branch ${lost}`);
      }
    }
    report(problems, 'plural problems');
  });

  test('uk, sr-Cyrl and pl leave nothing in English', () => {
    const problems: string[] = [];
    for (const locale of TRANSLATED) {
      for (const [key, message] of Object.entries(catalogs[locale])) {
        if (message !== en[key]) continue;
        if (!/\p{L}/u.test(message) || SAME_AS_ENGLISH.has(message.trim())) continue;
        problems.push(`${locale} ${key}: same as English (${JSON.stringify(message)})`);
      }
    }
    report(problems, 'untranslated messages');
  });

  test('sr-Latn is written in Latin and sr-Cyrl in Cyrillic', () => {
    const problems: string[] = [];
    for (const [key, message] of Object.entries(catalogs['sr-Latn'])) {
      const cyrillic = visibleText(parse(message, 'sr-Latn')).match(/\p{Script=Cyrillic}+/gu);
      if (cyrillic) problems.push(`sr-Latn ${key}: Cyrillic ${cyrillic.join(' ')}`);
    }
    for (const [key, message] of Object.entries(catalogs['sr-Cyrl'])) {
      const latin = stripAllowed(visibleText(parse(message, 'sr-Cyrl'))).match(/\p{Script=Latin}+/gu);
      if (latin) problems.push(`sr-Cyrl ${key}: Latin ${latin.join(' ')}`);
    }
    report(problems, 'messages in the wrong script');
  });
});

describe('translator', () => {
  test('Ukrainian uses the "few" form for 3', () => {
    assert.equal(new Intl.PluralRules(INTL_TAG.uk).select(3), 'few');
    const t = translator('uk');
    assert.equal(t('home.municipalities', { count: 3 }), '3 громади');
    assert.equal(t('home.municipalities', { count: 5 }), '5 громад');
    assert.equal(t('home.municipalities', { count: 21 }), '21 громада');
  });

  test('Polish and Serbian pick their own plural forms', () => {
    assert.equal(translator('pl')('home.municipalities', { count: 22 }), '22 gminy');
    assert.equal(translator('pl')('home.municipalities', { count: 25 }), '25 gmin');
    assert.equal(translator('sr-Cyrl')('home.municipalities', { count: 21 }), '21 општина');
    assert.equal(translator('sr-Latn')('home.municipalities', { count: 3 }), '3 opštine');
  });
});

describe('negotiateLocale', () => {
  test('picks the locale from Accept-Language', () => {
    assert.equal(negotiateLocale('sr-Latn-RS'), 'sr-Latn');
    assert.equal(negotiateLocale('sr'), 'sr-Cyrl');
    assert.equal(negotiateLocale('pl-PL,pl;q=0.9'), 'pl');
    assert.equal(negotiateLocale(''), 'uk');
    assert.equal(negotiateLocale(undefined), 'uk');
    assert.equal(negotiateLocale('en-US'), 'en');
  });
});
