import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import type { App, Deps } from '../http/deps.ts';
import { forbidden } from '../http/errors.tsx';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { parseBody } from '../http/forms.ts';
import { timeZoneOptions } from '../time/time-zones.ts';
import { render } from '../http/render.tsx';
import { redirectToSignIn } from '../http/request-context.ts';
import { LOCALES, localized } from '../i18n/i18n.ts';
import { allModules, enabledModules } from '../modules-registry.ts';
import { Button, ButtonLink, Checkboxes, ErrorSummary, Field, FileField, Form, NameFields, Select, type FormErrors, type FormValues } from '../views/components.tsx';
import { createMunicipality, setLogo, updateMunicipality } from './admin.service.ts';
import { readMultipartFile } from '../files/files.web.ts';
import { fileUrl, saveUpload, uploadMessage, type UploadProblem } from '../files/uploads.ts';
import { listMunicipalities } from './municipality.repo.ts';
import { CURRENCIES, MunicipalitySchema, nameValues, TIME_ZONES } from './municipality.schemas.ts';
import { can, type Subject } from './policy.ts';
import { onceKey } from '../idempotency/once.ts';

/** Stops the request unless the user may do `action` (sign-in redirect, or 403). */
export function requirePermission(deps: Deps, req: FastifyRequest, reply: FastifyReply, action: string, subject: Subject) {
  if (!req.user) return redirectToSignIn(req, reply);
  if (!can(req.user, action, subject)) return forbidden(deps, req, reply);
  return undefined;
}

/** A formRoute guard: stops the request unless the user holds `action` in the request's municipality. */
export const municipalGuard = (deps: Deps, action: string) => async (req: FastifyRequest, reply: FastifyReply) => {
  await requirePermission(deps, req, reply, action, { municipalityId: req.municipality!.id });
  if (reply.sent) return reply;
  return undefined;
};

function MunicipalityFields({ req, errors, values, isNew }: { req: FastifyRequest; errors: FormErrors; values: FormValues; isNew: boolean }) {
  const t = req.t;
  const f = { errors, values };
  const timeZones = timeZoneOptions(TIME_ZONES, req.locale, t, { zone: values.timeZone as string | undefined, language: (values.defaultLocale as string | undefined) ?? req.locale });
  return (
    <>
      <NameFields {...f} fixedSlug={!isNew} />
      <Field name="officialCode" label={t('field.officialCode')} hint={t('admin.officialCodeHint')} required {...f} />
      <Field name="population" label={t('field.population')} inputMode="numeric" required {...f} />
      <Field name="centerLat" label={t('field.centerLat')} hint={t('admin.coordinatesHint')} inputMode="decimal" required {...f} />
      <Field name="centerLng" label={t('field.centerLng')} inputMode="decimal" required {...f} />
      <Field name="zoom" label={t('field.zoom')} inputMode="numeric" required {...f} />
      <Select name="defaultLocale" label={t('field.defaultLocale')} value={String(values.defaultLocale ?? req.locale)} errors={errors}
        options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))} />
      <Select name="currency" label={t('field.currency')} value={String(values.currency ?? 'UAH')} errors={errors}
        options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
      <Select name="timeZone" label={t('field.timeZone')} value={String(values.timeZone ?? timeZones[0]!.value)} errors={errors} options={timeZones} />
      <Field name="host" label={t('field.host')} hint={t('admin.hostHint')} {...f} />
      <fieldset class="field-group">
        <legend>{t('admin.contact')}</legend>
        <p class="field__hint">{t('admin.contactHint')}</p>
        <Field name="contactEmail" type="email" label={t('field.contactEmail')} autocomplete="off" maxLength={254} {...f} />
        <Field name="contactPhone" type="tel" label={t('field.contactPhone')} inputMode="tel" maxLength={40} {...f} />
        <Field name="contactAddress" label={t('field.contactAddress')} maxLength={300} {...f} />
      </fieldset>
    </>
  );
}

function formValues(m: Municipality): FormValues {
  return {
    ...nameValues(m.names),
    slug: m.slug, officialCode: m.official_code, population: m.population, centerLat: m.center_lat, centerLng: m.center_lng,
    zoom: m.zoom, defaultLocale: m.default_locale, currency: m.currency, timeZone: m.time_zone, host: m.host ?? '',
    contactEmail: m.contact_email ?? '', contactPhone: m.contact_phone ?? '', contactAddress: m.contact_address ?? '',
    modules: m.enabled_modules,
  };
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** Administration home, new municipality and municipality settings. */
export function registerAdminPages(app: App, deps: Deps): void {
  app.get('/:locale/admin', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const t = req.t;
    const mine = (await listMunicipalities(deps.db)).map((m) => ({ m, sections: adminSections(req, m) })).filter((x) => x.sections.length > 0);
    const operator = can(req.user, 'platform.operate', { municipalityId: null });
    return render(deps, req, reply, {
      title: t('admin.title'),
      body: (
        <>
          <h1>{t('admin.title')}</h1>
          {mine.length === 0 && !operator && <p>{t('admin.nothing')}</p>}
          {mine.length > 0 && (
            <>
              <h2>{t('admin.municipalities')}</h2>
              <ul>{mine.map(({ m, sections }) => <li key={m.id}><a href={sections[0]![0]}>{localized(m.names, req.locale)}</a></li>)}</ul>
            </>
          )}
          {can(req.user, 'municipality.create', { municipalityId: null }) && (
            <p><ButtonLink href={`/${req.locale}/admin/municipalities/new`}>{t('admin.newMunicipality')}</ButtonLink></p>
          )}
          {operator && (
            <>
              <h2>{t('admin.platform')}</h2>
              <ul>
                <li><a href={`/${req.locale}/admin/jobs`}>{t('admin.jobs')}</a></li>
                <li><a href={`/${req.locale}/admin/audit`}>{t('admin.auditAll')}</a></li>
                <li><a href={`/${req.locale}/dev/outbox`}>{t('admin.outbox')}</a></li>
              </ul>
            </>
          )}
        </>
      ),
    });
  });

  formRoute(app, deps, {
    url: '/:locale/admin/municipalities/new',
    schema: MunicipalitySchema,
    title: (req) => req.t('admin.newMunicipality'),
    guard: (req, reply) => requirePermission(deps, req, reply, 'municipality.create', { municipalityId: null }),
    initial: (req) => ({ defaultLocale: req.locale, zoom: 13, population: 0 }),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('admin.newMunicipality')}</h1>
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/admin/municipalities/new`} once>
          <MunicipalityFields req={req} errors={errors} values={values} isNew />
          <Button>{req.t('admin.create')}</Button>
        </Form>
      </>
    ),
    handle: async (value, req, reply): Promise<FastifyReply | FormErrors> => {
      const r = await createMunicipality(deps, { id: req.user!.id, ip: req.ip }, value, onceKey(req, { municipalityId: 0 }));
      if (r.kind === 'slug_taken') return { slug: req.t('admin.slugTaken') };
      if (r.kind === 'host_taken') return { host: req.t('admin.hostTaken') };
      return redirectWithFlash(reply, `/${req.locale}/${r.slug}/admin`, { kind: 'success', message: req.t('admin.created') });
    },
  });

  const showSettings = (req: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: FormValues, status = 200) => {
    const m = req.municipality!;
    const t = req.t;
    const modules = allModules();
    return render(deps, req, reply, {
      title: t('admin.settings'),
      status,
      body: (
        <>
          <h1>{t('admin.settingsOf', { name: localized(m.names, req.locale) })}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={errors} />
          <Form action={`/${req.locale}/${m.slug}/admin`}>
            <MunicipalityFields req={req} errors={errors} values={values} isNew={false} />
            {modules.length > 0
              ? <Checkboxes name="modules" legend={t('admin.modules')} checked={asList(values.modules)}
                  options={modules.map((mod) => ({ value: mod.id, label: t(mod.nameKey) }))} />
              : <p class="muted">{t('admin.noModulesInstalled')}</p>}
            <Button>{t('admin.save')}</Button>
          </Form>
          <h2>{t('admin.logo')}</h2>
          {m.logo_file_id && <p><img src={fileUrl(m.logo_file_id)} alt={t('admin.currentLogo')} height={64} /></p>}
          <Form action={`/${req.locale}/${m.slug}/admin/logo`} multipart aria-label={t('admin.logo')}>
            <FileField name="logo" label={t('field.logo')} hint={t('admin.logoHint')} errors={errors} accept="image/png,image/jpeg,image/webp" />
            <Button variant="secondary">{t('admin.uploadLogo')}</Button>
          </Form>
        </>
      ),
    });
  };

  app.post('/:locale/:municipality/admin/logo', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const upload = await readMultipartFile(app, req, reply);
    const stop = requirePermission(deps, req, reply, 'municipality.manage', { municipalityId: m.id });
    if (stop) return stop;
    const again = (refusal: UploadProblem) =>
      showSettings(req, reply, { logo: uploadMessage(req.t, deps, req.t('field.logo'), 'image', refusal) }, formValues(m), 400);
    if (!upload) return again({ kind: 'missing' });
    if (upload.kind === 'too_large') return again(upload);
    const saved = await saveUpload(deps, { municipalityId: m.id, ownerId: req.user!.id, filename: upload.filename, data: upload.data, allowed: 'image' });
    if (saved.kind !== 'saved') return again(saved);
    await setLogo(deps, { id: req.user!.id, ip: req.ip }, m, saved.file.id);
    return redirectWithFlash(reply, `/${req.locale}/${m.slug}/admin`, { kind: 'success', message: req.t('admin.logoSaved') });
  });

  app.get('/:locale/:municipality/admin', { schema: { hide: true } }, async (req, reply) => {
    const stop = requirePermission(deps, req, reply, 'municipality.manage', { municipalityId: req.municipality!.id });
    return stop ?? showSettings(req, reply, {}, formValues(req.municipality!));
  });

  app.post('/:locale/:municipality/admin', { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const stop = requirePermission(deps, req, reply, 'municipality.manage', { municipalityId: m.id });
    if (stop) return stop;
    const body: Record<string, unknown> = { ...(req.body as Record<string, unknown>), slug: m.slug };
    const modules = asList((req.body as Record<string, unknown>).modules);
    delete body.modules;
    const parsed = parseBody(MunicipalitySchema, body, req.t);
    if (!parsed.ok) return showSettings(req, reply, parsed.errors, { ...parsed.values, modules }, 400);
    const r = await updateMunicipality(deps, { id: req.user!.id, ip: req.ip }, m, parsed.value, modules);
    if (r.kind === 'host_taken') return showSettings(req, reply, { host: req.t('admin.hostTaken') }, { ...body, modules }, 400);
    return redirectWithFlash(reply, `/${req.locale}/${m.slug}/admin`, { kind: 'success', message: req.t('admin.saved') });
  });
}

/** The administration sections of a municipality the user may open, each with the permission it needs. */
export function adminSections(req: FastifyRequest, m: Municipality): [string, string][] {
  const base = `/${req.locale}/${m.slug}/admin`;
  const sections: [string, string, string][] = [
    [base, req.t('admin.settings'), 'municipality.manage'],
    [`${base}/departments`, req.t('admin.departments'), 'department.manage'],
    [`${base}/districts`, req.t('admin.districts'), 'district.manage'],
    [`${base}/staff`, req.t('admin.staff'), 'staff.manage'],
    [`${base}/residents`, req.t('admin.residents'), 'residents.verify'],
    [`${base}/residence`, req.t('admin.residence'), 'municipality.manage'],
    [`/${req.locale}/${m.slug}/residence/confirm`, req.t('residence.confirm.title'), 'residence.confirm'],
    [`/${req.locale}/${m.slug}/residence/requests`, req.t('residence.queue.title'), 'residence.decide'],
    [`${base}/letters`, req.t('residence.letters.title'), 'residence.letters'],
    [`${base}/audit`, req.t('admin.audit'), 'audit.view'],
    ...enabledModules(m).filter((mod) => mod.settings)
      .map((mod): [string, string, string] => [`${base}/modules/${mod.id}`, req.t(mod.nameKey), 'municipality.manage']),
    ...enabledModules(m).flatMap((mod) => (mod.staffPages ?? [])
      .map((page): [string, string, string] => [`/${req.locale}/${m.slug}/${page.path}`, req.t(page.labelKey), page.action])),
  ];
  return sections.filter(([, , action]) => can(req.user, action, { municipalityId: m.id })).map(([href, label]) => [href, label]);
}

/** Links between the municipal administration pages, limited to what the user may open. */
export function AdminNav({ req }: { req: FastifyRequest }) {
  const links = adminSections(req, req.municipality!);
  const path = req.url.split('?')[0];
  return (
    <nav aria-label={req.t('admin.sections')} class="subnav">
      <ul class="actions">
        {links.map(([href, label]) => <li key={href}><a href={href} aria-current={path === href ? 'page' : undefined}>{label}</a></li>)}
      </ul>
    </nav>
  );
}
