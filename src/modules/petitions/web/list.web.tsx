import type { PetitionStatus } from '../../../db/schema.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Content, Name } from '../../../platform/views/content.tsx';
import { ButtonLink, EmptyState, Pagination } from '../../../platform/views/components.tsx';
import { useView } from '../../../platform/views/context.ts';
import { can } from '../../../platform/tenancy/policy.ts';
import { countPetitions, listCategories, listPetitions, type PetitionFilter } from '../petition.repo.ts';
import { publicStatuses } from '../petition.service.ts';
import { petitionSettings } from '../petition.settings.ts';
import { SignatureProgress, StatusTag } from '../petition.views.tsx';
import { petitionsBase } from './common.tsx';
import { Query, Text, Page } from '../../../platform/http/input.ts';

const PER_PAGE = 20;
const SORTS = ['signatures', 'newest', 'ending', 'relevance'] as const;
type Row = Awaited<ReturnType<typeof listPetitions>>[number];

interface Query { q?: string; status?: string; category?: string; sort?: string; page?: string }

function PetitionItem({ p, base }: { p: Row; base: string }) {
  const { t, fmt } = useView();
  return (
    <li class="petition-item">
      <p class="petition-item__meta">{t('petitions.number', { number: p.number })} · <StatusTag status={p.status} />
        {p.category_names && <> · <Name names={p.category_names} /></>}</p>
      <h2 class="petition-item__title"><a href={`${base}/${p.number}`}><Content text={p.title} /></a></h2>
      {p.status !== 'draft' && p.status !== 'moderation' && (
        <SignatureProgress count={Number(p.signatures)} threshold={p.threshold} closesAt={p.closes_at} status={p.status} />
      )}
      {p.published_at && <p class="petition-item__date">{t('petitions.web.publishedOn', { date: fmt.date(p.published_at) })}</p>}
    </li>
  );
}

/** The public list with search, filters, sorting and paging; and "my petitions". */
export function registerListPages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/petitions', { schema: { hide: true, querystring: Query({ q: Text(200), status: Text(30), category: Text(100), sort: Text(20), page: Page }) } }, async (req, reply) => {
    const m = req.municipality!;
    const query = req.query as Query;
    const t = req.t;
    const settings = petitionSettings(m);
    const visible = publicStatuses(m);
    const status = visible.includes(query.status as PetitionStatus) ? (query.status as PetitionStatus) : undefined;
    const categories = await listCategories(deps.db, m.id);
    const category = categories.find((c) => c.slug === query.category);
    const q = (query.q ?? '').slice(0, 200);
    const sort = SORTS.find((s) => s === query.sort) ?? (q ? 'relevance' : 'signatures');
    const page = Math.max(1, Math.min(10_000, Number.parseInt(query.page ?? '1', 10) || 1));
    const filter: PetitionFilter = { statuses: status ? [status] : visible, categoryId: category?.id, q, sort, limit: PER_PAGE, offset: (page - 1) * PER_PAGE };
    const [rows, total] = await Promise.all([listPetitions(deps.db, m.id, filter), countPetitions(deps.db, m.id, filter)]);
    const base = petitionsBase(req);
    const params = (n: number) => {
      const sp = new URLSearchParams();
      if (q) sp.set('q', q);
      if (status) sp.set('status', status);
      if (category) sp.set('category', category.slug);
      if (query.sort) sp.set('sort', sort);
      if (n > 1) sp.set('page', String(n));
      const s = sp.toString();
      return s ? `${base}?${s}` : base;
    };
    const where = localized(m.names, req.locale);
    return render(deps, req, reply, {
      title: t('petitions.name'),
      meta: {
        description: t('petitions.web.lead', { threshold: settings.threshold, days: settings.periodDays }),
        feeds: [
          { href: `${base}/feed.atom`, title: t('petitions.data.feedNew', { municipality: where }) },
          { href: `${base}/responses.atom`, title: t('petitions.data.feedResponses', { municipality: where }) },
        ],
      },
      body: (
        <>
          <h1>{t('petitions.name')}</h1>
          <p class="lead">{t('petitions.web.lead', { threshold: settings.threshold, days: settings.periodDays })}</p>
          <p class="actions">
            <ButtonLink href={`${base}/new`}>{t('petitions.web.start')}</ButtonLink>
            {req.user && <a href={`${base}/mine`}>{t('petitions.web.mine')}</a>}
            {can(req.user, 'petitions.dashboard', { municipalityId: m.id }) && <a href={`${base}/staff`}>{t('petitions.staffHome')}</a>}
          </p>
          <form method="get" action={base} class="filters" role="search" aria-label={t('petitions.web.searchLabel')}>
            <div class="field">
              <label class="field__label" for="f-q">{t('petitions.web.search')}</label>
              <input class="input" id="f-q" name="q" type="search" value={q} maxLength={200} />
            </div>
            <div class="field">
              <label class="field__label" for="f-status">{t('petitions.web.status')}</label>
              <select class="input" id="f-status" name="status">
                <option value="">{t('petitions.web.anyStatus')}</option>
                {visible.map((s) => <option key={s} value={s} selected={s === status}>{t(`petitions.status.${s}`)}</option>)}
              </select>
            </div>
            {categories.length > 0 && (
              <div class="field">
                <label class="field__label" for="f-category">{t('petitions.web.category')}</label>
                <select class="input" id="f-category" name="category">
                  <option value="">{t('petitions.web.anyCategory')}</option>
                  {categories.map((c) => <option key={c.id} value={c.slug} selected={c.id === category?.id}>{localized(c.names, req.locale)}</option>)}
                </select>
              </div>
            )}
            <div class="field">
              <label class="field__label" for="f-sort">{t('petitions.web.sort')}</label>
              <select class="input" id="f-sort" name="sort">
                {SORTS.map((s) => <option key={s} value={s} selected={s === sort}>{t(`petitions.web.sort.${s}`)}</option>)}
              </select>
            </div>
            <button class="button button--secondary" type="submit">{t('petitions.web.apply')}</button>
          </form>
          <p role="status">{t('petitions.web.found', { count: total })}</p>
          {rows.length === 0
            ? <EmptyState title={t('petitions.web.empty')}><p>{t('petitions.web.emptyHint')}</p></EmptyState>
            : <ul class="petition-list">{rows.map((p) => <PetitionItem key={p.id} p={p} base={base} />)}</ul>}
          <Pagination page={page} pages={Math.max(1, Math.ceil(total / PER_PAGE))} hrefFor={params} />
          <p class="data-links">
            <a href={`${base}/feed.atom`}>{t('petitions.web.feedNew')}</a> · <a href={`${base}/responses.atom`}>{t('petitions.web.feedResponses')}</a> · <a href={`/${req.locale}/${m.slug}/petitions.csv`}>{t('petitions.web.csv')}</a> · <a href={`/api/v1/${m.slug}/petitions`}>JSON</a>
          </p>
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/petitions/mine', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const m = req.municipality!;
    const rows = await listPetitions(deps.db, m.id, { statuses: [], authorId: req.user.id, sort: 'newest', limit: 200, offset: 0 });
    const base = petitionsBase(req);
    return render(deps, req, reply, {
      title: req.t('petitions.web.mine'),
      body: (
        <>
          <h1>{req.t('petitions.web.mine')}</h1>
          <p><ButtonLink href={`${base}/new`}>{req.t('petitions.web.start')}</ButtonLink></p>
          {rows.length === 0
            ? <EmptyState title={req.t('petitions.web.mineEmpty')} />
            : <ul class="petition-list">{rows.map((p) => <PetitionItem key={p.id} p={p} base={base} />)}</ul>}
        </>
      ),
    });
  });
}
