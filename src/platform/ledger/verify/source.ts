import { readFile } from 'node:fs/promises';
import { readLedgerJson, type ReadEntry } from './entries.ts';
import { readLedgerCsv } from './ledger-csv.ts';

/** Where a checker reads from: a saved file, or a Hromada installation over HTTP(S), following its pages. */

export const isUrl = (source: string) => /^https?:\/\//i.test(source);

/** The URL of the `rel="next"` link in a Link header, resolved against the page's own URL. */
export function nextLink(header: string | null, base: string): string | null {
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return new URL(m[1]!, base).toString();
  }
  return null;
}

export interface Fetched { status: number; text: string; link: string | null }

export async function fetchText(url: string, accept = '*/*'): Promise<Fetched> {
  const res = await fetch(url, { headers: { accept } });
  return { status: res.status, text: await res.text(), link: res.headers.get('link') };
}

/** The text of a file or of a URL that must answer 200. */
export async function readSource(source: string): Promise<string> {
  if (!isUrl(source)) return readFile(source, 'utf8');
  const r = await fetchText(source);
  if (r.status !== 200) throw new Error(`${source} answered ${r.status}`);
  return r.text;
}

/** Entries from JSON (an array) or CSV (a header row), told apart by their first character. */
export function readEntries(text: string): ReadEntry[] {
  return /^\uFEFF?\s*\[/.test(text) ? readLedgerJson(text) : readLedgerCsv(text);
}

/** The pages of a ledger: one for a file; for a URL, each page until one has no `Link: rel="next"`. */
export async function* entryPages(source: string): AsyncGenerator<ReadEntry[]> {
  if (!isUrl(source)) {
    yield readEntries(await readFile(source, 'utf8'));
    return;
  }
  for (let url: string | null = source; url;) {
    const r = await fetchText(url, 'application/json, text/csv');
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
    yield readEntries(r.text);
    url = nextLink(r.link, url);
  }
}

/** The installation's address and municipality of a Hromada API URL (`…/api/v1/<municipality>/…`). */
export function siteOf(source: string): { origin: string; municipality: string } | null {
  if (!isUrl(source)) return null;
  const url = new URL(source);
  const m = /^\/api\/v1\/([a-z0-9-]+)\//.exec(url.pathname);
  return m ? { origin: url.origin, municipality: m[1]! } : null;
}

/** The generic ledger API of a chain (docs/API.md): checkpoints and proofs. */
export const chainApi = (site: { origin: string; municipality: string }, chain: string) => `${site.origin}/api/v1/${site.municipality}/ledger/${chain}`;

/** Where an installation publishes its keys (the same path as directory.ts serves; a test holds them equal). */
export const KEYS_PATH = '/.well-known/hromada-ledger-keys.json';
