import { Type } from 'typebox';
import type { App, Deps } from '../http/deps.ts';
import { render } from '../http/render.tsx';
import { localized, negotiateLocale } from '../i18n/i18n.ts';
import { enabledModules } from '../modules-registry.ts';
import { Card, EmptyState, SummaryList } from '../views/components.tsx';
import { Name } from '../views/content.tsx';
import { listDepartments, listMunicipalities } from './municipality.repo.ts';

const MunicipalityJson = Type.Object({
  slug: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  officialCode: Type.String(),
  population: Type.Integer(),
  center: Type.Object({ lat: Type.Number(), lng: Type.Number(), zoom: Type.Integer() }),
  defaultLocale: Type.String(),
  currency: Type.String(),
  enabledModules: Type.Array(Type.String()),
  url: Type.String(),
});

/** The association home, each municipality's home, and the public list of municipalities. */
export function registerHomePages(app: App, deps: Deps): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => reply.redirect(`/${negotiateLocale(req.headers['accept-language'])}/`, 302));

  app.get('/:locale', { schema: { hide: true } }, async (req, reply) => reply.redirect(`/${req.locale}/`, 301));

  app.get('/:locale/', { schema: { hide: true } }, async (req, reply) => {
    const list = await listMunicipalities(deps.db);
    const t = req.t;
    return render(deps, req, reply, {
      title: t('home.title'),
      body: (
        <>
          <div class="page-header">
            <h1>{t('home.title')}</h1>
            <p class="lead">{t('home.lead')}</p>
          </div>
          <h2>{t('home.municipalities', { count: list.length })}</h2>
          {list.length === 0
            ? <EmptyState title={t('home.empty')} />
            : (
              <ul class="cards grid">
                {list.map((m) => (
                  <li key={m.id}>
                    <Card title={<Name names={m.names} />} href={`/${req.locale}/${m.slug}/`} headingLevel={3}>
                      <p class="muted">{t('home.population', { count: m.population })}</p>
                      <p>{t('home.services', { count: m.enabled_modules.length })}</p>
                    </Card>
                  </li>
                ))}
              </ul>
            )}
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const t = req.t;
    const [departments, mods] = [await listDepartments(deps.db, m.id), enabledModules(m)];
    const name = localized(m.names, req.locale);
    return render(deps, req, reply, {
      title: name,
      body: (
        <>
          <div class="page-header">
            <h1><Name names={m.names} /></h1>
            <p class="lead">{t('municipality.lead', { name })}</p>
          </div>
          <h2>{t('municipality.services')}</h2>
          {mods.length === 0
            ? <EmptyState title={t('municipality.noServices')} />
            : (
              <ul class="cards grid">
                {mods.map((mod) => (
                  <li key={mod.id}>
                    <Card title={t(mod.nameKey)} href={`/${req.locale}/${m.slug}/${mod.id}`} headingLevel={3}>
                      <p>{t(mod.summaryKey)}</p>
                    </Card>
                  </li>
                ))}
              </ul>
            )}
          <h2>{t('municipality.about')}</h2>
          <SummaryList items={[
            [t('municipality.population'), req.fmt.number(m.population)],
            [t('municipality.officialCode'), m.official_code],
            [t('municipality.departments'), departments.length ? departments.map((d, i) => <>{i > 0 && ', '}<Name names={d.names} /></>) : '—'],
          ]} />
        </>
      ),
    });
  });

  app.get('/api/v1/municipalities', {
    schema: {
      tags: ['platform'],
      summary: 'Municipalities of the association',
      response: { 200: Type.Object({ data: Type.Array(MunicipalityJson) }) },
    },
  }, async () => {
    const list = await listMunicipalities(deps.db);
    return {
      data: list.map((m) => ({
        slug: m.slug,
        names: m.names as Record<string, string>,
        officialCode: m.official_code,
        population: m.population,
        center: { lat: m.center_lat, lng: m.center_lng, zoom: m.zoom },
        defaultLocale: m.default_locale,
        currency: m.currency,
        enabledModules: m.enabled_modules,
        url: `${deps.config.baseUrl}/${m.default_locale}/${m.slug}/`,
      })),
    };
  });
}
