import { Type } from 'typebox';
import type { PetitionStatus } from '../../../db/schema.ts';
import { fileUrl } from '../../../platform/files/uploads.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { countPetitions, listCategories, listEvents, listPetitions, type PetitionFilter } from '../petition.repo.ts';
import { PUBLIC_STATUSES, publicStatuses } from '../petition.service.ts';
import { chainName, filterCommitment } from '../signature.service.ts';
import { countSignatures, listInvalidations, sealedTally } from '../signature.repo.ts';
import { isoOrNull, petitionUrl, publicPetition } from './common.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const When = Nullable(Type.String({ format: 'date-time' }));
const Names = Type.Record(Type.String(), Type.String());
const Status = Type.Union(PUBLIC_STATUSES.map((s) => Type.Literal(s)));
const Params = Type.Object({ municipality: Type.String(), number: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) });

const Summary = Type.Object({
  number: Type.Integer(), title: Type.String(), status: Type.String(), category: Nullable(Type.Object({ slug: Type.String(), names: Names })),
  signatures: Type.Integer(), threshold: Nullable(Type.Integer()), publishedAt: When, closesAt: When, answeredAt: When,
  outcome: Nullable(Type.String()), url: Type.String(),
});

const Detail = Type.Object({
  number: Type.Integer(), title: Type.String(), body: Type.String(), status: Type.String(), author: Nullable(Type.String()),
  category: Nullable(Names), signatures: Type.Integer(), threshold: Nullable(Type.Integer()),
  submittedAt: When, publishedAt: When, closesAt: When, thresholdReachedAt: When, responseDueAt: When, answeredAt: When, closedAt: When,
  response: Nullable(Type.Object({ outcome: Type.String(), text: Type.String(), document: Nullable(Type.String()) })),
  rejectionReason: Nullable(Type.String()), closeReason: Nullable(Type.String()),
  timeline: Type.Array(Type.Object({ kind: Type.String(), at: Type.String({ format: 'date-time' }), note: Nullable(Type.String()) })),
  invalidations: Type.Array(Type.Object({
    id: Type.Integer({ description: 'The `invalidation` of its ledger entries' }), at: Type.String({ format: 'date-time' }), count: Type.Integer(), reason: Type.String(),
    filter: Nullable(Type.String({ description: 'The commitment to the filter used, as its ledger entries carry it (docs/LEDGER.md)' })),
  })),
  ledger: Type.Object({ chain: Type.String(), json: Type.String(), csv: Type.String() }),
  url: Type.String(),
});

const ListQuery = Type.Object({
  status: Type.Optional(Status),
  category: Type.Optional(Type.String({ maxLength: 100 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(Type.Union(['signatures', 'newest', 'ending', 'relevance'].map((s) => Type.Literal(s)))),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  perPage: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
}, { additionalProperties: false });

const tags = ['petitions'];

/** The public JSON API of petitions (docs/API.md): list, one petition, its live count. */
export function registerPetitionApi(app: App, deps: Deps): void {
  app.get('/api/v1/:municipality/petitions', {
    schema: {
      tags, summary: 'Public petitions of a municipality',
      params: Type.Object({ municipality: Type.String() }), querystring: ListQuery,
      response: { 200: Type.Object({ data: Type.Array(Summary), total: Type.Integer(), page: Type.Integer(), perPage: Type.Integer() }) },
    },
  }, async (req) => {
    const m = req.municipality!;
    const { status, category: slug, q, sort, page, perPage } = req.query;
    const visible = publicStatuses(m);
    const category = slug ? (await listCategories(deps.db, m.id)).find((c) => c.slug === slug) : undefined;
    // A hidden status or an unknown category matches nothing (rather than everything).
    if ((status && !visible.includes(status as PetitionStatus)) || (slug && !category)) return { data: [], total: 0, page, perPage };
    const filter: PetitionFilter = {
      statuses: status ? [status as PetitionStatus] : visible, categoryId: category?.id, q,
      sort: sort ?? (q ? 'relevance' : 'newest'), limit: perPage, offset: (page - 1) * perPage,
    };
    const [rows, total] = await Promise.all([listPetitions(deps.db, m.id, filter), countPetitions(deps.db, m.id, filter)]);
    return {
      total, page, perPage,
      data: rows.map((p) => ({
        number: p.number, title: p.title, status: p.status, signatures: Number(p.signatures), threshold: p.threshold,
        category: p.category_slug ? { slug: p.category_slug, names: p.category_names as Record<string, string> } : null,
        publishedAt: isoOrNull(p.published_at), closesAt: isoOrNull(p.closes_at), answeredAt: isoOrNull(p.answered_at),
        outcome: p.response_outcome, url: petitionUrl(deps.config.baseUrl, req, m, p.number),
      })),
    };
  });

  app.get('/api/v1/:municipality/petitions/:number', {
    schema: { tags, summary: 'One petition with its response, timeline and invalidations', params: Params, response: { 200: Detail } },
  }, async (req, reply) => {
    const m = req.municipality!;
    const p = await publicPetition(deps.db, m, req);
    if (!p) return notFound(deps, req, reply);
    const [signatures, events, invalidations] = await Promise.all([countSignatures(deps.db, p.id), listEvents(deps.db, p.id), listInvalidations(deps.db, p.id)]);
    const ledger = `${deps.config.baseUrl}/api/v1/${m.slug}/petitions/${p.number}/ledger`;
    return {
      number: p.number, title: p.title, body: p.body, status: p.status, author: p.author_name,
      category: (p.category_names as Record<string, string> | null) ?? null, signatures, threshold: p.threshold,
      submittedAt: isoOrNull(p.submitted_at), publishedAt: isoOrNull(p.published_at), closesAt: isoOrNull(p.closes_at),
      thresholdReachedAt: isoOrNull(p.threshold_reached_at), responseDueAt: isoOrNull(p.response_due_at),
      answeredAt: isoOrNull(p.answered_at), closedAt: isoOrNull(p.closed_at),
      response: p.status === 'answered' && p.response_outcome
        ? { outcome: p.response_outcome, text: p.response_text ?? '', document: p.response_file_id ? `${deps.config.baseUrl}${fileUrl(p.response_file_id)}` : null }
        : null,
      rejectionReason: p.status === 'rejected' ? p.rejection_reason : null,
      closeReason: p.status === 'closed' ? p.close_reason : null,
      timeline: events.map((e) => ({ kind: e.kind, at: new Date(e.created_at).toISOString(), note: e.kind === 'answered' ? null : e.note })),
      invalidations: invalidations.map((i) => ({
        id: i.id, at: new Date(i.created_at).toISOString(), count: i.count, reason: i.reason,
        filter: i.filter_salt ? filterCommitment(i.filter as Record<string, unknown>, i.filter_salt) : null,
      })),
      ledger: { chain: chainName(p.number), json: `${ledger}.json`, csv: `${ledger}.csv` },
      url: petitionUrl(deps.config.baseUrl, req, m, p.number),
    };
  });

  app.get('/api/v1/:municipality/petitions/:number/count', {
    // Polled by many during a rush and the same for all of them: served from the shared cache.
    config: { sharedCache: true },
    schema: {
      tags, summary: 'The live count of a petition, for polling', params: Params,
      response: { 200: Type.Object({ number: Type.Integer(), status: Type.String(), signatures: Type.Integer(), sealed: Type.Integer(), threshold: Nullable(Type.Integer()) }) },
    },
  }, async (req, reply) => {
    const p = await publicPetition(deps.db, req.municipality!, req);
    if (!p) return notFound(deps, req, reply);
    const [signatures, sealed] = await Promise.all([countSignatures(deps.db, p.id), sealedTally(deps.db, p.id)]);
    reply.header('cache-control', 'public, max-age=1');
    return { number: p.number, status: p.status, signatures, sealed, threshold: p.threshold };
  });
}
