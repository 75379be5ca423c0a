import { isLocale, type Locale, type MessageParams, type Translate } from './i18n.ts';
import { serbianScript, toSerbianScript } from './serbian.ts';

/** User text ready for a page: in the page's script where Serbian, and the language to mark it with when it differs. */
export interface DisplayText {
  text: string;
  /** BCP 47 tag for `lang`/`xml:lang`; undefined when the text is in the page's language. */
  lang: string | undefined;
}

const language = (tag: string) => tag.split('-')[0]!.toLowerCase();

/**
 * How text typed in a municipality whose content language is `source` is shown on a `page` page.
 * Serbian text is recognised by its letters (residents type either script whatever the default) and
 * transliterated to the page's script on Serbian pages; elsewhere it keeps its script and is marked.
 */
export function displayText(text: string, source: string | null | undefined, page: Locale): DisplayText {
  if (!source || !text) return { text, lang: undefined };
  if (language(source) === 'sr') {
    if (page === 'sr-Cyrl' || page === 'sr-Latn') return { text: toSerbianScript(text, page), lang: undefined };
    return { text, lang: serbianScript(text) ?? (isLocale(source) ? source : 'sr') };
  }
  return { text, lang: language(source) === language(page) ? undefined : source };
}

/** One piece of a message whose parameters include user text: plain message text, or user text with its language. */
export type MessagePart = string | DisplayText;

/**
 * Formats a message whose `content` parameters are user text, and returns it in pieces so each piece of
 * user text can carry its own `lang` (a plain string cannot). Marks stand in for the text while formatting.
 */
export function contentMessage(t: Translate, key: string, params: MessageParams, content: readonly string[], source: string | null | undefined, page: Locale): MessagePart[] {
  const marked: MessageParams = { ...params };
  const texts: DisplayText[] = [];
  for (const name of content) {
    const value = params[name];
    if (typeof value !== 'string' || !value) continue;
    marked[name] = `\u0001${texts.length}\u0002`;
    texts.push(displayText(value, source, page));
  }
  return t(key, marked).split(/\u0001(\d+)\u0002/).map((piece, i) => (i % 2 ? texts[Number(piece)]! : piece)).filter((p) => p !== '');
}

/** The same message as plain text (a page title, a plain-text e-mail): Serbian in the reader's script, no marks. */
export function contentMessageText(t: Translate, key: string, params: MessageParams, content: readonly string[], source: string | null | undefined, page: Locale): string {
  return contentMessage(t, key, params, content, source, page).map((p) => (typeof p === 'string' ? p : p.text)).join('');
}
