import type { App, Deps } from '../../../platform/http/deps.ts';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Content, Name } from '../../../platform/views/content.tsx';
import { ButtonLink, EmptyState, FilterSelect, Pagination } from '../../../platform/views/components.tsx';
import { useView } from '../../../platform/views/context.ts';
import { listDepartments } from '../../../platform/tenancy/municipality.repo.ts';
import { listDistricts } from '../../../platform/tenancy/districts.repo.ts';
import { countReports, listCategories, listReports, STATUS_GROUPS } from '../report.repo.ts';
import { reportsBase, ReportStatusTag } from './common.tsx';
import { MapView } from '../../../platform/views/map.tsx';
import { Query, Text, Page } from '../../../platform/http/input.ts';

const PER_PAGE = 25;
type Row = Awaited<ReturnType<typeof listReports>>[number];

function ReportItem({ r, base }: { r: Row; base: string }) {
  const { t, fmt } = useView();
  return (
    <li class="report-item">
      <p class="report-item__meta">{t('reports.number', { number: r.number })} · <ReportStatusTag status={r.status} /> · <Name names={r.category_names} /></p>
      <h2 class="report-item__title"><a href={`${base}/${r.number}`}><Content text={r.title} /></a></h2>
      <p class="report-item__date">{fmt.date(r.created_at)}{r.address ? <> · <Content text={r.address} /></> : ''}{r.supporters > 0 ? ` · ${t('reports.supporters', { count: r.supporters })}` : ''}</p>
    </li>
  );
}

/** The public list of a municipality's reports with filters and paging. */
export function registerReportListPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/reports', { schema: { hide: true, querystring: Query({ status: Text(20), category: Text(100), department: Text(20), district: Text(100), from: Text(20), to: Text(20), page: Page, photos: Text(10) }) } }, async (req, reply) => {
    const m = req.municipality!;
    const t = req.t;
    const query = req.query as { status?: string; category?: string; department?: string; district?: string; from?: string; to?: string; page?: string; photos?: string };
    const group = query.status && query.status in STATUS_GROUPS ? query.status : 'open';
    const [categories, departments, districts] = await Promise.all([listCategories(deps.db, m.id), listDepartments(deps.db, m.id), listDistricts(deps.db, m.id)]);
    const category = categories.find((c) => c.slug === query.category);
    const department = departments.find((d) => String(d.id) === query.department);
    const district = districts.find((d) => d.slug === query.district);
    // Dates are days in the filter (YYYY-MM-DD); anything else is ignored, as a filter that cannot be read.
    const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined);
    const from = day(query.from);
    const to = day(query.to);
    const page = Math.max(1, Math.min(10_000, Number.parseInt(query.page ?? '1', 10) || 1));
    const hasPhoto = query.photos === 'yes';
    const filter = {
      statuses: STATUS_GROUPS[group], categoryId: category?.id, departmentId: department?.id, districtId: district?.id, hasPhoto,
      since: from ? new Date(`${from}T00:00:00Z`) : undefined, until: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined,
    };
    const [rows, total] = await Promise.all([
      listReports(deps.db, m.id, { ...filter, limit: PER_PAGE, offset: (page - 1) * PER_PAGE }), countReports(deps.db, m.id, filter),
    ]);
    const base = reportsBase(req);
    const kept = Object.entries({ status: group, category: category?.slug, department: department ? String(department.id) : undefined, district: district?.slug, from, to, photos: hasPhoto ? 'yes' : undefined })
      .filter((e): e is [string, string] => e[1] !== undefined);
    const hrefFor = (n: number) => `${base}?${new URLSearchParams([...kept, ...(n > 1 ? [['page', String(n)]] : [])])}`;
    return render(deps, req, reply, {
      title: t('reports.name'),
      meta: {
        description: t('reports.web.lead'),
        feeds: [{ href: `${base}/feed.atom${district ? `?district=${district.slug}` : ''}`, title: t('reports.areas.feedTitle', { municipality: localized(district ? district.names : m.names, req.locale) }) }],
      },
      body: (
        <>
          <h1>{t('reports.name')}</h1>
          <p class="lead">{t('reports.web.lead')}</p>
          <p class="actions"><ButtonLink href={`${base}/new`}>{t('reports.web.new')}</ButtonLink> <a href={`${base}/performance`}>{t('reports.perf.title')}</a></p>
          <form method="get" action={base} class="filters" aria-label={t('reports.web.filters')}>
            <div class="field">
              <label class="field__label" for="f-status">{t('reports.web.status')}</label>
              <select class="input" id="f-status" name="status">
                {Object.keys(STATUS_GROUPS).map((g) => <option key={g} value={g} selected={g === group}>{t(`reports.web.group.${g}`)}</option>)}
              </select>
            </div>
            {categories.length > 0 && (
              <FilterSelect name="category" label={t('reports.web.category')} anyLabel={t('reports.web.anyCategory')} value={category?.slug}
                options={categories.map((c) => ({ value: c.slug, label: localized(c.names, req.locale) }))} />
            )}
            {departments.length > 0 && (
              <FilterSelect name="department" label={t('reports.staff.department')} anyLabel={t('reports.staff.allDepartments')} value={department ? String(department.id) : undefined}
                options={departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))} />
            )}
            {districts.length > 0 && (
              <FilterSelect name="district" label={t('reports.areas.district')} anyLabel={t('reports.web.anyDistrict')} value={district?.slug}
                options={districts.map((d) => ({ value: d.slug, label: localized(d.names, req.locale) }))} />
            )}
            <div class="field"><label class="field__label" for="f-from">{t('reports.web.from')}</label><input class="input" id="f-from" name="from" type="date" value={from ?? ''} /></div>
            <div class="field"><label class="field__label" for="f-to">{t('reports.web.to')}</label><input class="input" id="f-to" name="to" type="date" value={to ?? ''} /></div>
            <div class="checkbox"><input type="checkbox" id="f-photos" name="photos" value="yes" checked={hasPhoto} /><label for="f-photos">{t('reports.web.hasPhoto')}</label></div>
            <button class="button button--secondary" type="submit">{t('reports.web.apply')}</button>
          </form>
          <MapView deps={deps} req={req} kind="points" geojson={`/api/v1/${m.slug}/reports.geojson?status=open`} label={t('reports.map.label')} />
          <p role="status">{t('reports.web.found', { count: total })}</p>
          {rows.length === 0
            ? <EmptyState title={t('reports.web.empty')} />
            : <ul class="report-list">{rows.map((r) => <ReportItem key={r.number} r={r} base={base} />)}</ul>}
          <Pagination page={page} pages={Math.max(1, Math.ceil(total / PER_PAGE))} hrefFor={hrefFor} />
          <p class="data-links"><a href={`${base}/areas`}>{t('reports.areas.title')}</a> · <a href={`${base}/feed.atom${district ? `?district=${district.slug}` : ''}`}>{t('reports.areas.feed')}</a> · <a href={`/api/v1/${m.slug}/reports.geojson`}>GeoJSON</a></p>
        </>
      ),
    });
  });
}
