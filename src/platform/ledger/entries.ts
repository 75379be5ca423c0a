import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import { csvLine } from '../http/csv.ts';
import type { Deps } from '../http/deps.ts';
import { canonicalJson, ledgerEntries } from './ledger.ts';

const Entry = Type.Object({
  chain: Type.String(), seq: Type.Integer(), kind: Type.String(), payload: Type.Record(Type.String(), Type.Unknown()),
  prev: Type.String(), hash: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});
const NextLink = { link: Type.String({ description: '<…?afterSeq=…&limit=…>; rel="next" while the page is full' }) };

/** A page of entries: after `afterSeq`, at most `limit` (10 000). */
export const EntriesQuery = Type.Object({
  afterSeq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 10_000 }),
}, { additionalProperties: false });

/** The documented answer of an entries page. */
export const entriesResponse = (ext: 'json' | 'csv') => ({
  200: ext === 'json'
    ? { ...Type.Array(Entry), description: 'The page of entries, in seq order', headers: NextLink }
    : { description: 'One entry a line, as entries.json; payload as canonical JSON', headers: NextLink, content: { 'text/csv': { schema: Type.String() } } },
});

/** The CSV columns of a published chain, in order (docs/LEDGER.md). */
export const LEDGER_CSV_COLUMNS = ['chain', 'seq', 'kind', 'payload', 'prev', 'hash', 'createdAt'] as const;

/**
 * One page of a chain as JSON or CSV, oldest first, at most `limit` entries after `afterSeq`; a full page has
 * `Link: <path?afterSeq=…&limit=…>; rel="next"`. `path` is the address the page was asked at.
 */
export async function sendEntries(deps: Deps, reply: FastifyReply, m: Municipality, chain: string, ext: 'json' | 'csv', q: { afterSeq: number; limit: number }, path: string) {
  const rows = await ledgerEntries(deps.db, m.id, chain, q);
  if (rows.length === q.limit) reply.header('link', `<${path}?afterSeq=${rows[rows.length - 1]!.seq}&limit=${q.limit}>; rel="next"`);
  if (ext === 'json') return reply.send(rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })));
  const body = csvLine([...LEDGER_CSV_COLUMNS])
    + rows.map((r) => csvLine([r.chain, r.seq, r.kind, canonicalJson(r.payload), r.prev, r.hash, new Date(r.createdAt)])).join('');
  const file = `${m.slug}-${chain.replace(/[^A-Za-z0-9-]+/g, '-')}-ledger.csv`;
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(body);
}
