import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ReportQuestion } from '../../../db/schema.reports.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { registerSignInReason } from '../../../platform/auth/sign-in-reasons.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { findCategory, listCategories, type ReportCategory } from '../report.repo.ts';
import { askGuestConfirmation, guestsWelcome } from '../report.guests.ts';
import { createReport, DESCRIPTION_MAX, type NearbyOutcome } from '../report.service.ts';
import { levelPage, reportPath, reportsBase } from './common.tsx';
import { PlaceFields, PlaceProperties, typedPlace } from '../../../platform/views/map.tsx';
import { Query, Text } from '../../../platform/http/input.ts';

/** What a resident types; the same limits as the database's CHECK constraints. Extra answers come as `q_<key>`. */
export const ReportSchema = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 64 }),
  title: Type.String({ minLength: 5, maxLength: 120 }),
  description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX })),
  ...PlaceProperties,
  showName: Type.Optional(Type.Literal('yes')),
  confirmNew: Type.Optional(Type.Literal('yes')),
  // A guest's name and address, where the municipality takes reports from guests.
  fullName: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
}, { additionalProperties: true });

/** Up to 20 reports per address in 10 minutes: enough for a busy office, a brake on a script mailing strangers. */
const LIMIT = { config: { rateLimit: { max: 20, timeWindow: 600_000 } } };

/** Where guests are welcome the form asks who they are; otherwise they sign in first. */
const residentOrGuest = (req: FastifyRequest, reply: FastifyReply) => (req.user || guestsWelcome(req.municipality!) ? undefined : redirectToSignIn(req, reply, 'reports.new'));

// The sign-in page says why ("to report a problem to …") and, where guests may report, leads back to the form.
registerSignInReason('reports.new', {
  lead: 'reports.web.signInLead',
  guest: (m, next) => (guestsWelcome(m) && next ? { href: next, label: 'reports.web.guest.withoutAccount' } : null),
});

/** The guest's name and address, with what following the mailed link will do. */
function GuestFields({ req, errors, values }: { req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  return (
    <fieldset class="field-group">
      <legend>{t('reports.web.guest.legend')}</legend>
      <p class="field__hint">{t('reports.web.guest.hint')} <a href={`/${req.locale}/account/sign-in?next=${encodeURIComponent(req.url)}&reason=reports.new`}>{t('reports.web.guest.signIn')}</a></p>
      <Field name="fullName" label={t('field.fullName')} autocomplete="name" required maxLength={120} errors={errors} values={values} />
      <Field name="email" type="email" label={t('field.email')} autocomplete="email" required maxLength={254} errors={errors} values={values} />
    </fieldset>
  );
}

const label = (req: FastifyRequest, q: ReportQuestion) => localized(q.labels, req.locale);

/** One extra question of the category as a form control named `q_<key>`. */
function Question({ req, q, errors, values }: { req: FastifyRequest; q: ReportQuestion; errors: FormErrors; values: FormValues }) {
  const name = `q_${q.key}`;
  const options = (q.options ?? []).map((o) => ({ value: o.value, label: localized(o.labels, req.locale) }));
  const text = `${label(req, q)}${q.required ? '' : ` ${req.t('reports.web.optional')}`}`;
  switch (q.kind) {
    case 'single':
      return <Select name={name} label={text} errors={errors} value={String(values[name] ?? '')} options={[{ value: '', label: req.t('reports.web.choose') }, ...options]} />;
    case 'multiple': {
      const checked = ([] as unknown[]).concat(values[name] ?? []).map(String);
      return <Checkboxes name={name} legend={text} options={options} checked={checked} errors={errors} />;
    }
    default:
      return <Field name={name} label={text} type={q.kind === 'number' ? 'number' : q.kind === 'date' ? 'date' : 'text'} inputMode={q.kind === 'number' ? 'decimal' : undefined}
        required={q.required} maxLength={q.kind === 'text' ? 500 : undefined} errors={errors} values={values} />;
  }
}

function ReportFields({ deps, req, category, errors, values }: { deps: Deps; req: FastifyRequest; category: ReportCategory; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  return (
    <>
      <input type="hidden" name="category" value={category.slug} />
      <Field name="title" label={t('reports.web.field.title')} hint={t('reports.web.field.titleHint')} required maxLength={120} errors={errors} values={values} />
      <Field name="description" label={t('reports.web.field.description')} multiline rows={6} maxLength={DESCRIPTION_MAX} errors={errors} values={values} />
      <PlaceFields deps={deps} req={req} errors={errors} values={values} />
      {category.questions.map((q) => <Question key={q.key} req={req} q={q} errors={errors} values={values} />)}
    </>
  );
}

/** Whether to publish the reporter's name: asked after a guest has said who they are, which it is about. */
function ShowName({ req, errors, values }: { req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  return <Checkboxes name="showName" legend={t('reports.web.field.showName')} options={[{ value: 'yes', label: t('reports.web.showNameYes') }]} checked={values.showName === 'yes' ? ['yes'] : []} errors={errors} />;
}

/** Step one without JavaScript: the categories, each a link to the form with its own questions. */
function CategoryChooser({ req, categories }: { req: FastifyRequest; categories: ReportCategory[] }) {
  return (
    <>
      <h1>{req.t('reports.web.new')}</h1>
      <p class="lead">{req.t('reports.web.chooseCategory')}</p>
      {categories.length === 0
        ? <p>{req.t('reports.web.noCategories')}</p>
        : <ul class="choice-list">{categories.map((c) => <li key={c.slug}><a href={`${reportsBase(req)}/new?category=${c.slug}`}>{localized(c.names, req.locale)}</a></li>)}</ul>}
    </>
  );
}

const answersOf = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('q_')).map(([k, v]) => [k.slice(2), typeof v === 'string' ? v.trim() : v]));

/** Filing a report: choose a category, describe and place the problem, see nearby reports of it first. */
export function registerNewReportPage(app: App, deps: Deps): void {
  const chosen = async (req: FastifyRequest, values: FormValues) => {
    const slug = String(values.category ?? (req.query as { category?: string }).category ?? '');
    const c = slug ? await findCategory(deps.db, req.municipality!.id, slug) : undefined;
    return c?.active ? c : undefined;
  };

  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/new',
    query: Query({ category: Text(100) }),
    schema: ReportSchema,
    title: (req) => req.t('reports.web.new'),
    guard: residentOrGuest,
    postOptions: LIMIT,
    view: async (req, { errors, values }) => {
      const category = await chosen(req, values);
      if (!category) return <CategoryChooser req={req} categories={await listCategories(deps.db, req.municipality!.id, { activeOnly: true })} />;
      return (
        <>
          <h1>{req.t('reports.web.newIn', { category: localized(category.names, req.locale) })}</h1>
          <p><a href={`${reportsBase(req)}/new`}>{req.t('reports.web.otherCategory')}</a></p>
          <ErrorSummary errors={errors} />
          <Form action={`${reportsBase(req)}/new`} once>
            <ReportFields deps={deps} req={req} category={category} errors={errors} values={values} />
            {!req.user && <GuestFields req={req} errors={errors} values={values} />}
            <ShowName req={req} errors={errors} values={values} />
            <Button>{req.t('reports.web.send')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const m = req.municipality!;
      const place = typedPlace(v, req.t);
      if ('errors' in place) return place.errors;
      if (!req.user && (!v.fullName || !v.email)) {
        return { ...(v.fullName ? {} : { fullName: req.t('reports.web.guest.fullNameMissing') }), ...(v.email ? {} : { email: req.t('reports.web.guest.emailMissing') }) };
      }
      const input = {
        category: v.category, title: v.title, description: v.description ?? '', at: place.at, address: v.address ?? null,
        showName: v.showName === 'yes', answers: answersOf(req.body as Record<string, unknown>),
      };
      const [once, askNearby] = [onceKey(req), v.confirmNew !== 'yes'];
      const r = req.user
        ? await createReport(deps, req.user, m, input, once, askNearby)
        : await askGuestConfirmation(deps, m, req.locale, { fullName: v.fullName!, email: v.email! }, input, once, askNearby);
      switch (r.kind) {
        case 'nearby': return render(deps, req, reply, { title: req.t('reports.web.nearbyTitle'), body: <Nearby req={req} nearby={r.nearby} /> });
        case 'created': return redirectWithFlash(reply, reportPath(req, r.number), { kind: 'success', message: req.t('reports.web.created', { number: r.number }) });
        case 'sent': return redirectWithFlash(reply, reportsBase(req), { kind: 'success', message: req.t('reports.web.guest.sent', { email: v.email! }) });
        case 'closed': return redirectToSignIn(req, reply, 'reports.new');
        case 'level': return levelPage(deps, req, reply, r.required, reportsBase(req));
        case 'unknown_category': return { category: req.t('reports.web.unknownCategory') };
        case 'no_place': return { address: req.t('reports.web.noPlace') };
        case 'outside': return { lat: req.t('reports.web.outside', { km: r.radiusKm, municipality: localized(m.names, req.locale) }) };
        case 'answers': return Object.fromEntries(Object.entries(r.problems).map(([k, p]) => [`q_${k}`, req.t(`reports.web.answer.${p}`)]));
      }
    },
  });

  /** Open reports of the same problem nearby: support one of them, or file this one after all. */
  function Nearby({ req, nearby }: { req: FastifyRequest; nearby: NearbyOutcome['nearby'] }) {
    // What was typed goes back as it came, its idempotency key included (the form adds its own CSRF token).
    const typed = Object.entries(req.body as Record<string, unknown>).filter(([k]) => k !== '_csrf' && k !== 'confirmNew');
    return (
      <>
        <h1>{req.t('reports.web.nearbyTitle')}</h1>
        <p class="lead">{req.t('reports.web.nearbyLead')}</p>
        <ul class="report-list">
          {nearby.map((n) => (
            <li key={n.number}>
              <a href={reportPath(req, n.number)}>{req.t('reports.number', { number: n.number })}: <Content text={n.title} /></a>
              {' '}({req.t('reports.web.metersAway', { meters: Math.round(n.meters) })})
              <Form action={`${reportPath(req, n.number)}/support`}><Button variant="secondary">{req.t('reports.web.meToo')}</Button></Form>
            </li>
          ))}
        </ul>
        <Form action={`${reportsBase(req)}/new`}>
          {typed.flatMap(([k, v]) => ([] as unknown[]).concat(v).map((x, i) => <input key={`${k}${i}`} type="hidden" name={k} value={String(x)} />))}
          <input type="hidden" name="confirmNew" value="yes" />
          <Button>{req.t('reports.web.fileAnyway')}</Button>
        </Form>
      </>
    );
  }
}
