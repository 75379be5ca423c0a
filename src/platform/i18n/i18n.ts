import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import type { LocalizedText } from '../../db/schema.ts';
import { toSerbianScript } from './serbian.ts';

export const LOCALES = ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'uk';

/** BCP 47 tags used for number, date and plural rules. */
export const INTL_TAG: Record<Locale, string> = {
  uk: 'uk-UA',
  'sr-Cyrl': 'sr-Cyrl-RS',
  'sr-Latn': 'sr-Latn-RS',
  pl: 'pl-PL',
  en: 'en-GB',
};

/** What a reader who lacks a text in their locale sees instead, nearest first. */
const FALLBACK: Record<Locale, Locale[]> = {
  uk: ['uk', 'en'],
  'sr-Cyrl': ['sr-Cyrl', 'sr-Latn', 'en'],
  'sr-Latn': ['sr-Latn', 'sr-Cyrl', 'en'],
  pl: ['pl', 'en'],
  en: ['en', 'uk'],
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type MessageParams = Record<string, string | number | Date>;
export type Translate = (key: string, params?: MessageParams) => string;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every `locales/<locale>.json` below src/, merged: platform areas and modules each own theirs. */
export function localeFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'locales') found.push(full);
        else walk(full);
      }
    }
  };
  walk(root);
  return found.sort();
}

/** Reads one locale's messages from every locales folder. */
export function loadMessages(locale: Locale): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const dir of localeFiles()) {
    const file = path.join(dir, `${locale}.json`);
    if (!fs.existsSync(file)) continue;
    Object.assign(messages, JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
  }
  return messages;
}

const catalogs = new Map<Locale, Record<string, string>>();
const compiled = new Map<string, IntlMessageFormat>();

function catalog(locale: Locale): Record<string, string> {
  let c = catalogs.get(locale);
  if (!c) catalogs.set(locale, (c = loadMessages(locale)));
  return c;
}

/** A translate function for one locale; a missing key shows itself, so it is noticed, never crashes. */
export function translator(locale: Locale): Translate {
  const messages = catalog(locale);
  return (key, params) => {
    const source = messages[key] ?? catalog('en')[key];
    if (source === undefined) return key;
    const cacheKey = `${locale}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) compiled.set(cacheKey, (format = new IntlMessageFormat(source, INTL_TAG[locale])));
    return String(format.format(params));
  };
}

/**
 * The best text of a per-locale field and the locale it is in (for `lang`). A Serbian text in the other
 * script is transliterated, so it is then in the page's own locale.
 */
export function localizedText(text: LocalizedText | null | undefined, locale: Locale): { text: string; lang: string | undefined } {
  if (!text) return { text: '', lang: undefined };
  for (const l of FALLBACK[locale]) {
    const found = text[l];
    if (!found) continue;
    if (l === locale) return { text: found, lang: undefined };
    if (l.startsWith('sr-') && locale.startsWith('sr-')) return { text: toSerbianScript(found, locale as 'sr-Cyrl' | 'sr-Latn'), lang: undefined };
    return { text: found, lang: l };
  }
  const [l, found] = Object.entries(text).find(([, v]) => Boolean(v)) ?? ['', ''];
  return { text: found ?? '', lang: l || undefined };
}

/** Whether a message exists (every key is in English at least); for a readable fallback where codes come from data. */
export function hasMessage(key: string): boolean {
  return catalog('en')[key] !== undefined;
}

/** Picks the best text of a per-locale field. */
export function localized(text: LocalizedText | null | undefined, locale: Locale): string {
  return localizedText(text, locale).text;
}

// Building an Intl formatter costs far more than using one: keep one per locale, time zone and style.
const intlCache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = intlCache.get(key) as T | undefined;
  if (!f) {
    f = make();
    intlCache.set(key, f);
  }
  return f;
}

/** Number, date and money formatting per locale. */
export function formatters(locale: Locale, timeZone = 'Europe/Kyiv') {
  const tag = INTL_TAG[locale];
  const date = (style: 'long' | 'medium', time?: 'short') => cached(`d|${tag}|${timeZone}|${style}|${time ?? ''}`,
    () => new Intl.DateTimeFormat(tag, { dateStyle: style, ...(time ? { timeStyle: time } : {}), timeZone }));
  return {
    number: (n: number) => cached(`n|${tag}`, () => new Intl.NumberFormat(tag)).format(n),
    money: (n: number, currency: string) => cached(`m|${tag}|${currency}`, () => new Intl.NumberFormat(tag, { style: 'currency', currency })).format(n),
    date: (d: Date | string) => date('long').format(new Date(d)),
    dateTime: (d: Date | string) => date('medium', 'short').format(new Date(d)),
    percent: (n: number) => cached(`p|${tag}`, () => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 })).format(n),
  };
}

/** Chooses a locale from an Accept-Language header (or one language tag); `fallback` when none is ours. */
export function negotiateLocale(header: string | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('uk')) return 'uk';
    if (tag.startsWith('sr')) return tag.includes('latn') || tag.endsWith('-me') ? 'sr-Latn' : 'sr-Cyrl';
    if (tag.startsWith('sh') || tag.startsWith('bs') || tag.startsWith('hr')) return 'sr-Latn';
    if (tag.startsWith('pl')) return 'pl';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
