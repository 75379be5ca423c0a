import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import { atomFeed } from '../feeds/atom.ts';
import { apiError, notFound } from '../http/errors.tsx';
import type { App, Deps } from '../http/deps.ts';
import { CHAIN_PATTERN, chainVisible } from './chains.ts';
import { checkpointAt, checkpointHistory, latestCheckpoint, type StoredCheckpoint } from './checkpoints.repo.ts';
import { cosignaturesOf } from './witness/cosign.ts';
import { EntriesQuery, entriesResponse, sendEntries } from './entries.ts';
import { chainOrigin } from './log.ts';
import { consistencyProof, inclusionProof } from './tree.ts';

/**
 * The public ledger over HTTP, the same for every module's chains (docs/LEDGER.md, docs/API.md): entries,
 * signed checkpoints (latest, history, Atom), and inclusion and consistency proofs. Base:
 * /api/v1/:municipality/ledger/:chain, where the chain is named as in its entries (`petition:12`).
 */

const tags = ['ledger'];
const BASE = '/api/v1/:municipality/ledger/:chain';
const Params = Type.Object({ municipality: Type.String(), chain: Type.String({ pattern: CHAIN_PATTERN, maxLength: 140 }) });
const Size = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Hashes = Type.Array(Type.String({ description: 'base64 SHA-256' }));
const HISTORY_PAGE = 100;
const noteType = 'text/plain; charset=utf-8';
const NoteAnswer = { 200: { description: 'A signed note (c2sp.org/signed-note): the checkpoint, a blank line, the log\'s and witnesses\' signature lines', content: { 'text/plain': { schema: Type.String() } } } };
const FeedAnswer = { 200: { description: 'An Atom feed, one entry a checkpoint with its note as summary', content: { 'application/atom+xml': { schema: Type.String() } } } };

/** The chain of the route if anyone may read it. */
async function readable(deps: Deps, req: FastifyRequest): Promise<{ m: Municipality; chain: string } | undefined> {
  const m = req.municipality!;
  const { chain } = req.params as { chain: string };
  return (await chainVisible(deps.db, m, chain)) ? { m, chain } : undefined;
}

/** A checkpoint's note with the lines of the witnesses who cosigned it. */
export async function servedNote(deps: Deps, m: Municipality, chain: string, c: StoredCheckpoint): Promise<string> {
  return c.note + (await cosignaturesOf(deps, m.id, chain, c.size)).map((l) => l.line).join('');
}

const noCheckpoint = (req: FastifyRequest, reply: FastifyReply, field: string) =>
  apiError(reply, 404, 'ledger.no_checkpoint', req.t('platform.ledger.noCheckpoint'), { [field]: req.t('platform.ledger.noCheckpoint') });

export function registerLedgerApi(app: App, deps: Deps): void {
  for (const ext of ['json', 'csv'] as const) {
    app.get(`${BASE}/entries.${ext}`, { schema: { tags, summary: `A page of a chain's entries (${ext.toUpperCase()})`, params: Params, querystring: EntriesQuery, response: entriesResponse(ext) } }, async (req, reply) => {
      const found = await readable(deps, req);
      if (!found) return notFound(deps, req, reply);
      return sendEntries(deps, reply, found.m, found.chain, ext, req.query, `/api/v1/${found.m.slug}/ledger/${found.chain}/entries.${ext}`);
    });
  }

  app.get(`${BASE}/checkpoint`, {
    schema: { tags, summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), with witnesses\' cosignatures', params: Params, response: NoteAnswer },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const c = await latestCheckpoint(deps.db, found.m.id, found.chain);
    if (!c) return noCheckpoint(req, reply, 'chain');
    return reply.type(noteType).header('cache-control', 'public, max-age=1').send(await servedNote(deps, found.m, found.chain, c));
  });

  app.get(`${BASE}/checkpoints/:size`, {
    schema: { tags, summary: 'The signed checkpoint of one tree size', params: Type.Object({ ...Params.properties, size: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }), response: NoteAnswer },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const c = await checkpointAt(deps.db, found.m.id, found.chain, Number(req.params.size));
    if (!c) return noCheckpoint(req, reply, 'size');
    return reply.type(noteType).send(await servedNote(deps, found.m, found.chain, c));
  });

  const History = Type.Object({ beforeSize: Type.Optional(Size), limit: Type.Integer({ minimum: 1, maximum: HISTORY_PAGE, default: HISTORY_PAGE }) }, { additionalProperties: false });
  app.get(`${BASE}/checkpoints`, {
    schema: {
      tags, summary: 'Every signed checkpoint, newest first (Link rel="next" to older ones)', params: Params, querystring: History,
      response: { 200: Type.Array(Type.Object({ size: Type.Integer(), root: Type.String(), time: Type.String({ format: 'date-time' }), note: Type.String() })) },
    },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const rows = await checkpointHistory(deps.db, found.m.id, found.chain, req.query);
    if (rows.length === req.query.limit) reply.header('link', `<${`/api/v1/${found.m.slug}/ledger/${found.chain}/checkpoints?beforeSize=${rows.at(-1)!.size}&limit=${req.query.limit}`}>; rel="next"`);
    return Promise.all(rows.map(async (c) => ({ size: c.size, root: c.root.toString('base64'), time: c.createdAt.toISOString(), note: await servedNote(deps, found.m, found.chain, c) })));
  });

  app.get(`${BASE}/checkpoints.atom`, {
    schema: { tags, summary: 'Atom feed of signed checkpoints, newest first, each with its note (RFC 5005 paging)', params: Params, querystring: History, response: FeedAnswer },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const { m, chain } = found;
    const rows = await checkpointHistory(deps.db, m.id, chain, req.query);
    const base = `${deps.config.baseUrl}/api/v1/${m.slug}/ledger/${chain}`;
    const origin = await chainOrigin(deps.db, m.id, chain);
    const next = rows.length === req.query.limit ? `${base}/checkpoints.atom?beforeSize=${rows.at(-1)!.size}&limit=${req.query.limit}` : null;
    const xml = atomFeed({
      id: `${base}/checkpoints.atom`, title: origin, link: `${base}/checkpoint`, self: `${deps.config.baseUrl}${req.url}`, lang: m.default_locale, updated: new Date(0),
      entries: await Promise.all(rows.map(async (c) => ({
        id: `${base}/checkpoints/${c.size}`, title: `${origin} ${c.size}`, updated: c.createdAt, link: `${base}/checkpoints/${c.size}`,
        summary: await servedNote(deps, m, chain, c),
      }))),
    });
    const paged = next ? xml.replace('  <author>', `  <link rel="next" type="application/atom+xml" href="${next.replace(/&/g, '&amp;')}"/>\n  <author>`) : xml;
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(paged);
  });

  app.get(`${BASE}/proof/inclusion`, {
    schema: {
      tags, summary: 'RFC 9162 inclusion proof of the entry `seq` in the tree of `size` entries (default: the latest checkpoint)', params: Params,
      querystring: Type.Object({ seq: Size, size: Type.Optional(Size) }, { additionalProperties: false }),
      response: { 200: Type.Object({ seq: Type.Integer(), index: Type.Integer(), size: Type.Integer(), hashes: Hashes, checkpoint: Type.String() }) },
    },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const { m, chain } = found;
    const c = req.query.size ? await checkpointAt(deps.db, m.id, chain, req.query.size) : await latestCheckpoint(deps.db, m.id, chain);
    if (!c) return noCheckpoint(req, reply, 'size');
    const { seq } = req.query;
    if (seq > c.size) return apiError(reply, 400, 'ledger.seq_beyond_size', req.t('platform.ledger.seqBeyondSize', { size: c.size }), { seq: req.t('platform.ledger.seqBeyondSize', { size: c.size }) });
    const hashes = await inclusionProof(deps.db, m.id, chain, seq, c.size);
    return { seq, index: seq - 1, size: c.size, hashes: hashes.map((h) => h.toString('base64')), checkpoint: await servedNote(deps, m, chain, c) };
  });

  app.get(`${BASE}/proof/consistency`, {
    schema: {
      tags, summary: 'RFC 9162 consistency proof from the tree of `from` entries to that of `to` (default: the latest checkpoint)', params: Params,
      querystring: Type.Object({ from: Size, to: Type.Optional(Size) }, { additionalProperties: false }),
      response: { 200: Type.Object({ from: Type.Integer(), to: Type.Integer(), hashes: Hashes, checkpoint: Type.String() }) },
    },
  }, async (req, reply) => {
    const found = await readable(deps, req);
    if (!found) return notFound(deps, req, reply);
    const { m, chain } = found;
    const c = req.query.to ? await checkpointAt(deps.db, m.id, chain, req.query.to) : await latestCheckpoint(deps.db, m.id, chain);
    if (!c) return noCheckpoint(req, reply, 'to');
    const { from } = req.query;
    if (from > c.size) return apiError(reply, 400, 'ledger.from_beyond_to', req.t('platform.ledger.fromBeyondTo', { size: c.size }), { from: req.t('platform.ledger.fromBeyondTo', { size: c.size }) });
    const hashes = await consistencyProof(deps.db, m.id, chain, from, c.size);
    return { from, to: c.size, hashes: hashes.map((h) => h.toString('base64')), checkpoint: await servedNote(deps, m, chain, c) };
  });
}
