import { Type } from 'typebox';
import type { App, Deps } from '../http/deps.ts';
import { findMunicipalityById } from '../tenancy/municipality.repo.ts';
import { chainVisible } from './chains.ts';
import { chainHeads } from './checkpoints.repo.ts';
import { chainVkeys, liveKeys, publishedKeys } from './log.ts';
import { originOf } from './checkpoint.ts';

/**
 * What a witness or an archive starts from: the installation's keys (with their history) at a well-known
 * address, and every public chain's newest checkpoint across all municipalities.
 */

export const KEYS_PATH = '/.well-known/hromada-ledger-keys.json';
const HEADS_PAGE = 100;
const Cursor = '^[0-9]{1,9}/[a-z][a-z0-9-]{0,30}:[A-Za-z0-9_:-]{1,100}$';

export function registerLedgerDirectory(app: App, deps: Deps): void {
  app.get(KEYS_PATH, {
    schema: {
      tags: ['ledger'], summary: 'The installation\'s ledger keys, past and present (Ed25519, raw public keys in base64)',
      response: { 200: Type.Object({
        log: Type.String({ description: 'The first part of every chain\'s origin: <log>/<municipality>/<chain>' }),
        keys: Type.Array(Type.Object({ generation: Type.Integer(), publicKey: Type.String(), createdAt: Type.String({ format: 'date-time' }), retiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) })),
        witnesses: Type.Array(Type.Object({ name: Type.String(), vkey: Type.String(), title: Type.String(), url: Type.Union([Type.String(), Type.Null()]) })),
      }) },
    },
  }, async (_req, reply) => {
    const keys = await publishedKeys(deps.db);
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    return { ...keys, witnesses: deps.config.ledgerWitnesses.map((w) => ({ name: w.name, vkey: w.vkey, title: w.title, url: w.url ?? null })) };
  });

  app.get('/api/v1/ledger/heads', {
    schema: {
      tags: ['ledger'], summary: 'The newest checkpoint of every public chain, for witnesses (Link rel="next" to the following page)',
      querystring: Type.Object({ after: Type.Optional(Type.String({ pattern: Cursor })), limit: Type.Integer({ minimum: 1, maximum: HEADS_PAGE, default: HEADS_PAGE }) }, { additionalProperties: false }),
      response: { 200: Type.Array(Type.Object({
        municipality: Type.String(), chain: Type.String(), origin: Type.String(), size: Type.Integer(), vkeys: Type.Array(Type.String()),
        checkpoint: Type.String(), consistency: Type.String(),
      })) },
    },
  }, async (req, reply) => {
    const [id, ...rest] = (req.query.after ?? '').split('/');
    const after = req.query.after ? { municipalityId: Number(id), chain: rest.join('/') } : null;
    const heads = await chainHeads(deps.db, after, req.query.limit);
    const { log, keys } = await publishedKeys(deps.db);
    const live = liveKeys(keys);
    const out = [];
    for (const h of heads) {
      const m = await findMunicipalityById(deps.db, h.municipalityId);
      if (!m || !(await chainVisible(deps.db, m, h.chain))) continue;
      const base = `${deps.config.baseUrl}/api/v1/${m.slug}/ledger/${h.chain}`;
      const origin = originOf(log, m.slug, h.chain);
      out.push({ municipality: m.slug, chain: h.chain, origin, size: h.size, vkeys: chainVkeys(origin, live), checkpoint: `${base}/checkpoint`, consistency: `${base}/proof/consistency` });
    }
    const last = heads.at(-1);
    if (heads.length === req.query.limit && last) reply.header('link', `</api/v1/ledger/heads?after=${last.municipalityId}/${last.chain}&limit=${req.query.limit}>; rel="next"`);
    return out;
  });
}
