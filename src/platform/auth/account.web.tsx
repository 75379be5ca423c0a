import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { rotateCsrf } from '../http/csrf.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { render } from '../http/render.tsx';
import { redirectToSignIn } from '../http/request-context.ts';
import { LOCALES, isLocale } from '../i18n/i18n.ts';
import { Button, ErrorSummary, Field, Form, Select, SummaryList, Tag, type FormErrors, type FormValues } from '../views/components.tsx';
import { DeleteAccountSchema, PasswordChangeSchema, ProfileSchema } from './auth.schemas.ts';
import { exportUserData, updateUser } from './auth.repo.ts';
import { changePassword, deleteAccount } from './auth.service.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { parseBody } from '../http/forms.ts';
import { birthDateSummary, registerBirthDatePage } from './birth-date.web.tsx';

const LOCALE_LABELS: Record<string, string> = { uk: 'Українська', 'sr-Cyrl': 'Српски (ћирилица)', 'sr-Latn': 'Srpski (latinica)', pl: 'Polski', en: 'English' };

function AccountPage({ req, errors, values, birthDate }: { req: FastifyRequest; errors: FormErrors; values: FormValues; birthDate: ComponentChildren }) {
  const u = req.user!;
  const t = req.t;
  const base = `/${req.locale}/account`;
  const level = u.identityVerified ? 'identity' : u.emailVerified ? 'email' : 'unverified';
  return (
    <>
      <h1>{t('account.title')}</h1>
      <ErrorSummary errors={errors} />
      <SummaryList items={[
        [t('field.email'), u.email ?? '—'],
        [t('account.verification'), <Tag tone={level === 'unverified' ? 'warning' : 'success'}>{t(`account.level.${level}`)}</Tag>],
        [t('field.birthDate'), birthDate],
      ]} />
      {!u.emailVerified && u.email && (
        <Form action={`${base}/verify/resend`}>
          <p>{t('account.unverifiedHint')}</p>
          <Button variant="secondary">{t('account.resend')}</Button>
        </Form>
      )}
      <h2>{t('account.profile')}</h2>
      <Form action={`${base}/profile`} aria-label={t('account.profile')}>
        <Field name="fullName" label={t('field.fullName')} autocomplete="name" required errors={errors} values={values} />
        <Select name="locale" label={t('field.locale')} value={String(values.locale ?? u.locale)} errors={errors}
          options={LOCALES.map((l) => ({ value: l, label: LOCALE_LABELS[l]! }))} />
        <Button>{t('account.save')}</Button>
      </Form>
      <h2>{t('account.password')}</h2>
      <Form action={`${base}/password`} aria-label={t('account.password')}>
        <Field name="currentPassword" type="password" label={t('field.currentPassword')} autocomplete="current-password" errors={errors} />
        <Field name="newPassword" type="password" label={t('field.newPassword')} hint={t('auth.register.passwordHint')} autocomplete="new-password" errors={errors} />
        <Button>{t('account.changePassword')}</Button>
      </Form>
      <h2>{t('account.data')}</h2>
      <p>{t('account.dataHint')}</p>
      <p><a href={`${base}/export.json`} download="hromada-my-data.json">{t('account.download')}</a></p>
      <p><a href={`${base}/notifications/settings`}>{t('account.notificationSettings')}</a></p>
      <h2>{t('account.delete')}</h2>
      <p><a href={`${base}/delete`}>{t('account.deleteLink')}</a></p>
    </>
  );
}

/** Profile, birth date, password, "download my data" and account deletion. */
export function registerAccountPages(app: App, deps: Deps): void {
  registerBirthDatePage(app, deps);
  const showAccount = async (req: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: FormValues, status = 200) =>
    render(deps, req, reply, { title: req.t('account.title'), status, body: <AccountPage req={req} errors={errors} values={values} birthDate={await birthDateSummary(deps, req)} /> });

  app.get('/:locale/account', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    return showAccount(req, reply, {}, { fullName: req.user.fullName, locale: req.user.locale });
  });

  app.post('/:locale/account/profile', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const parsed = parseBody(ProfileSchema, req.body, req.t);
    if (!parsed.ok) return showAccount(req, reply, parsed.errors, parsed.values, 400);
    await updateUser(deps.db, req.user.id, { full_name: parsed.value.fullName, locale: parsed.value.locale });
    const locale = isLocale(parsed.value.locale) ? parsed.value.locale : req.locale;
    return redirectWithFlash(reply, `/${locale}/account`, { kind: 'success', message: req.t('account.saved') });
  });

  app.post('/:locale/account/password', { config: { rateLimit: { max: 10, timeWindow: 600_000 } }, schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const values = { fullName: req.user.fullName, locale: req.user.locale };
    const parsed = parseBody(PasswordChangeSchema, req.body, req.t);
    if (!parsed.ok) return showAccount(req, reply, parsed.errors, values, 400);
    const result = await changePassword(deps, req.user.id, req.user.sessionId, parsed.value.currentPassword, parsed.value.newPassword);
    if (result === 'wrong_password') return showAccount(req, reply, { currentPassword: req.t('account.wrongPassword') }, values, 400);
    return redirectWithFlash(reply, `/${req.locale}/account`, { kind: 'success', message: req.t('account.passwordChanged') });
  });

  app.get('/:locale/account/export.json', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const data = await exportUserData(deps.db, req.user.id);
    return reply
      .header('content-disposition', 'attachment; filename="hromada-my-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ exportedAt: new Date().toISOString(), ...data }, null, 2));
  });

  formRoute(app, deps, {
    url: '/:locale/account/delete',
    schema: DeleteAccountSchema,
    title: (req) => req.t('account.delete'),
    guard: (req, reply) => (req.user ? undefined : redirectToSignIn(req, reply)),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('account.delete')}</h1>
        <p>{req.t('account.deleteExplain')}</p>
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/account/delete`}>
          <Field name="confirmEmail" label={req.t('field.confirmEmail')} hint={req.t('account.deleteHint', { email: req.user!.email ?? req.user!.fullName })} errors={errors} values={values} autocomplete="off" />
          <Button variant="danger">{req.t('account.deleteConfirm')}</Button>
        </Form>
      </>
    ),
    handle: async (value, req, reply) => {
      const result = await deleteAccount(deps, req.user!.id, value.confirmEmail);
      if (result === 'mismatch') return { confirmEmail: req.t('account.deleteMismatch') };
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      rotateCsrf(reply);
      return redirectWithFlash(reply, `/${req.locale}/`, { kind: 'info', message: req.t('account.deleted') });
    },
  });
}
