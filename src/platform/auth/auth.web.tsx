import type { FastifyReply, FastifyRequest } from 'fastify';
import { rotateCsrf } from '../http/csrf.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { render } from '../http/render.tsx';
import { safeNext } from '../http/request-context.ts';
import { Button, ErrorSummary, Field, Form, type FormErrors } from '../views/components.tsx';
import { attempt, REGISTER, RESET, SIGN_IN } from './attempts.ts';
import { RegisterSchema, ResetRequestSchema, ResetSchema, SignInSchema } from './auth.schemas.ts';
import { register, requestPasswordReset, resetPassword, sendVerificationMail, signIn, verifyEmail } from './auth.service.ts';
import { tokenIsLive } from './auth.repo.ts';
import { IdentityButtons } from './identity/buttons.tsx';
import { SignInContext } from './sign-in-reasons.tsx';
import { createSession, destroySession, SESSION_COOKIE, SESSION_DAYS } from './sessions.ts';
import { Query, SingleLine, Text } from '../http/input.ts';

const LIMIT = (max: number, minutes: number) => ({ config: { rateLimit: { max, timeWindow: minutes * 60_000 } } });

/** Starts a session cookie for the user, with a new CSRF secret (tokens from before signing in stop working). */
export async function startSession(deps: Deps, req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const token = await createSession(deps.db, userId, req.ip, req.headers['user-agent'] ?? null);
  rotateCsrf(reply);
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.baseUrl.startsWith('https:'), maxAge: SESSION_DAYS * 86400,
  });
}

/** Refuses an attempt while its account or network address is locked: 429, Retry-After, and the form with the wait. */
function tooMany(req: FastifyRequest, reply: FastifyReply, seconds: number, key: string): FormErrors {
  reply.code(429).header('retry-after', String(seconds));
  return { email: req.t(key, { minutes: Math.ceil(seconds / 60) }) };
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
        <IdentityButtons />
        <p>{req.t('auth.register.haveAccount')} <a href={`/${req.locale}/account/sign-in`}>{req.t('auth.signIn.title')}</a></p>
      </>
    ),
    // A new address and one already in use get the same answer (no session either way): the mailed link
    // confirms a new account and signs in; the owner of an existing one is told by mail.
    handle: async (value, req, reply) => {
      const gate = await attempt(deps, REGISTER, { email: value.email, ip: req.ip });
      if (!gate.ok) return tooMany(req, reply, gate.retryAfterSeconds, 'auth.limit.mail');
      await register(deps, value, req.locale);
      return redirectWithFlash(reply, `/${req.locale}/account/check-email`, {
        kind: 'success', message: req.t('auth.register.checkMail', { email: value.email }),
      });
    },
  });

  app.get('/:locale/account/check-email', { schema: { hide: true } }, async (req, reply) => render(deps, req, reply, {
    title: req.t('auth.checkMail.title'),
    body: (
      <>
        <h1>{req.t('auth.checkMail.title')}</h1>
        <p class="lead">{req.t('auth.checkMail.body')}</p>
        <p>{req.t('auth.checkMail.noMail')}</p>
        <p>{req.t('auth.register.haveAccount')} <a href={`/${req.locale}/account/sign-in`}>{req.t('auth.signIn.title')}</a></p>
      </>
    ),
  }));

  formRoute(app, deps, {
    url: '/:locale/account/sign-in',
    query: Query({ next: SingleLine(500) }),
    schema: SignInSchema,
    title: (req) => req.t('auth.signIn.title'),
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
        <IdentityButtons next={safeNext(values.next, '') || null} />
        <p>{req.t('auth.signIn.noAccount')} <a href={`/${req.locale}/account/register`}>{req.t('auth.register.title')}</a></p>
      </>
    ),
    // Failures count per account and per network address; a success does not count and clears the account's.
    handle: async (value, req, reply) => {
      const gate = await attempt(deps, SIGN_IN, { email: value.email, ip: req.ip });
      if (!gate.ok) return tooMany(req, reply, gate.retryAfterSeconds, 'auth.limit.signIn');
      const result = await signIn(deps, value.email, value.password);
      if (result.kind === 'invalid') return { email: req.t('auth.signIn.invalid') };
      await gate.succeeded();
      await startSession(deps, req, reply, result.userId);
      return redirectWithFlash(reply, safeNext(value.next, `/${req.locale}/`), { kind: 'success', message: req.t('auth.signIn.done') });
    },
  });

  app.post('/:locale/account/sign-out', { schema: { hide: true } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await destroySession(deps.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    rotateCsrf(reply);
    return redirectWithFlash(reply, `/${req.locale}/`, { kind: 'info', message: req.t('auth.signOut.done') });
  });

  app.get('/:locale/account/verify', { schema: { hide: true, querystring: Query({ token: Text(200) }) } }, async (req, reply) => {
    const token = (req.query as { token?: string }).token ?? '';
    const result = token ? await verifyEmail(deps, token) : { kind: 'invalid_token' as const };
    if (result.kind === 'verified') {
      // Following the link proves the address: it is how a new account's first session starts.
      if (req.user?.id !== result.userId) await startSession(deps, req, reply, result.userId);
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
      const gate = await attempt(deps, RESET, { email: value.email, ip: req.ip });
      if (!gate.ok) return tooMany(req, reply, gate.retryAfterSeconds, 'auth.limit.mail');
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
