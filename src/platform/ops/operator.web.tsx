import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { audit, countAudit, listAudit } from '../audit/audit.ts';
import { AuditTable } from '../audit/audit.view.tsx';
import { describeAudit } from '../audit/audit.subjects.ts';
import type { App, Deps } from '../http/deps.ts';
import { forbidden } from '../http/errors.tsx';
import { redirectWithFlash } from '../http/flash.ts';
import { render } from '../http/render.tsx';
import { redirectToSignIn } from '../http/request-context.ts';
import { listJobs, retryJob } from '../jobs/queue.ts';
import { listOutbox } from '../notify/notify.repo.ts';
import { can } from '../tenancy/policy.ts';
import { Banner, Button, EmptyState, Form, Pagination, SummaryList, Table } from '../views/components.tsx';
import { Query, Text, Page } from '../http/input.ts';

const JOB_STATES = ['dead', 'queued', 'running'] as const;
type JobState = (typeof JOB_STATES)[number];
const JOBS_SHOWN = 100;
const AUDIT_PER_PAGE = 50;
const OUTBOX_SHOWN = 50;

type JobRow = Awaited<ReturnType<typeof listJobs>>[number];

/**
 * True for platform operators; anyone else has been answered already (anonymous: sign in; others: 403).
 * A boolean, not the reply: a Fastify reply is thenable, so awaiting one yields undefined.
 */
async function allowOperator(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!req.user) {
    await redirectToSignIn(req, reply);
    return false;
  }
  if (!can(req.user, 'platform.operate', { municipalityId: null })) {
    await forbidden(deps, req, reply);
    return false;
  }
  return true;
}

/** The page number of the query string (the route's schema makes it a bounded integer), page 1 without one. */
const pageParam = (req: FastifyRequest): number => (req.query as { page?: number } | undefined)?.page ?? 1;

function JobTabs({ req, active }: { req: FastifyRequest; active: JobState }) {
  return (
    <nav class="tabs" aria-label={req.t('ops.jobs.states')}>
      <ul>
        {JOB_STATES.map((s) => (
          <li key={s}>
            <a href={`/${req.locale}/admin/jobs?state=${s}`} aria-current={s === active ? 'page' : undefined}>{req.t(`ops.jobs.state.${s}`)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LastError({ req, error }: { req: FastifyRequest; error: string | null }) {
  if (!error) return <>—</>;
  const first = error.split('\n', 1)[0]!;
  return (
    <>
      <span class="job__error">{first}</span>
      {error.trim() !== first.trim() && (
        <details>
          <summary>{req.t('ops.jobs.fullError')}</summary>
          <pre class="job__trace">{error}</pre>
        </details>
      )}
    </>
  );
}

function jobRow(req: FastifyRequest, job: JobRow, state: JobState): ComponentChildren[] {
  const row: ComponentChildren[] = [
    <code>{job.kind}</code>,
    req.t('ops.jobs.attemptsOf', { attempts: job.attempts, max: job.max_attempts }),
    state === 'dead' ? '—' : <time dateTime={new Date(job.run_at).toISOString()}>{req.fmt.dateTime(job.run_at)}</time>,
    <LastError req={req} error={job.last_error} />,
  ];
  if (state === 'dead') {
    row.push(
      <Form action={`/${req.locale}/admin/jobs/${job.id}/retry`} aria-label={req.t('ops.jobs.retryLabel', { id: String(job.id), kind: job.kind })}>
        <Button variant="secondary">{req.t('ops.jobs.retry')}</Button>
      </Form>,
    );
  }
  return row;
}

/** Splits text into strings and links, so URLs in a plain-text mail can be followed. */
export function linkify(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, '');
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(<a href={url}>{url}</a>);
    last = m.index + url.length;
    re.lastIndex = last;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Platform operation: the job queue, the platform-wide audit log and the development outbox. */
export function registerOperatorPages(app: App, deps: Deps): void {
  app.get('/:locale/admin/jobs', { schema: { hide: true, querystring: Query({ state: Text(20), page: Page }) } }, async (req, reply) => {
    if (!(await allowOperator(deps, req, reply))) return reply;
    const t = req.t;
    const asked = (req.query as { state?: string } | undefined)?.state;
    const state: JobState = JOB_STATES.find((s) => s === asked) ?? 'dead';
    const jobs = await listJobs(deps.db, state, JOBS_SHOWN);
    const head = [t('ops.jobs.kind'), t('ops.jobs.attempts'), t('ops.jobs.nextRun'), t('ops.jobs.lastError')];
    if (state === 'dead') head.push(t('ops.jobs.actions'));
    return render(deps, req, reply, {
      title: t('ops.jobs.title'),
      wide: true,
      body: (
        <>
          <h1>{t('ops.jobs.title')}</h1>
          <p class="lead">{t('ops.jobs.lead')}</p>
          <JobTabs req={req} active={state} />
          {jobs.length === 0
            ? <EmptyState title={t(`ops.jobs.empty.${state}`)} />
            : <Table caption={t('ops.jobs.caption', { state: t(`ops.jobs.state.${state}`), count: jobs.length })}
                head={head} rows={jobs.map((j) => jobRow(req, j, state))} />}
          {jobs.length >= JOBS_SHOWN && <p class="muted">{t('ops.jobs.limited', { count: JOBS_SHOWN })}</p>}
        </>
      ),
    });
  });

  app.post('/:locale/admin/jobs/:id/retry', { schema: { hide: true } }, async (req, reply) => {
    if (!(await allowOperator(deps, req, reply))) return reply;
    const raw = (req.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : null;
    const back = `/${req.locale}/admin/jobs?state=dead`;
    // Retrying is an operator's write: it and its audit entry commit together.
    const retried = id !== null && await deps.db.transaction().execute(async (trx) => {
      if (!(await retryJob(trx, id))) return false;
      await audit(trx, { municipalityId: null, actorId: req.user!.id, action: 'job.retry', subjectType: 'job', subjectId: id, ip: req.ip });
      return true;
    });
    return redirectWithFlash(reply, back, retried
      ? { kind: 'success', message: req.t('ops.jobs.retried', { id: String(id) }) }
      : { kind: 'warning', message: req.t('ops.jobs.notRetried') });
  });

  app.get('/:locale/admin/audit', { schema: { hide: true, querystring: Query({ page: Page }) } }, async (req, reply) => {
    if (!(await allowOperator(deps, req, reply))) return reply;
    const t = req.t;
    const total = await countAudit(deps.db, null);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE));
    const page = Math.min(pageParam(req), pages);
    const rows = await describeAudit(deps.db, await listAudit(deps.db, null, AUDIT_PER_PAGE, (page - 1) * AUDIT_PER_PAGE));
    return render(deps, req, reply, {
      title: t('ops.audit.title'),
      wide: true,
      body: (
        <>
          <h1>{t('ops.audit.title')}</h1>
          <p class="lead">{t('ops.audit.lead', { count: total })}</p>
          {rows.length === 0 ? <EmptyState title={t('ops.audit.empty')} /> : <AuditTable rows={rows} />}
          <Pagination page={page} pages={pages} hrefFor={(n) => `/${req.locale}/admin/audit?page=${n}`} />
        </>
      ),
    });
  });

  app.get('/:locale/dev/outbox', { schema: { hide: true, querystring: Query({ to: Text(254), page: Page }) } }, async (req, reply) => {
    // Never public, not even in development: it holds password-reset and setup links for every account.
    if (!(await allowOperator(deps, req, reply))) return reply;
    const t = req.t;
    const to = (req.query as { to?: unknown } | undefined)?.to;
    const messages = deps.mailer.outbox ? await listOutbox(deps.db, OUTBOX_SHOWN, typeof to === 'string' ? to : undefined) : [];
    reply.header('x-robots-tag', 'noindex');
    return render(deps, req, reply, {
      title: t('ops.outbox.title'),
      body: (
        <>
          <h1>{t('ops.outbox.title')}</h1>
          {!deps.mailer.outbox
            ? <Banner kind="info">{t('ops.outbox.smtp')}</Banner>
            : (
              <>
                <Banner kind="warning" title={t('ops.outbox.warningTitle')}>{t('ops.outbox.private')}</Banner>
                <p class="lead">{t('ops.outbox.lead', { count: messages.length })}</p>
                {messages.length === 0
                  ? <EmptyState title={t('ops.outbox.empty')} />
                  : (
                    <ol class="outbox">
                      {messages.map((m) => (
                        <li key={m.id} class="outbox__message">
                          <article aria-labelledby={`mail-${m.id}`}>
                            <h2 id={`mail-${m.id}`}>{m.subject}</h2>
                            <SummaryList items={[
                              [t('ops.outbox.to'), m.to_address],
                              [t('ops.outbox.sent'), <time dateTime={new Date(m.created_at).toISOString()}>{req.fmt.dateTime(m.created_at)}</time>],
                            ]} />
                            <pre class="outbox__body">{linkify(m.text_body)}</pre>
                          </article>
                        </li>
                      ))}
                    </ol>
                  )}
              </>
            )}
        </>
      ),
    });
  });
}
