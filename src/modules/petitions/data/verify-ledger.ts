import { readFile } from 'node:fs/promises';
import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import { PetitionLedgerChecker, type LedgerCheck } from '../ledger-check.ts';

/** The URL of the `rel="next"` link in a Link header, resolved against the page's own URL. */
export function nextLink(header: string | null, base: string): string | null {
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return new URL(m[1]!, base).toString();
  }
  return null;
}

async function* pagesFrom(source: string): AsyncGenerator<PublishedEntry[]> {
  if (!/^https?:\/\//i.test(source)) {
    yield JSON.parse(await readFile(source, 'utf8')) as PublishedEntry[];
    return;
  }
  for (let url: string | null = source; url;) {
    const res: Response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    yield (await res.json()) as PublishedEntry[];
    url = nextLink(res.headers.get('link'), url);
  }
}

/**
 * `hromada verify-ledger <ledger.json URL or file>`: re-checks a petition's published chain, following
 * its pages, and re-counts it, trusting nothing but the entries themselves.
 */
export async function verifyLedger(source: string): Promise<{ result: LedgerCheck; text: string }> {
  const checker = new PetitionLedgerChecker();
  for await (const page of pagesFrom(source)) {
    if (!Array.isArray(page)) throw new Error(`${source} is not a JSON array of ledger entries`);
    if (!checker.add(page)) break;
  }
  const result = checker.result();
  const text = result.ok
    ? `ok: ${result.entries} entries, head ${result.head}, count ${result.count}`
    : `broken at seq ${result.brokenAt}: ${result.reason}`;
  return { result, text };
}
