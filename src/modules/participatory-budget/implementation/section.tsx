import type { FastifyRequest } from 'fastify';
import { fileUrl } from '../../../platform/files/uploads.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { can } from '../../../platform/tenancy/policy.ts';
import { Table, Tag } from '../../../platform/views/components.tsx';
import { Content, ContentBlock, contentText } from '../../../platform/views/content.tsx';
import { registerProjectSection, type ProjectPageContext } from '../web/sections.ts';
import { day, ImplementationSummary, today } from './common.tsx';
import { listMilestones, listUpdates } from './impl.repo.ts';
import { implPath } from './staff.web.tsx';

/** A funded project's implementation on its public page: status, progress, money, milestones, updates with photos. */
async function ImplementationSection(deps: Deps, req: FastifyRequest, { cycle, project: p, now }: ProjectPageContext) {
  if (!p.funded) return null;
  const t = req.t;
  const todayDate = today(req, now);
  const [milestones, updates] = await Promise.all([listMilestones(deps.db, p.id), listUpdates(deps.db, p.id)]);
  return (
    <section aria-labelledby="pb-implementation">
      <h2 id="pb-implementation">{t('pb.impl.public.sectionTitle')}</h2>
      <ImplementationSummary req={req} p={p} currency={cycle.currency} todayDate={todayDate} />
      {req.user && can(req.user, 'pb.implement', { municipalityId: p.municipality_id }) && <p><a href={implPath(req, p.number)}>{t('pb.impl.staff.manage')}</a></p>}
      {milestones.length > 0 && (
        <>
          <h3>{t('pb.impl.milestones')}</h3>
          <Table caption={t('pb.impl.milestones')} captionHidden head={[t('pb.impl.field.milestoneTitle'), t('pb.impl.field.milestoneDue'), t('pb.impl.field.milestoneDone')]}
            rows={milestones.map((ms) => [
              <Content text={ms.title} />,
              <><time dateTime={ms.due_on}>{day(req, ms.due_on)}</time>{!ms.done_on && ms.due_on < todayDate && <> <Tag tone="warning">{t('pb.impl.overdue')}</Tag></>}</>,
              ms.done_on ? <time dateTime={ms.done_on}>{day(req, ms.done_on)}</time> : t('pb.impl.notYet'),
            ])} />
        </>
      )}
      {updates.length > 0 && (
        <>
          <h3>{t('pb.impl.updates')}</h3>
          <ol class="timeline">
            {updates.map((u) => (
              <li key={u.id}>
                <time dateTime={new Date(u.created_at).toISOString()}>{req.fmt.dateTime(u.created_at)}</time>
                {u.progress !== null && <> · {t('pb.impl.progressLabel', { progress: u.progress })}</>}
                <ContentBlock text={u.body} />
                {u.photos.length > 0 && (
                  <ul class="photos">
                    {u.photos.map((ph, i) => (
                      <li key={ph.file_id}><a href={fileUrl(ph.file_id)}><img src={fileUrl(ph.file_id)} alt={ph.caption ? contentText(req, ph.caption) : t('pb.impl.photoAlt', { n: i + 1 })} loading="lazy" /></a></li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Adds the section to every project's page (after the result, before the timeline). */
export function registerImplementationSection(): void {
  registerProjectSection({ id: 'implementation', order: 60, render: ImplementationSection });
}
