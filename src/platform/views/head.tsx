import { isLocale, LOCALES, type Locale } from '../i18n/i18n.ts';
import { useView } from './context.ts';

/** What a page says about itself to search engines, feed readers and link previews (all optional). */
export interface PageMeta {
  /** One or two sentences for search results and previews; the site's own sentence when absent. */
  description?: string | undefined;
  /** Atom feeds of what the page lists, announced for feed readers. */
  feeds?: { href: string; title: string }[];
  /** Open Graph `og:type` for a page worth sharing on its own (a petition, a report). */
  og?: 'article' | 'website';
}

/** Open Graph wants language_TERRITORY; both Serbian scripts are Serbia's. */
const OG_LOCALE: Record<Locale, string> = { uk: 'uk_UA', 'sr-Cyrl': 'sr_RS', 'sr-Latn': 'sr_RS', pl: 'pl_PL', en: 'en_GB' };

/** The first sentences of a text, whitespace collapsed, cut at a word near `max` characters. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[\s,;:.]+$/, '')}…`;
}

/**
 * The head's links and metadata: description, canonical address and its versions in every locale
 * (`hreflang`, plus `x-default` in the municipality's own language), feeds, Open Graph, manifest and icons.
 * Only a page that answered 200 names a canonical address: an error page is not a version of anything.
 */
export function HeadMeta(p: { title: string; site: string; meta?: PageMeta | undefined; indexable: boolean }) {
  const v = useView();
  const description = p.meta?.description || v.t('platform.meta.description', { site: p.site });
  const at = (l: string) => `${v.baseUrl}/${l}${v.pathAfterLocale}`;
  const canonical = at(v.locale);
  const fallback = v.municipality && isLocale(v.municipality.default_locale) ? v.municipality.default_locale : LOCALES[0];
  return (
    <>
      <meta name="description" content={description} />
      {p.indexable && (
        <>
          <link rel="canonical" href={canonical} />
          {LOCALES.map((l) => <link key={l} rel="alternate" hreflang={l} href={at(l)} />)}
          <link rel="alternate" hreflang="x-default" href={at(fallback)} />
        </>
      )}
      {p.meta?.feeds?.map((f) => <link key={f.href} rel="alternate" type="application/atom+xml" title={f.title} href={f.href} />)}
      {p.indexable && p.meta?.og && (
        <>
          <meta property="og:type" content={p.meta.og} />
          <meta property="og:title" content={p.title} />
          <meta property="og:description" content={description} />
          <meta property="og:url" content={canonical} />
          <meta property="og:site_name" content={p.site} />
          <meta property="og:locale" content={OG_LOCALE[v.locale]} />
          {[...new Set(LOCALES.map((l) => OG_LOCALE[l]))].filter((l) => l !== OG_LOCALE[v.locale])
            .map((l) => <meta key={l} property="og:locale:alternate" content={l} />)}
        </>
      )}
      <link rel="manifest" href={`/${v.locale}/manifest.webmanifest`} />
      <link rel="icon" href="/favicon.ico" sizes="32x32" />
      <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
      <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
      <meta name="theme-color" content="#0b4f8a" />
    </>
  );
}
