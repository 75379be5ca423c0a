import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { csvLine } from '../../../platform/http/csv.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { apiError } from '../../../platform/http/errors.tsx';
import { SHARED_PARAMS } from '../../../platform/http/input.ts';
import { ApiError } from '../../../platform/ops/openapi.ts';
import { findCycle } from '../cycle.repo.ts';
import type { Cycle } from '../pb.tables.ts';
import type { Paging } from './data.repo.ts';

/**
 * A cycle's dataset published as JSON and CSV from the same items, so the two never differ: paged (`page`,
 * `perPage`; a full page links the next with `Link: rel="next"`), cached a minute by browsers and shared caches,
 * readable from any origin, and refused with a stable code where the cycle or the dataset is not public.
 */
export interface Dataset<Item> {
  /** The file name before the extension: `projects`. */
  name: string;
  summary: string;
  item: TSchema;
  /** The CSV's columns (stable names) and an item's cells in that order. */
  columns: readonly string[];
  cells(item: Item): unknown[];
  /** The page of items, or why the dataset is not public yet (a translated message). */
  load(req: FastifyRequest, cycle: Cycle, page: Paging): Promise<{ items: Item[]; total: number } | { notYet: string }>;
}

export const tags = ['participatory-budget'];
export const CACHE = 'public, max-age=60';
export const PbParams = Type.Object({ municipality: SHARED_PARAMS.municipality!, number: SHARED_PARAMS.number! });

const Paged = (perPage: number, max: number) => Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  perPage: Type.Integer({ minimum: 1, maximum: max, default: perPage }),
}, { additionalProperties: false });

const notPublic = { ...ApiError, description: 'No published cycle of that number (not_found), or the dataset is not public yet (not_yet_public: ballots once voting has closed, results once published)' };

/** Sets what every open-data answer of the module carries. */
export const openData = (reply: FastifyReply) => reply.header('cache-control', CACHE).header('access-control-allow-origin', '*');

/** A published cycle of the request's municipality by the route's number, or undefined. */
export async function publishedCycle(deps: Deps, req: FastifyRequest): Promise<Cycle | undefined> {
  const c = await findCycle(deps.db, req.municipality!.id, (req.params as { number: number }).number);
  return c?.status === 'published' ? c : undefined;
}

/** Registers `cycles/:number/<name>.json` and `.csv` under the municipality's participatory-budget API. */
export function registerDataset<Item>(app: App, deps: Deps, d: Dataset<Item>): void {
  for (const ext of ['json', 'csv'] as const) {
    const path = `/api/v1/:municipality/participatory-budget/cycles/:number/${d.name}.${ext}`;
    app.get(path, {
      config: { sharedCache: true },
      schema: {
        tags, summary: `${d.summary} (${ext.toUpperCase()})`, params: PbParams, querystring: ext === 'json' ? Paged(100, 1000) : Paged(50_000, 50_000),
        response: {
          200: ext === 'json'
            ? Type.Object({ data: Type.Array(d.item), total: Type.Integer(), page: Type.Integer(), perPage: Type.Integer() }, { description: 'One page of the dataset' })
            : { description: `One line a row: ${d.columns.join(', ')}. Money in minor units (kopiykas, grosze, pare).`, content: { 'text/csv': { schema: Type.String() } } },
          404: notPublic,
        },
      },
    }, async (req, reply) => {
      const m = req.municipality!;
      const cycle = await publishedCycle(deps, req);
      if (!cycle) return apiError(reply, 404, 'not_found', req.t('platform.error.notFound.title'));
      const { page, perPage } = req.query as { page: number; perPage: number };
      const loaded = await d.load(req, cycle, { limit: perPage, offset: (page - 1) * perPage });
      if ('notYet' in loaded) return apiError(reply, 404, 'not_yet_public', loaded.notYet);
      openData(reply);
      if (page * perPage < loaded.total) reply.header('link', `</api/v1/${m.slug}/participatory-budget/cycles/${cycle.number}/${d.name}.${ext}?page=${page + 1}&perPage=${perPage}>; rel="next"`);
      if (ext === 'json') return { data: loaded.items, total: loaded.total, page, perPage };
      const body = `\uFEFF${csvLine([...d.columns])}${loaded.items.map((i) => csvLine(d.cells(i))).join('')}`;
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${m.slug}-pb-${cycle.number}-${d.name}${page > 1 ? `-${page}` : ''}.csv"`).send(body);
    });
  }
}
