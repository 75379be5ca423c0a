import type { FastifyReply } from 'fastify';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { LOCALES } from '../i18n/i18n.ts';
import { Button, ErrorSummary, Field, Form, Select, type FormErrors } from '../views/components.tsx';
import { startSession } from '../auth/auth.web.tsx';
import { tokenIsLive } from '../auth/auth.repo.ts';
import { CURRENCIES, SetupSchema } from './municipality.schemas.ts';
import { completeSetup } from './setup.service.ts';
import { Type } from 'typebox';
import { Query, Text } from '../http/input.ts';

const SetupForm = Type.Intersect([SetupSchema, Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) })]);

/** The one-time first-run page that creates the platform administrator and the first municipality. */
export function registerSetupPage(app: App, deps: Deps): void {
  formRoute(app, deps, {
    url: '/:locale/setup',
    query: Query({ token: Text(200) }),
    schema: SetupForm,
    title: (req) => req.t('setup.title'),
    guard: async (req, reply) => {
      const token = (req.query as { token?: string }).token ?? (req.body as { token?: string } | undefined)?.token ?? '';
      if (!token || !(await tokenIsLive(deps.db, token, 'setup'))) {
        return redirectWithFlash(reply, `/${req.locale}/`, { kind: 'error', message: req.t('setup.invalid') });
      }
    },
    initial: (req) => ({ token: (req.query as { token?: string }).token, defaultLocale: req.locale, population: 0, currency: 'UAH' }),
    view: (req, { errors, values }) => {
      const t = req.t;
      const f = { errors, values };
      return (
        <>
          <h1>{t('setup.title')}</h1>
          <p class="lead">{t('setup.lead')}</p>
          <ErrorSummary errors={errors} />
          <Form action={`/${req.locale}/setup`}>
            <input type="hidden" name="token" value={String(values.token ?? '')} />
            <h2>{t('setup.admin')}</h2>
            <Field name="fullName" label={t('field.fullName')} autocomplete="name" required {...f} />
            <Field name="email" type="email" label={t('field.email')} autocomplete="email" required {...f} />
            <Field name="password" type="password" label={t('field.password')} hint={t('auth.register.passwordHint')} autocomplete="new-password" required {...f} />
            <h2>{t('setup.association')}</h2>
            <Field name="associationName" label={t('field.associationName')} required {...f} />
            <h2>{t('setup.municipality')}</h2>
            <Field name="municipalityName" label={t('field.municipalityName')} required {...f} />
            <Field name="slug" label={t('field.slug')} hint={t('admin.slugHint')} required {...f} />
            <Field name="officialCode" label={t('field.officialCode')} hint={t('admin.officialCodeHint')} required {...f} />
            <Field name="population" label={t('field.population')} inputMode="numeric" required {...f} />
            <Field name="centerLat" label={t('field.centerLat')} inputMode="decimal" hint={t('admin.coordinatesHint')} required {...f} />
            <Field name="centerLng" label={t('field.centerLng')} inputMode="decimal" required {...f} />
            <Select name="defaultLocale" label={t('field.defaultLocale')} value={String(values.defaultLocale ?? req.locale)} errors={errors}
              options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))} />
            <Select name="currency" label={t('field.currency')} value={String(values.currency ?? 'UAH')} errors={errors}
              options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            <Button>{t('setup.submit')}</Button>
          </Form>
        </>
      );
    },
    handle: async (value, req, reply): Promise<FastifyReply | FormErrors> => {
      const result = await completeSetup(deps, value.token, value);
      if (result.kind === 'email_taken') return { email: req.t('setup.emailTaken') };
      if (result.kind === 'slug_taken') return { slug: req.t('admin.slugTaken') };
      if (result.kind === 'invalid_token') return redirectWithFlash(reply, `/${req.locale}/`, { kind: 'error', message: req.t('setup.invalid') });
      await startSession(deps, req, reply, result.userId);
      return redirectWithFlash(reply, `/${req.locale}/${value.slug}/`, { kind: 'success', message: req.t('setup.done') });
    },
  });
}
