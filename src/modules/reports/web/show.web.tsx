import type { FastifyRequest } from 'fastify';
import { districtAt } from '../../../platform/tenancy/districts.repo.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Banner, Button, ButtonLink, Field, Form, SummaryList, Paragraphs } from '../../../platform/views/components.tsx';
import { can } from '../../../platform/tenancy/policy.ts';
import { forbidden } from '../../../platform/http/errors.tsx';
import { parseBody } from '../../../platform/http/forms.ts';
import { Type } from 'typebox';
import { answerFix } from '../report.workflow.ts';
import { hasSupported, listPublicEvents, OPEN_STATUSES, type ReportRow } from '../report.repo.ts';
import { followReport, supportReport } from '../report.service.ts';
import { isFollowing, removeFollower } from '../report.followers.repo.ts';
import { levelPage, loadReport, reportPath, reportsBase, ReportStatusTag } from './common.tsx';
import { Photos } from './photos.web.tsx';

const FixAnswerSchema = Type.Object({ answer: Type.Enum(['yes', 'no']), note: Type.Optional(Type.String({ maxLength: 2000 })) });

/** The answers to the category's questions, labelled in the visitor's language. */
function answerItems(req: FastifyRequest, r: ReportRow): [string, string][] {
  return r.category_questions.filter((q) => r.answers[q.key] !== undefined).map((q) => {
    const a = r.answers[q.key]!;
    const option = (v: string) => localized(q.options?.find((o) => o.value === v)?.labels, req.locale) || v;
    const shown = Array.isArray(a) ? a.map(option).join(', ') : q.kind === 'single' ? option(String(a)) : q.kind === 'number' ? req.fmt.number(Number(a)) : String(a);
    return [localized(q.labels, req.locale), shown];
  });
}

/** Once a report is marked fixed, its reporter says whether it really is; "no" reopens it. */
function FixAnswer({ req, r }: { req: FastifyRequest; r: ReportRow }) {
  if (r.status !== 'fixed' || !req.user || req.user.id !== r.author_id) return null;
  const action = `${reportPath(req, r.number)}/fixed`;
  return (
    <section class="support-box" aria-labelledby="fix-answer">
      <h2 id="fix-answer">{req.t('reports.web.reallyFixed')}</h2>
      <Form action={action}><input type="hidden" name="answer" value="yes" /><Button variant="secondary">{req.t('reports.web.fixedYes')}</Button></Form>
      <Form action={action}>
        <input type="hidden" name="answer" value="no" />
        <Field name="note" label={req.t('reports.web.notFixedWhy')} multiline rows={3} maxLength={2000} />
        <Button variant="secondary">{req.t('reports.web.fixedNo')}</Button>
      </Form>
    </section>
  );
}

function SupportBox({ req, r, supported }: { req: FastifyRequest; r: ReportRow; supported: boolean }) {
  if (!OPEN_STATUSES.includes(r.status) || req.user?.id === r.author_id) return null;
  if (supported) return <Banner kind="success">{req.t('reports.web.youSupport')}</Banner>;
  return (
    <Form action={`${reportPath(req, r.number)}/support`} class="support-box">
      <p>{req.t('reports.web.meTooLead')}</p>
      <Button variant="secondary">{req.t('reports.web.meToo')}</Button>
    </Form>
  );
}

/** "Follow updates" for anyone who is neither the reporter nor a supporter (they follow it already). */
async function FollowBox({ deps, req, r, supported }: { deps: Deps; req: FastifyRequest; r: ReportRow; supported: boolean }) {
  if (supported || (req.user && req.user.id === r.author_id)) return null;
  const path = reportPath(req, r.number);
  if (req.user && (await isFollowing(deps.db, r, req.user.id))) {
    return (
      <Form action={`${path}/unfollow`} class="support-box">
        <p>{req.t('reports.web.following')}</p>
        <Button variant="secondary">{req.t('reports.web.unfollow')}</Button>
      </Form>
    );
  }
  return (
    <Form action={`${path}/follow`} class="support-box">
      <p>{req.t('reports.web.followLead')}</p>
      <Button variant="secondary">{req.t('reports.web.follow')}</Button>
    </Form>
  );
}

/** A report's page with its place, answers and timeline, "me too" and following it. */
export function registerShowReportPages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/reports/:number', { schema: { hide: true } }, async (req, reply) => {
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const t = req.t;
    const events = await listPublicEvents(deps.db, r.id);
    // One look, for both "me too" and following: a supporter follows the report already.
    const supported = req.user ? await hasSupported(deps.db, r, req.user.id) : false;
    const place = r.located
      ? <a href={`https://www.openstreetmap.org/?mlat=${r.lat}&mlon=${r.lng}#map=18/${r.lat}/${r.lng}`}>{req.fmt.number(r.lat)}, {req.fmt.number(r.lng)}</a>
      : t('reports.web.notLocated');
    const facts: [string, preact.ComponentChildren][] = [
      [t('reports.web.status'), <ReportStatusTag status={r.status} />],
      [t('reports.web.category'), localized(r.category_names, req.locale)],
      [t('reports.web.reportedAt'), req.fmt.date(r.created_at)],
      [t('reports.web.place'), place],
    ];
    const district = r.located ? await districtAt(deps.db, r.municipality_id, r) : undefined;
    if (district) facts.push([t('reports.areas.district'), localized(district.names, req.locale)]);
    if (r.address) facts.push([t('reports.web.field.address'), r.address]);
    facts.push([t('reports.web.reporter'), r.public_name ?? t('reports.web.anonymous')]);
    facts.push([t('reports.web.supporters'), t('reports.supporters', { count: r.supporters })]);
    return render(deps, req, reply, {
      title: r.title,
      body: (
        <article class="report">
          <p class="eyebrow">{t('reports.number', { number: r.number })}</p>
          <h1>{r.title}</h1>
          <SummaryList items={[...facts, ...answerItems(req, r)]} />
          {r.description && <div class="report__body"><Paragraphs text={r.description} /></div>}
          {await Photos({ deps, req, r })}
          <SupportBox req={req} r={r} supported={supported} />
          {await FollowBox({ deps, req, r, supported })}
          <FixAnswer req={req} r={r} />
          {can(req.user, 'reports.handle', { municipalityId: r.municipality_id }) && <p><ButtonLink href={`${reportPath(req, r.number)}/handle`}>{t('reports.staff.handle')}</ButtonLink></p>}
          <h2>{t('reports.web.timeline')}</h2>
          <ol class="timeline">
            {events.map((e) => (
              <li key={e.id}><time dateTime={new Date(e.created_at).toISOString()}>{req.fmt.dateTime(e.created_at)}</time> {t(`reports.event.${e.kind}`)}{e.note ? `: ${e.note}` : ''}</li>
            ))}
          </ol>
          <p class="data-links"><a href={reportsBase(req)}>{t('reports.web.allReports')}</a> · <a href={`${reportPath(req, r.number)}/feed.atom`}>{t('reports.areas.reportFeed')}</a></p>
        </article>
      ),
    });
  });

  app.post('/:locale/:municipality/reports/:number/fixed', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const parsed = parseBody(FixAnswerSchema, req.body, req.t);
    const path = reportPath(req, r.number);
    if (!parsed.ok) return redirectWithFlash(reply, path, { kind: 'error', message: Object.values(parsed.errors).join(' ') });
    const outcome = await answerFix(deps, req.user, req.municipality!, r, parsed.value.answer === 'yes', parsed.value.note ?? null);
    if (outcome.kind === 'not_yours') return forbidden(deps, req, reply);
    if (outcome.kind === 'not_fixed') return redirectWithFlash(reply, path, { kind: 'error', message: req.t('reports.web.notFixedNow') });
    return redirectWithFlash(reply, path, { kind: 'success', message: req.t(parsed.value.answer === 'yes' ? 'reports.web.thanksConfirmed' : 'reports.web.reopened') });
  });

  app.post('/:locale/:municipality/reports/:number/support', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const path = reportPath(req, r.number);
    const outcome = await supportReport(deps, req.user, req.municipality!, r);
    switch (outcome.kind) {
      case 'supported': return redirectWithFlash(reply, path, { kind: 'success', message: req.t('reports.web.supported') });
      case 'already': return redirectWithFlash(reply, path, { kind: 'info', message: req.t('reports.web.youSupport') });
      case 'own': return redirectWithFlash(reply, path, { kind: 'info', message: req.t('reports.web.ownReport') });
      case 'closed': return redirectWithFlash(reply, path, { kind: 'error', message: req.t('reports.web.notOpen') });
      case 'level': return levelPage(deps, req, reply, outcome.required, path);
    }
  });

  app.post('/:locale/:municipality/reports/:number/follow', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const outcome = await followReport(deps.db, req.user, r);
    const message = { followed: 'reports.web.followed', already: 'reports.web.following', own: 'reports.web.ownReport', supporter: 'reports.web.youSupport' }[outcome.kind];
    return redirectWithFlash(reply, reportPath(req, r.number), { kind: outcome.kind === 'followed' ? 'success' : 'info', message: req.t(message) });
  });

  app.post('/:locale/:municipality/reports/:number/unfollow', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const done = await removeFollower(deps.db, r, req.user.id);
    return redirectWithFlash(reply, reportPath(req, r.number), { kind: done ? 'success' : 'info', message: req.t(done ? 'reports.web.unfollowed' : 'reports.web.notFollowing') });
  });
}
