import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { Id, SingleLine } from '../http/input.ts';
import { onceKey } from '../idempotency/once.ts';
import { registerNotificationKinds } from '../notify/notify.service.ts';
import { AdminNav, municipalGuard } from '../tenancy/admin.web.tsx';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, type FormErrors } from '../views/components.tsx';
import { confirmInPerson, saveResidentWays } from './confirm.service.ts';
import { offeredGuard, wayNotOffered } from './residence.refusal.tsx';
import { DOCUMENT_TYPES, RESIDENT_WAYS } from './residence.tables.ts';
import { residentWaysFrom } from './residence.ways.ts';
import { registerRequestPages } from './request.web.tsx';
import { registerQueuePages } from './queue.web.tsx';
import { districtChoices, DistrictSelect, foreignDistrict } from './residence.districts.tsx';

registerNotificationKinds('residence.confirmed', 'residence.refused');

const WaysSchema = Type.Object({ ways: Type.Optional(Type.Array(Type.Enum([...RESIDENT_WAYS]), { maxItems: RESIDENT_WAYS.length })) });
const ConfirmSchema = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  documentType: Type.Enum([...DOCUMENT_TYPES]),
  documentNumber: SingleLine(60),
  districtId: Type.Optional(Id()),
});

/** The ways settings, the registrar's in-person confirmation, residents' requests and the registrars' queue. */
export function registerResidencePages(app: App, deps: Deps): void {
  const admin = municipalGuard(deps, 'municipality.manage');
  formRoute(app, deps, {
    url: '/:locale/:municipality/admin/residence',
    schema: WaysSchema,
    title: (req) => req.t('admin.residence'),
    guard: admin,
    initial: (req) => ({ ways: req.municipality!.resident_ways }),
    view: (req, { errors, values }) => {
      const t = req.t;
      const checked = Array.isArray(values.ways) ? values.ways.map(String) : typeof values.ways === 'string' ? [values.ways] : [];
      return (
        <>
          <h1>{t('admin.residence')}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={errors} />
          <p>{t('residence.ways.lead')}</p>
          <Form action={req.url.split('?')[0]!}>
            <Checkboxes name="ways" legend={t('residence.ways.legend')} hint={t('residence.ways.hint')} checked={checked} errors={errors}
              options={RESIDENT_WAYS.map((w) => ({ value: w, label: t(`residence.way.name.${w}`) }))} />
            <Button>{t('admin.save')}</Button>
          </Form>
        </>
      );
    },
    handle: async (v, req, reply) => {
      await saveResidentWays(deps, { id: req.user!.id, ip: req.ip }, req.municipality!, residentWaysFrom(v.ways ?? []));
      return redirectWithFlash(reply, req.url.split('?')[0]!, { kind: 'success', message: req.t('residence.ways.saved') });
    },
  });

  const registrar = municipalGuard(deps, 'residence.confirm');
  const inPerson = offeredGuard(deps, 'in_person');
  formRoute(app, deps, {
    url: '/:locale/:municipality/residence/confirm',
    schema: ConfirmSchema,
    title: (req) => req.t('residence.confirm.title'),
    guard: async (req, reply) => (await registrar(req, reply)) ?? inPerson(req, reply),
    view: async (req, { errors, values }) => {
      const t = req.t;
      const districts = await districtChoices(deps.db, req);
      return (
        <>
          <h1>{t('residence.confirm.title')}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={errors} />
          <p>{t('residence.confirm.lead')}</p>
          <Form action={req.url.split('?')[0]!} once>
            <Field name="email" type="email" label={t('field.email')} hint={t('residence.confirm.emailHint')} required autocomplete="off" errors={errors} values={values} />
            <Select name="documentType" label={t('residence.field.documentType')} value={String(values.documentType ?? 'passport')} errors={errors}
              options={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`residence.document.${d}`) }))} />
            <Field name="documentNumber" label={t('residence.field.documentNumber')} hint={t('residence.confirm.numberHint')} required autocomplete="off" maxLength={60} errors={errors} values={values} />
            <DistrictSelect req={req} choices={districts} none={t('residence.district.none')} hint={t('residence.district.confirmHint')} value={values.districtId} errors={errors} />
            <Button>{t('residence.confirm.submit')}</Button>
          </Form>
        </>
      );
    },
    handle: async (v, req, reply): Promise<FastifyReply | FormErrors> => {
      const m = req.municipality!;
      const r = await confirmInPerson(deps, { id: req.user!.id, ip: req.ip }, m, v, onceKey(req));
      const t = req.t;
      switch (r.kind) {
        case 'confirmed': return redirectWithFlash(reply, req.url.split('?')[0]!, { kind: 'success', message: t('residence.confirm.done', { email: v.email }) });
        case 'no_user': return { email: t('admin.noSuchUser') };
        case 'no_number': return { documentNumber: t('residence.confirm.noNumber') };
        case 'already': return { email: t('residence.confirm.already') };
        case 'document_used': return { documentNumber: t('residence.confirm.documentUsed') };
        case 'foreign_district': return foreignDistrict(req);
        case 'not_offered': return wayNotOffered(deps, req, reply, 'in_person');
      }
    },
  });

  registerRequestPages(app, deps);
  registerQueuePages(app, deps);
}
