import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { render } from '../http/render.tsx';
import { safeNext } from '../http/request-context.ts';
import { Button, ErrorSummary, Field, Form } from '../views/components.tsx';
import { RegisterSchema, ResetRequestSchema, ResetSchema, SignInSchema } from './auth.schemas.ts';
import { register, requestPasswordReset, resetPassword, sendVerificationMail, signIn, verifyEmail } from './auth.service.ts';
import { tokenIsLive } from './auth.repo.ts';
import { OidcButtons } from './oidc.web.tsx';
import { SignInContext } from './sign-in-reasons.tsx';
import { createSession, destroySession, SESSION_COOKIE, SESSION_DAYS } from './sessions.ts';

const LIMIT = (max: number, minutes: number) => ({ config: { rateLimit: { max, timeWindow: minutes * 60_000 } } });

/** Starts a session cookie for the user. */
export async function startSession(deps: Deps, req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const token = await createSession(deps.db, userId, req.ip, req.headers['user-agent'] ?? null);
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.baseUrl.startsWith('https:'), maxAge: SESSION_DAYS * 86400,
  });
}

/** Keeps the sign-in reason across a failed attempt (the form posts back to the same URL). */
const signInQuery = (req: FastifyRequest) => {
  const reason = (req.query as { reason?: unknown }).reason;
  return typeof reason === 'string' && /^[a-z][a-z0-9.-]{0,40}$/.test(reason) ? `?reason=${reason}` : '';
};

/** Registration, sign-in and out, e-mail verification and password reset. */
export function registerAuthPages(app: App, deps: Deps): void {
  formRoute(app, deps, {
    url: '/:locale/account/register',
    schema: RegisterSchema,
    title: (req) => req.t('auth.register.title'),
    postOptions: LIMIT(5, 10),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('auth.register.title')}</h1>
        <p class="lead">{req.t('auth.register.lead')}</p>
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/account/register`}>
          <Field name="fullName" label={req.t('field.fullName')} hint={req.t('auth.register.fullNameHint')} autocomplete="name" required errors={errors} values={values} />
          <Field name="email" type="email" label={req.t('field.email')} autocomplete="email" required errors={errors} values={values} />
          <Field name="password" type="password" label={req.t('field.password')} hint={req.t('auth.register.passwordHint')} autocomplete="new-password" required errors={errors} values={values} />
          <Button>{req.t('auth.register.submit')}</Button>
        </Form>
        <OidcButtons />
        <p>{req.t('auth.register.haveAccount')} <a href={`/${req.locale}/account/sign-in`}>{req.t('auth.signIn.title')}</a></p>
      </>
    ),
    handle: async (value, req, reply) => {
      const result = await register(deps, value, req.locale);
      if (result.kind === 'registered') await startSession(deps, req, reply, result.userId);
      return redirectWithFlash(reply, result.kind === 'registered' ? `/${req.locale}/account` : `/${req.locale}/account/sign-in`, {
        kind: 'success', message: req.t('auth.register.checkMail', { email: value.email }),
      });
    },
  });

  formRoute(app, deps, {
    url: '/:locale/account/sign-in',
    schema: SignInSchema,
    title: (req) => req.t('auth.signIn.title'),
    postOptions: LIMIT(10, 5),
    initial: (req) => ({ next: (req.query as { next?: string }).next }),
    view: async (req, { errors, values }) => (
      <>
        <h1>{req.t('auth.signIn.title')}</h1>
        {await SignInContext({ deps, req, next: values.next })}
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/account/sign-in${signInQuery(req)}`}>
          <input type="hidden" name="next" value={safeNext(values.next, '')} />
          <Field name="email" type="email" label={req.t('field.email')} autocomplete="email" required errors={errors} values={values} />
          <Field name="password" type="password" label={req.t('field.password')} autocomplete="current-password" required errors={errors} values={values} />
          <Button>{req.t('auth.signIn.submit')}</Button>
        </Form>
        <p><a href={`/${req.locale}/account/reset`}>{req.t('auth.signIn.forgot')}</a></p>
        <OidcButtons />
        <p>{req.t('auth.signIn.noAccount')} <a href={`/${req.locale}/account/register`}>{req.t('auth.register.title')}</a></p>
      </>
    ),
    handle: async (value, req, reply) => {
      const result = await signIn(deps, value.email, value.password);
      if (result.kind === 'invalid') return { email: req.t('auth.signIn.invalid') };
      await startSession(deps, req, reply, result.userId);
      return redirectWithFlash(reply, safeNext(value.next, `/${req.locale}/`), { kind: 'success', message: req.t('auth.signIn.done') });
    },
  });

  app.post('/:locale/account/sign-out', { schema: { hide: true } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await destroySession(deps.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectWithFlash(reply, `/${req.locale}/`, { kind: 'info', message: req.t('auth.signOut.done') });
  });

  app.get('/:locale/account/verify', { schema: { hide: true } }, async (req, reply) => {
    const token = (req.query as { token?: string }).token ?? '';
    const result = token ? await verifyEmail(deps, token) : { kind: 'invalid_token' as const };
    if (result.kind === 'verified') {
      return redirectWithFlash(reply, `/${req.locale}/account`, { kind: 'success', message: req.t('auth.verify.done') });
    }
    return render(deps, req, reply, {
      title: req.t('auth.verify.invalidTitle'),
      status: 400,
      body: (
        <>
          <h1>{req.t('auth.verify.invalidTitle')}</h1>
          <p>{req.t('auth.verify.invalidBody')}</p>
          <p><a href={`/${req.locale}/account`}>{req.t('auth.verify.toAccount')}</a></p>
        </>
      ),
    });
  });

  app.post('/:locale/account/verify/resend', { ...LIMIT(3, 10), schema: { hide: true } }, async (req, reply) => {
    const user = req.user;
    if (!user) return reply.redirect(`/${req.locale}/account/sign-in`, 303);
    if (user.email && !user.emailVerified) await sendVerificationMail(deps, user.id, user.email, req.locale);
    return redirectWithFlash(reply, `/${req.locale}/account`, { kind: 'success', message: req.t('auth.register.checkMail', { email: user.email ?? '' }) });
  });

  formRoute(app, deps, {
    url: '/:locale/account/reset',
    schema: ResetRequestSchema,
    title: (req) => req.t('auth.reset.title'),
    postOptions: LIMIT(5, 10),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('auth.reset.title')}</h1>
        <p class="lead">{req.t('auth.reset.lead')}</p>
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/account/reset`}>
          <Field name="email" type="email" label={req.t('field.email')} autocomplete="email" required errors={errors} values={values} />
          <Button>{req.t('auth.reset.submit')}</Button>
        </Form>
      </>
    ),
    handle: async (value, req, reply) => {
      await requestPasswordReset(deps, value.email, req.locale);
      return redirectWithFlash(reply, `/${req.locale}/account/sign-in`, { kind: 'info', message: req.t('auth.reset.sent', { email: value.email }) });
    },
  });

  formRoute(app, deps, {
    url: '/:locale/account/reset/:token',
    schema: ResetSchema,
    title: (req) => req.t('auth.reset.newTitle'),
    postOptions: LIMIT(10, 10),
    guard: async (req, reply) => {
      const { token } = req.params as { token: string };
      if (!(await tokenIsLive(deps.db, token, 'reset_password'))) {
        return redirectWithFlash(reply, `/${req.locale}/account/reset`, { kind: 'error', message: req.t('auth.reset.expired') });
      }
    },
    initial: (req) => ({ token: (req.params as { token: string }).token }),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('auth.reset.newTitle')}</h1>
        <ErrorSummary errors={errors} />
        <Form action={`/${req.locale}/account/reset/${encodeURIComponent(String((req.params as { token: string }).token))}`}>
          <input type="hidden" name="token" value={String(values.token ?? (req.params as { token: string }).token)} />
          <Field name="password" type="password" label={req.t('field.newPassword')} hint={req.t('auth.register.passwordHint')} autocomplete="new-password" required errors={errors} values={values} />
          <Button>{req.t('auth.reset.save')}</Button>
        </Form>
      </>
    ),
    handle: async (value, req, reply) => {
      const result = await resetPassword(deps, value.token, value.password);
      if (result.kind === 'invalid_token') return { password: req.t('auth.reset.expired') };
      await startSession(deps, req, reply, result.userId);
      return redirectWithFlash(reply, `/${req.locale}/account`, { kind: 'success', message: req.t('auth.reset.done') });
    },
  });
}
