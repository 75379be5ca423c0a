import type { MessagePart } from '../i18n/content.ts';

/** Text of a feed: plain, or in pieces where user text carries its own language (see `contentMessage`). */
export type FeedText = string | MessagePart[];

/** One entry of an Atom feed. */
export interface FeedEntry {
  /** A stable, unique IRI, e.g. `tag:hromada,2026:zhovkva/petitions/12`. */
  id: string;
  title: FeedText;
  updated: Date;
  link: string;
  summary?: FeedText;
  author?: string;
}

export interface Feed {
  id: string;
  title: string;
  /** The HTML page the feed mirrors. */
  link: string;
  /** The feed's own URL. */
  self: string;
  lang: string;
  entries: FeedEntry[];
  /** When there are no entries; otherwise the newest entry's date. */
  updated?: Date;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** XML-escapes text, dropping characters XML 1.0 does not allow. */
export function xmlEscape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * An Atom text construct. Text in one language is plain text with `xml:lang` when it is not the feed's;
 * text mixing the feed's language with user text in another is XHTML, so each piece keeps its language.
 */
function textElement(name: string, text: FeedText): string {
  if (typeof text === 'string') return `<${name}>${xmlEscape(text)}</${name}>`;
  const marked = text.filter((p) => typeof p !== 'string' && p.lang);
  const only = text.length === 1 ? text[0]! : null;
  if (!marked.length) return `<${name}>${xmlEscape(text.map((p) => (typeof p === 'string' ? p : p.text)).join(''))}</${name}>`;
  if (only && typeof only !== 'string') return `<${name} xml:lang="${xmlEscape(only.lang!)}">${xmlEscape(only.text)}</${name}>`;
  const inner = text.map((p) => (typeof p === 'string' || !p.lang ? xmlEscape(typeof p === 'string' ? p : p.text)
    : `<span xml:lang="${xmlEscape(p.lang)}" lang="${xmlEscape(p.lang)}">${xmlEscape(p.text)}</span>`)).join('');
  return `<${name} type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${inner}</div></${name}>`;
}

/** Renders an Atom 1.0 (RFC 4287) document. */
export function atomFeed(feed: Feed): string {
  const newest = feed.entries.reduce<Date | null>((max, e) => (!max || e.updated > max ? e.updated : max), null);
  const updated = (newest ?? feed.updated ?? new Date(0)).toISOString();
  const entries = feed.entries.map((e) => [
    '  <entry>',
    `    <id>${xmlEscape(e.id)}</id>`,
    `    ${textElement('title', e.title)}`,
    `    <updated>${e.updated.toISOString()}</updated>`,
    `    <link rel="alternate" type="text/html" href="${xmlEscape(e.link)}"/>`,
    e.author ? `    <author><name>${xmlEscape(e.author)}</name></author>` : '',
    e.summary && e.summary.length ? `    ${textElement('summary', e.summary)}` : '',
    '  </entry>',
  ].filter(Boolean).join('\n'));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(feed.lang)}">`,
    `  <id>${xmlEscape(feed.id)}</id>`,
    `  <title>${xmlEscape(feed.title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(feed.link)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.self)}"/>`,
    '  <author><name>Hromada</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

/** Sends a feed with its media type and a short cache, so readers polling often do not load the database. */
export function sendFeed(reply: import('fastify').FastifyReply, feed: Feed) {
  return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(atomFeed(feed));
}

/** A feed of this request's own URL, in its language: `page` is the HTML page it mirrors (a local path). */
export function sendPageFeed(req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, baseUrl: string, title: FeedText, page: string, entries: FeedEntry[], selfQuery = '') {
  // The query that selects the entries (a district) is part of the feed's identity; other parameters are not.
  const self = `${baseUrl}${req.url.split('?')[0]}${selfQuery}`;
  return sendFeed(reply, { id: self, title: typeof title === 'string' ? title : title.map((p) => (typeof p === 'string' ? p : p.text)).join(''), link: `${baseUrl}${page}`, self, lang: req.locale, entries });
}
