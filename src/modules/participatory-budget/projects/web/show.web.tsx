import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { fileUrl } from '../../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { render } from '../../../../platform/http/render.tsx';
import { hasMessage } from '../../../../platform/i18n/i18n.ts';
import { can } from '../../../../platform/tenancy/policy.ts';
import { Banner, Button, ButtonLink, Form, SummaryList, Table } from '../../../../platform/views/components.tsx';
import { Content, ContentBlock, Name, contentText } from '../../../../platform/views/content.tsx';
import { excerpt } from '../../../../platform/views/head.tsx';
import { MapView } from '../../../../platform/views/map.tsx';
import { lineTotal } from '../../cost.ts';
import { cyclePath } from '../../paths.ts';
import { projectEvents } from '../../project-events.repo.ts';
import { CycleNav } from '../../web/cycle-nav.tsx';
import { PhaseBanner } from '../../web/phase.tsx';
import { renderSections } from '../../web/sections.ts';
import { quantityInput } from '../cost-input.ts';
import { isFollower, listCoauthors, listProjectFiles } from '../people.repo.ts';
import { editableNow, isPublic, submittableNow, withdrawableNow } from '../project.rules.ts';
import { loadProject, money, projectPaths, ProjectStatusTag, type LoadedProject } from './common.tsx';
import { registerProjectActions } from './actions.web.tsx';

type Ctx = { deps: Deps; req: FastifyRequest; l: LoadedProject; now: Date };

/** The cost table as the public reads it: the author's lines and total, and the department's estimate where set. */
function CostView({ req, l }: Pick<Ctx, 'req' | 'l'>) {
  const { p, cycle } = l;
  const t = req.t;
  const rows = p.cost_items.map((i) => [<Content text={i.item} />, req.fmt.number(Number(quantityInput(i.quantity))), <Content text={i.unit} />, money(req, cycle, i.unitPrice), money(req, cycle, lineTotal(i))]);
  rows.push([<strong>{t('pb.projects.cost.total')}</strong>, '', '', '', <strong>{money(req, cycle, p.cost_total)}</strong>]);
  return (
    <section aria-labelledby="pb-cost">
      <h2 id="pb-cost">{t('pb.projects.cost.legend')}</h2>
      <Table caption={t('pb.projects.cost.legend')} captionHidden numeric={[1, 3, 4]}
        head={[t('pb.projects.cost.item'), t('pb.projects.cost.quantity'), t('pb.projects.cost.unit'), t('pb.projects.cost.unitPrice'), t('pb.projects.cost.lineTotal')]} rows={rows} />
      {p.department_cost !== null && <p>{t('pb.projects.cost.departmentEstimate', { amount: money(req, cycle, p.department_cost) })}</p>}
    </section>
  );
}

/** The proposal's photos (with their captions) and PDF documents. */
async function Attachments({ deps, req, l }: Ctx) {
  const files = await listProjectFiles(deps.db, l.p.id);
  if (files.length === 0) return null;
  const photos = files.filter((f) => f.kind === 'photo');
  const documents = files.filter((f) => f.kind === 'document');
  const t = req.t;
  return (
    <section aria-labelledby="pb-attachments">
      <h2 id="pb-attachments">{t('pb.projects.files.title')}</h2>
      {photos.length > 0 && (
        <ul class="photos">
          {photos.map((f, i) => (
            <li key={f.id}>
              <figure>
                <a href={fileUrl(f.file_id)}><img src={fileUrl(f.file_id)} alt={f.caption ? contentText(req, f.caption) : t('pb.projects.files.alt', { n: i + 1, number: l.p.number })} loading="lazy" /></a>
                {f.caption && <figcaption><Content text={f.caption} /></figcaption>}
              </figure>
            </li>
          ))}
        </ul>
      )}
      {documents.length > 0 && (
        <ul>{documents.map((f) => <li key={f.id}><a href={fileUrl(f.file_id)}>{f.caption ? <Content text={f.caption} /> : <Content text={f.original_name} />}</a> ({t('pb.projects.files.pdf', { kb: Math.max(1, Math.round(f.size / 1024)) })})</li>)}</ul>
      )}
    </section>
  );
}

/** What the authors may do now: edit, submit (or resubmit), withdraw. */
function AuthorActions({ req, l, now }: Ctx) {
  if (!l.authored) return null;
  const { p, cycle } = l;
  const paths = projectPaths(req, p.number);
  const own = req.user?.id === p.author_id;
  const t = req.t;
  const actions: ComponentChildren[] = [];
  if (editableNow(p, cycle, now)) actions.push(<ButtonLink variant="secondary" href={paths.edit}>{t('pb.projects.actions.edit')}</ButtonLink>);
  if (own && submittableNow(p, cycle, now)) {
    actions.push(<Form action={paths.submit} class="inline"><Button>{t(p.status === 'returned' ? 'pb.projects.actions.resubmit' : 'pb.projects.actions.submit')}</Button></Form>);
  }
  if (own && withdrawableNow(p, cycle, now)) {
    actions.push(
      <Form action={paths.withdraw} class="inline">
        <button type="submit" class="button button--danger" data-module="confirm" data-confirm={t('pb.projects.actions.withdrawConfirm')}>{t('pb.projects.actions.withdraw')}</button>
      </Form>,
    );
  }
  if (actions.length === 0) return null;
  return (
    <section class="support-box" aria-labelledby="pb-actions">
      <h2 id="pb-actions">{t('pb.projects.actions.title')}</h2>
      {p.status === 'draft' && <p>{t('pb.projects.actions.submitLead', { closes: req.fmt.dateTime(cycle.submission_closes) })}</p>}
      {p.status === 'returned' && p.resubmit_by && <p>{t('pb.projects.actions.resubmitLead', { until: req.fmt.dateTime(p.resubmit_by) })}</p>}
      <ul class="actions">{actions.map((a, i) => <li key={i}>{a}</li>)}</ul>
    </section>
  );
}

/** Following a public project: a link to sign in for visitors (so the page stays the same for all of them). */
async function FollowBox({ deps, req, l }: Ctx) {
  if (!isPublic(l.p) || l.authored) return null;
  const t = req.t;
  const paths = projectPaths(req, l.p.number);
  if (!req.user) return <p class="support-box"><a href={`/${req.locale}/account/sign-in?next=${encodeURIComponent(paths.page)}`}>{t('pb.projects.follow.signIn')}</a></p>;
  const following = await isFollower(deps.db, l.p.id, req.user.id);
  return (
    <Form action={following ? paths.unfollow : paths.follow} class="support-box">
      <p>{t(following ? 'pb.projects.follow.following' : 'pb.projects.follow.lead')}</p>
      <Button variant="secondary">{t(following ? 'pb.projects.follow.unfollow' : 'pb.projects.follow.follow')}</Button>
    </Form>
  );
}

/** The public timeline: what the authors and the municipality did, in order (staff notes only for reviewers). */
async function Timeline({ deps, req, l }: Ctx) {
  const events = await projectEvents(deps.db, l.p.id, { staff: can(req.user, 'pb.review', { municipalityId: l.p.municipality_id }) });
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="pb-timeline">
      <h2 id="pb-timeline">{req.t('pb.projects.timeline')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.created_at).toISOString()}>{req.fmt.dateTime(e.created_at)}</time>{' '}
            {hasMessage(`pb.event.${e.kind}`) ? req.t(`pb.event.${e.kind}`) : req.t('pb.projects.otherEvent', { kind: e.kind })}
            {e.note ? <>: <Content text={e.note} /></> : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A project's page; for a draft, the preview its authors see before submitting it. */
export function registerProjectPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/projects/:number', { schema: { hide: true } }, async (req, reply) => {
    const l = await loadProject(deps, req, reply);
    if (!l) return reply;
    const now = new Date();
    const { p, cycle, category } = l;
    const t = req.t;
    const ctx = { deps, req, l, now };
    const coauthors = await listCoauthors(deps.db, p.id);
    const names = [p.author_deleted_at ? t('pb.projects.formerAccount') : p.author_name, ...coauthors.map((c) => (c.deleted_at ? t('pb.projects.formerAccount') : c.full_name))];
    const facts: [string, ComponentChildren][] = [
      [t('pb.projects.field.category'), <Name names={category.names} />],
      ...(p.district_names ? [[t('pb.projects.field.district'), <Name names={p.district_names} />] as [string, ComponentChildren]] : []),
      [t(names.length > 1 ? 'pb.projects.authors' : 'pb.projects.author'), names.map((n, i) => <span key={i}>{i > 0 && ', '}<Content text={n} /></span>)],
      [t('pb.projects.cost.authorTotal'), money(req, cycle, p.cost_total)],
      ...(p.department_cost !== null ? [[t('pb.projects.cost.departmentCost'), money(req, cycle, p.department_cost)] as [string, ComponentChildren]] : []),
      ...(p.submitted_at ? [[t('pb.projects.submittedAt'), req.fmt.date(p.submitted_at)] as [string, ComponentChildren]] : []),
      ...(p.status === 'submitted' && p.review_due_at ? [[t('pb.projects.reviewDue'), req.fmt.date(p.review_due_at)] as [string, ComponentChildren]] : []),
    ];
    const sections = await renderSections('project', deps, req, { cycle, category, project: p, now });
    return render(deps, req, reply, {
      title: contentText(req, p.title),
      meta: { description: excerpt(p.summary || p.description), og: 'article' },
      body: (
        <>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          {!isPublic(p) && <Banner kind="warning" title={t('pb.projects.draft.title')}><p>{t('pb.projects.draft.lead')}</p></Banner>}
          <article class="project">
            <p class="eyebrow">{t('pb.projects.number', { number: p.number })} · <a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
            <h1><Content text={p.title} /></h1>
            <p><ProjectStatusTag req={req} p={p} /></p>
            {(p.status === 'returned' || p.status === 'rejected') && p.decision_note && (
              <Banner kind={p.status === 'rejected' ? 'error' : 'warning'} title={t(`pb.projects.decision.${p.status}`)}><ContentBlock text={p.decision_note} /></Banner>
            )}
            {p.summary && <p class="lead"><Content text={p.summary} /></p>}
            <SummaryList items={facts} />
            <AuthorActions {...ctx} />
            <h2>{t('pb.projects.field.description')}</h2>
            <ContentBlock text={p.description} />
            {p.beneficiaries && <><h2>{t('pb.projects.field.beneficiaries')}</h2><ContentBlock text={p.beneficiaries} /></>}
            <h2>{t('platform.map.place')}</h2>
            {p.lat !== null && p.lng !== null && isPublic(p) && (
              <MapView deps={deps} req={req} kind="points" center={{ lat: p.lat, lng: p.lng }} label={t('pb.projects.map.one')}
                geojson={`/api/v1/${req.municipality!.slug}/participatory-budget/cycles/${cycle.number}/projects.geojson`} />
            )}
            <p>
              {p.address && <Content text={p.address} />}
              {p.address && p.lat !== null && ' · '}
              {p.lat !== null && p.lng !== null && <a href={`https://www.openstreetmap.org/?mlat=${p.lat}&mlon=${p.lng}#map=18/${p.lat}/${p.lng}`}>{req.fmt.number(p.lat)}, {req.fmt.number(p.lng)}</a>}
            </p>
            <CostView req={req} l={l} />
            {await Attachments(ctx)}
            {await FollowBox(ctx)}
            {sections}
            {await Timeline(ctx)}
            <p class="data-links"><a href={`${cyclePath(req, cycle.number)}/projects`}>{t('pb.projects.allProjects')}</a></p>
          </article>
        </>
      ),
    });
  });

  registerProjectActions(app, deps);
}
