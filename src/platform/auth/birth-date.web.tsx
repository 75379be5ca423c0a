import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { formRoute } from '../http/form-route.tsx';
import { SingleLine } from '../http/input.ts';
import { redirectToSignIn } from '../http/request-context.ts';
import { Banner, Button, ErrorSummary, Field, Form, type FormErrors } from '../views/components.tsx';
import { birthDateProblem, latestDay } from './age.ts';
import { declareBirthDate, findBirthDate } from './auth.repo.ts';
import { providerName } from './identity/finish.ts';

const BirthDateSchema = Type.Object({ birthDate: SingleLine(20) });

/** A calendar date (`YYYY-MM-DD`) in the reader's language, the same day in every time zone. */
export const formatCalendarDay = (req: FastifyRequest, day: string) => req.fmt.date(`${day}T12:00:00Z`);

/** Whose word a birth date from an identity provider is: the provider's name where it is still configured. */
export function birthDateProvider(deps: Deps, req: FastifyRequest, providerId: string | null): string {
  const provider = deps.config.identityProviders.find((p) => p.id === providerId);
  return provider ? providerName(provider, req.locale) : req.t('account.birthDate.someProvider');
}

/** The person's birth date on the account page (the date and whose word it is, or that none is given), linked to its page. */
export async function birthDateSummary(deps: Deps, req: FastifyRequest): Promise<ComponentChildren> {
  const t = req.t;
  const row = await findBirthDate(deps.db, req.user!.id);
  const date = row?.birth_date ? formatCalendarDay(req, row.birth_date) : '';
  const [text, action] = !row?.birth_date ? [t('account.birthDate.none'), 'add']
    : row.birth_date_source === 'identity'
      ? [t('account.birthDate.confirmedShort', { date, provider: birthDateProvider(deps, req, row.identity_provider) }), 'view']
      : [t('account.birthDate.declaredShort', { date }), 'change'];
  return <>{text} <a href={`/${req.locale}/account/birth-date`}>{t(`account.birthDate.${action}`)}</a></>;
}

/**
 * `/account/birth-date`: a signed-in person gives their birth date (for age rules such as the participatory
 * budget's), or sees the one an identity provider vouched for, which only the provider changes. Like the
 * other changes to one's own profile, it is not audited.
 */
export function registerBirthDatePage(app: App, deps: Deps): void {
  const url = '/:locale/account/birth-date';
  formRoute(app, deps, {
    url,
    schema: BirthDateSchema,
    title: (req) => req.t('account.birthDate.title'),
    guard: (req, reply) => (req.user ? undefined : redirectToSignIn(req, reply)),
    initial: async (req) => {
      const row = await findBirthDate(deps.db, req.user!.id);
      return { birthDate: row?.birth_date ?? undefined };
    },
    view: async (req, { errors, values }) => {
      const t = req.t;
      const row = await findBirthDate(deps.db, req.user!.id);
      const locked = row?.birth_date_source === 'identity' && row.birth_date;
      return (
        <>
          <h1>{t('account.birthDate.title')}</h1>
          <ErrorSummary errors={errors} />
          <p>{t('account.birthDate.lead')}</p>
          {locked ? (
            <Banner kind="info">
              {t('account.birthDate.confirmed', { date: formatCalendarDay(req, locked), provider: birthDateProvider(deps, req, row.identity_provider) })}
            </Banner>
          ) : (
            <Form action={`/${req.locale}/account/birth-date`}>
              <Field name="birthDate" type="date" label={t('field.birthDate')} hint={t('account.birthDate.hint')} required autocomplete="bday"
                errors={errors} values={values} maxLength={10} />
              <Button>{t('account.birthDate.save')}</Button>
            </Form>
          )}
          <p><a href={`/${req.locale}/account`}>{t('account.birthDate.back')}</a></p>
        </>
      );
    },
    handle: async (v, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | FormErrors> => {
      const t = req.t;
      const problem = birthDateProblem(v.birthDate, latestDay(new Date()));
      if (problem) return { birthDate: t(`account.birthDate.${problem}`) };
      if (!(await declareBirthDate(deps.db, req.user!.id, v.birthDate))) {
        reply.code(409);
        return { _form: t('account.birthDate.locked') };
      }
      return redirectWithFlash(reply, `/${req.locale}/account`, { kind: 'success', message: t('account.birthDate.saved') });
    },
  });
}
