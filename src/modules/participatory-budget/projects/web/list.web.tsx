import { randomInt } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { Page, Query, SingleLine, Text } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { normalizeQuery } from '../../../../platform/search/search.ts';
import { listDistricts } from '../../../../platform/tenancy/districts.repo.ts';
import { ButtonLink, EmptyState, FilterSelect, Pagination } from '../../../../platform/views/components.tsx';
import { Content, Name } from '../../../../platform/views/content.tsx';
import { MapView } from '../../../../platform/views/map.tsx';
import { countedCost } from '../../cost.ts';
import { cycleCategories } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { cyclePath, projectPath } from '../../paths.ts';
import { CycleNav } from '../../web/cycle-nav.tsx';
import { PhaseBanner } from '../../web/phase.tsx';
import { countProjects, listProjects, SORTS, STATUS_FILTERS, type ListedProject, type ProjectFilter, type Sort, type StatusFilter } from '../list.repo.ts';
import { acceptsProjects } from '../project.rules.ts';
import { loadCycle, money, newProjectPath, ProjectStatusTag } from './common.tsx';

const PER_PAGE = 20;
/**
 * Seeds of the random order run 1…SEED_MAX: enough that visitors see different orders, few enough that the
 * shared cache of anonymous pages (one entry per address) is still hit when many visitors browse at once.
 */
export const SEED_MAX = 10_000;

/**
 * The list's query. A status or order that is none of the list's is a 400 naming it, as is a seed that is not
 * one; a category or district the cycle does not have (any more), or a status or order it does not offer yet
 * (funded, by votes before the results), is left out, so an old link still shows the list.
 */
export const ListQuery = Query({
  q: SingleLine(200), category: Text(64), district: Text(64), status: Type.Enum([...STATUS_FILTERS]), sort: Type.Enum([...SORTS]),
  seed: Type.Integer({ minimum: 1, maximum: SEED_MAX }), page: Page,
});

interface ListParams { q?: string; category?: string; district?: string; status?: string; sort?: string; seed?: number; page?: number }

function ProjectItem({ req, cycle, r, results }: { req: FastifyRequest; cycle: Cycle; r: ListedProject; results: boolean }) {
  const t = req.t;
  return (
    <li class="report-item">
      <p class="report-item__meta">{t('pb.projects.number', { number: r.number })} · <ProjectStatusTag req={req} p={r} /> · <Name names={r.category_names} />
        {r.district_names && <> · <Name names={r.district_names} /></>}</p>
      <h2 class="report-item__title"><a href={projectPath(req, r.number)}><Content text={r.title} /></a></h2>
      {r.summary && <p><Content text={r.summary} /></p>}
      <p class="report-item__date">{t('pb.projects.list.cost', { amount: money(req, cycle, countedCost(r)) })}
        {results && r.votes !== null && ` · ${t('pb.projects.list.votes', { count: r.votes })}`}</p>
    </li>
  );
}

/** The public list of a cycle's projects with search, filters, sorting (random per visitor by default), paging and map. */
export function registerListPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/projects', { schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const m = req.municipality!;
    const t = req.t;
    const now = new Date();
    const query = req.query as ListParams;
    const [categories, districts] = await Promise.all([cycleCategories(deps.db, cycle.id), listDistricts(deps.db, m.id)]);
    const results = cycle.results_published_at !== null;
    const category = categories.find((c) => c.slug === query.category);
    const district = districts.find((d) => d.slug === query.district);
    const status = STATUS_FILTERS.find((s) => s === query.status && (results || (s !== 'funded' && s !== 'not_funded'))) as StatusFilter | undefined;
    const q = normalizeQuery(query.q);
    const offered = SORTS.filter((s) => (s !== 'votes' || results) && (s !== 'relevance' || q));
    const sort: Sort = offered.find((s) => s === query.sort) ?? (q ? 'relevance' : 'random');
    const base = `${cyclePath(req, cycle.number)}/projects`;
    const kept = Object.entries({ q: q || undefined, category: category?.slug, district: district?.slug, status, sort: query.sort ? sort : undefined })
      .filter((e): e is [string, string] => e[1] !== undefined);
    // The random order needs the visitor's seed in the address: a first visit gets one and is sent on, so every
    // page (and each of its links) is the same for all who hold that address and may come from the shared cache.
    if (sort === 'random' && !query.seed) {
      const to = `${base}?${new URLSearchParams([...kept, ['seed', String(randomInt(1, SEED_MAX + 1))], ...(query.page && query.page > 1 ? [['page', String(query.page)]] : [])])}`;
      return reply.header('cache-control', 'no-store').redirect(to, 302);
    }
    const seed = sort === 'random' ? query.seed! : undefined;
    const withSeed: [string, string][] = seed ? [...kept, ['seed', String(seed)]] : kept;
    const page = Math.max(1, query.page ?? 1);
    const filter: ProjectFilter = { cycleId: cycle.id, status, categoryId: category?.id, districtId: district?.id, q };
    const [rows, total] = await Promise.all([
      listProjects(deps.db, { ...filter, sort, seed: seed ?? 1, limit: PER_PAGE, offset: (page - 1) * PER_PAGE }), countProjects(deps.db, filter),
    ]);
    const hrefFor = (n: number) => `${base}?${new URLSearchParams([...withSeed, ...(n > 1 ? [['page', String(n)]] : [])])}`;
    const geo = `/api/v1/${m.slug}/participatory-budget/cycles/${cycle.number}/projects.geojson`;
    const geoQuery = new URLSearchParams(kept.filter(([k]) => k !== 'sort')).toString();
    return render(deps, req, reply, {
      title: t('pb.projects.list.title'),
      meta: { description: t('pb.projects.list.lead') },
      body: (
        <>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          <p class="eyebrow"><Content text={cycle.title} /></p>
          <h1>{t('pb.projects.list.title')}</h1>
          <p class="lead">{t('pb.projects.list.lead')}</p>
          {acceptsProjects(cycle, now) && <p class="actions"><ButtonLink href={newProjectPath(req, cycle.number)}>{t('pb.projects.list.propose')}</ButtonLink></p>}
          <form method="get" action={base} class="filters" aria-label={t('pb.projects.list.filters')} role="search">
            <div class="field"><label class="field__label" for="f-q">{t('pb.projects.list.search')}</label><input class="input" id="f-q" name="q" type="search" maxLength={200} value={q} /></div>
            {categories.length > 1 && <FilterSelect name="category" label={t('pb.projects.field.category')} anyLabel={t('pb.projects.list.anyCategory')} value={category?.slug}
              options={categories.map((c) => ({ value: c.slug, label: localized(c.names, req.locale) }))} />}
            {districts.length > 0 && <FilterSelect name="district" label={t('pb.projects.field.district')} anyLabel={t('pb.projects.list.anyDistrict')} value={district?.slug}
              options={districts.map((d) => ({ value: d.slug, label: localized(d.names, req.locale) }))} />}
            <FilterSelect name="status" label={t('pb.projects.list.status')} anyLabel={t('pb.projects.list.anyStatus')} value={status}
              options={STATUS_FILTERS.filter((s) => results || (s !== 'funded' && s !== 'not_funded')).map((s) => ({ value: s, label: t(`pb.projects.status.${s}`) }))} />
            <div class="field">
              <label class="field__label" for="f-sort">{t('pb.projects.list.sort')}</label>
              <select class="input" id="f-sort" name="sort">{offered.map((s) => <option key={s} value={s} selected={s === sort}>{t(`pb.projects.list.sortBy.${s}`)}</option>)}</select>
            </div>
            {seed && <input type="hidden" name="seed" value={String(seed)} />}
            <button class="button button--secondary" type="submit">{t('pb.projects.list.apply')}</button>
          </form>
          <MapView deps={deps} req={req} kind="points" geojson={geoQuery ? `${geo}?${geoQuery}` : geo} label={t('pb.projects.map.label')} />
          <p role="status">{t('pb.projects.list.found', { count: total })}</p>
          {rows.length === 0
            ? <EmptyState title={t('pb.projects.list.empty')} />
            : <ul class="report-list">{rows.map((r) => <ProjectItem key={r.number} req={req} cycle={cycle} r={r} results={results} />)}</ul>}
          <Pagination page={page} pages={Math.max(1, Math.ceil(total / PER_PAGE))} hrefFor={hrefFor} />
          {sort === 'random' && <p class="field__hint">{t('pb.projects.list.randomNote')}</p>}
          <p class="data-links"><a href={geoQuery ? `${geo}?${geoQuery}` : geo}>GeoJSON</a></p>
        </>
      ),
    });
  });
}
