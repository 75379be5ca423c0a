import { sendPageFeed } from '../../../platform/feeds/atom.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { contentPart, contentText } from '../../../platform/views/content.tsx';
import { listEvents, listPetitions } from '../petition.repo.ts';
import { publicStatuses } from '../petition.service.ts';
import { sendCsv } from '../../../platform/http/csv.ts';
import { isoOrNull, petitionUrl, publicPetition } from './common.ts';
import { latestResponses } from './data.repo.ts';

/** Rows in one CSV download; a municipality with more petitions gets the newest this many. */
const CSV_LIMIT = 50_000;
const FEED_SIZE = 50;

const CSV_COLUMNS = ['number', 'title', 'status', 'category', 'published', 'closes', 'signatures', 'threshold', 'answered', 'outcome', 'url'] as const;

/** Open data outside the JSON API: all public petitions as CSV, and Atom feeds of new petitions, responses and one petition. */
export function registerPetitionExports(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/petitions.csv', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const t = req.t;
    const rows = await listPetitions(deps.db, m.id, { statuses: publicStatuses(m), sort: 'newest', limit: CSV_LIMIT, offset: 0 });
    return sendCsv(reply, `${m.slug}-petitions-${req.locale}.csv`, CSV_COLUMNS.map((c) => t(`petitions.data.csv.${c}`)), rows.map((p) => [
      p.number, p.title, t(`petitions.status.${p.status}`), p.category_names ? localized(p.category_names, req.locale) : '',
      isoOrNull(p.published_at), isoOrNull(p.closes_at), Number(p.signatures), p.threshold, isoOrNull(p.answered_at),
      p.response_outcome ? t(`petitions.outcome.${p.response_outcome}`) : '', petitionUrl(deps.config.baseUrl, req, m, p.number),
    ]));
  });

  app.get('/:locale/:municipality/petitions/feed.atom', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const rows = await listPetitions(deps.db, m.id, { statuses: publicStatuses(m), sort: 'newest', limit: FEED_SIZE, offset: 0 });
    return sendPageFeed(req, reply, deps.config.baseUrl, req.t('petitions.data.feedNew', { municipality: localized(m.names, req.locale) }), `/${req.locale}/${m.slug}/petitions`,
      rows.map((p) => ({
        id: `${deps.config.baseUrl}/${m.slug}/petitions/${p.number}`, title: [contentPart(req, p.title)],
        updated: new Date(p.published_at ?? p.created_at), link: petitionUrl(deps.config.baseUrl, req, m, p.number),
        summary: req.t(`petitions.status.${p.status}`),
      })));
  });

  app.get('/:locale/:municipality/petitions/responses.atom', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const rows = await latestResponses(deps.db, m.id, FEED_SIZE);
    return sendPageFeed(req, reply, deps.config.baseUrl, req.t('petitions.data.feedResponses', { municipality: localized(m.names, req.locale) }), `/${req.locale}/${m.slug}/petitions?status=answered`,
      rows.map((p) => ({
        id: `${deps.config.baseUrl}/${m.slug}/petitions/${p.number}/response`, title: [`${req.t(`petitions.outcome.${p.response_outcome}`)}: `, contentPart(req, p.title)],
        updated: new Date(p.answered_at), link: petitionUrl(deps.config.baseUrl, req, m, p.number), summary: p.response_text ? [contentPart(req, p.response_text)] : '',
      })));
  });

  app.get('/:locale/:municipality/petitions/:number/feed.atom', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const p = await publicPetition(deps.db, m, req);
    if (!p) return notFound(deps, req, reply);
    const events = await listEvents(deps.db, p.id);
    const link = petitionUrl(deps.config.baseUrl, req, m, p.number);
    return sendPageFeed(req, reply, deps.config.baseUrl, contentText(req, p.title), `/${req.locale}/${m.slug}/petitions/${p.number}`,
      events.map((e) => ({
        id: `${deps.config.baseUrl}/${m.slug}/petitions/${p.number}/events/${e.id}`, title: req.t(`petitions.event.${e.kind}`),
        updated: new Date(e.created_at), link, ...(e.note ? { summary: [contentPart(req, e.note)] } : {}),
      })));
  });
}
