import type { FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import { contentMessage, displayText, type DisplayText } from '../i18n/content.ts';
import { localizedText, type MessageParams } from '../i18n/i18n.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { useView } from './context.ts';

/** The content language of the page's municipality, which user text shown there is assumed to be in. */
function useSource(from: string | null | undefined): string | null | undefined {
  const { municipality } = useView();
  return from === undefined ? municipality?.default_locale : from;
}

/**
 * User text (a title, a name, a description) on a page: transliterated to the page's Serbian script and
 * wrapped in an element with `lang` when its language differs from the page's (WCAG 3.1.2). `from` is the
 * content language (a municipality's `default_locale`) when it is not the page's municipality's.
 */
export function Content(p: { text: string | null | undefined; from?: string | null | undefined; as?: 'span' | 'div' | 'p' | 'bdi'; class?: string }) {
  const { locale } = useView();
  const shown = displayText(p.text ?? '', useSource(p.from), locale);
  const Tag = (p.as ?? 'span') as 'span';
  if (!shown.lang && !p.class && !p.as) return <>{shown.text}</>;
  return <Tag lang={shown.lang} class={p.class}>{shown.text}</Tag>;
}

/** The plain string of user text for places that take no markup (a page title, an attribute, an option). */
export function useContentText(): (text: string | null | undefined, from?: string | null) => string {
  const { locale } = useView();
  const source = useSource(undefined);
  return (text, from) => displayText(text ?? '', from === undefined ? source : from, locale).text;
}

/** A translated message whose `content` parameters are user text, each marked with its language. */
export function ContentMessage(p: { k: string; params: MessageParams; content: readonly string[]; from?: string | null | undefined }): JSX.Element {
  const { t, locale } = useView();
  const parts = contentMessage(t, p.k, p.params, p.content, useSource(p.from), locale);
  return <>{parts.map((part, i) => (typeof part === 'string' ? part : part.lang ? <span key={i} lang={part.lang}>{part.text}</span> : part.text))}</>;
}

/** The same for a handler (a page title built before rendering): the request's municipality and locale. */
export function contentText(req: FastifyRequest, text: string | null | undefined, from?: string | null): string {
  return displayText(text ?? '', from === undefined ? req.municipality?.default_locale : from, req.locale).text;
}

/** A name stored per locale (municipality, department, category): the page's, or a fallback marked with its language. */
export function Name(p: { names: LocalizedText | null | undefined }) {
  const { locale } = useView();
  const shown = localizedText(p.names, locale);
  return shown.lang ? <span lang={shown.lang}>{shown.text}</span> : <>{shown.text}</>;
}

/** Text typed by people, as paragraphs: a blank line (`\n\n`, line endings normalised on input) starts a new one. */
function Paragraphs({ text }: { text: string | null | undefined }) {
  // CR too, for text stored before input was normalised.
  return <>{(text ?? '').split(/\r?\n(?:[ \t]*\r?\n)+/).filter((para) => para.trim()).map((para, i) => <p key={i}>{para}</p>)}</>;
}

/** Longer user text (a petition, a description, a response) as paragraphs in one element that carries its language. */
export function ContentBlock(p: { text: string | null | undefined; from?: string | null | undefined; class?: string }) {
  const { locale } = useView();
  const shown = displayText(p.text ?? '', useSource(p.from), locale);
  return <div class={p.class} lang={shown.lang}><Paragraphs text={shown.text} /></div>;
}

/** User text with its language for output that is not a view (an Atom entry): the request's municipality and locale. */
export function contentPart(req: FastifyRequest, text: string): DisplayText {
  return displayText(text, req.municipality?.default_locale, req.locale);
}
