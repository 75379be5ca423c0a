import type { FastifyRequest } from 'fastify';
import { fileUrl } from '../../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { render } from '../../../../platform/http/render.tsx';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { listDistricts } from '../../../../platform/tenancy/districts.repo.ts';
import { can } from '../../../../platform/tenancy/policy.ts';
import { Banner, Card, EmptyState, SummaryList, Tag } from '../../../../platform/views/components.tsx';
import { Content, ContentBlock, contentText, Name } from '../../../../platform/views/content.tsx';
import type { LocalizedText } from '../../../../db/schema.ts';
import { cycleCategories, findCycle, listCycles } from '../../cycle.repo.ts';
import { phaseAt } from '../../phase.ts';
import type { Category, Cycle } from '../../pb.tables.ts';
import { cyclePath, pbStaffBase } from '../../paths.ts';
import { CycleNav } from '../../web/cycle-nav.tsx';
import { CycleCalendar, PhaseBanner } from '../../web/phase.tsx';
import { renderSections } from '../../web/sections.ts';
import { categoriesOfCycles, cycleDocuments } from '../cycles.repo.ts';
import { staffCyclePath } from '../staff-nav.tsx';
import { CategoryAmounts, EligibilityInWords, RuleInWords } from '../words.tsx';

const mayManage = (req: FastifyRequest) => can(req.user, 'pb.manage', { municipalityId: req.municipality!.id });

/** Cycles still under way before those being implemented; otherwise newest first (as listCycles gives them). */
function currentFirst(cycles: Cycle[], now: Date): Cycle[] {
  const done = (c: Cycle) => (phaseAt(c, now).phase === 'implementation' ? 1 : 0);
  return [...cycles].sort((a, b) => done(a) - done(b));
}

function CycleCard({ req, cycle, categories, now }: { req: FastifyRequest; cycle: Cycle; categories: Category[]; now: Date }) {
  const t = req.t;
  const span = phaseAt(cycle, now);
  const money = (n: number) => formatMoney(req.fmt, n, cycle.currency);
  return (
    <Card title={<Content text={cycle.title} />} href={cyclePath(req, cycle.number)}>
      <p><Tag tone="info">{t(`pb.phase.name.${span.phase}`)}</Tag>{span.until && <> {t('pb.index.until', { date: req.fmt.dateTime(span.until) })}</>}</p>
      <p>{t('pb.index.total', { amount: money(cycle.total_amount) })}</p>
      {categories.length > 0 && <ul>{categories.map((c) => <li key={c.id}><Name names={c.names} />: {money(c.amount)}</li>)}</ul>}
    </Card>
  );
}

/** The participatory budget's public pages of cycles: the index of the municipality's cycles and each cycle's page. */
export function registerPublicCyclePages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget', { schema: { hide: true } }, async (req, reply) => {
    const t = req.t;
    const now = new Date();
    const cycles = currentFirst(await listCycles(deps.db, req.municipality!.id), now);
    const categories = await categoriesOfCycles(deps.db, cycles.map((c) => c.id));
    return render(deps, req, reply, {
      title: t('pb.name'),
      body: (
        <>
          <h1>{t('pb.name')}</h1>
          <p class="lead">{t('pb.summary')}</p>
          {can(req.user, 'pb.dashboard', { municipalityId: req.municipality!.id }) && <p><a href={pbStaffBase(req)}>{t('pb.staff.home')}</a></p>}
          {cycles.length === 0 ? <EmptyState title={t('pb.index.empty')}><p>{t('pb.index.emptyLead')}</p></EmptyState> : (
            <ul class="cards">
              {cycles.map((c) => <li key={c.id}><CycleCard req={req} cycle={c} categories={categories.filter((k) => k.cycle_id === c.id)} now={now} /></li>)}
            </ul>
          )}
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/participatory-budget/cycles/:number', { schema: { hide: true } }, async (req, reply) => {
    const t = req.t;
    const m = req.municipality!;
    const cycle = await findCycle(deps.db, m.id, (req.params as { number: number }).number);
    // A draft is the administrators' until it is published: for anyone else it does not exist.
    if (!cycle || (cycle.status === 'draft' && !mayManage(req))) return notFound(deps, req, reply);
    const now = new Date();
    const [categories, documents, districtRows] = await Promise.all([cycleCategories(deps.db, cycle.id), cycleDocuments(deps.db, cycle.id), listDistricts(deps.db, m.id)]);
    const districts = new Map<number, LocalizedText>(districtRows.map((d) => [d.id, d.names]));
    const sections = await renderSections('cycle', deps, req, { cycle, categories, now });
    return render(deps, req, reply, {
      title: contentText(req, cycle.title),
      body: (
        <>
          <p class="eyebrow">{t('pb.name')} · {cycle.year}</p>
          <h1><Content text={cycle.title} /></h1>
          {cycle.status === 'draft' && <Banner kind="warning" title={t('pb.cycle.draftTitle')}>{t('pb.cycle.draftLead')}</Banner>}
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          {mayManage(req) && <p><a href={staffCyclePath(req, cycle.number)}>{t('pb.cycle.manage')}</a></p>}
          <ContentBlock text={cycle.description} />
          <section aria-labelledby="pb-money">
            <h2 id="pb-money">{t('pb.cycle.amounts')}</h2>
            <SummaryList items={[[t('pb.cycles.field.totalAmount'), formatMoney(req.fmt, cycle.total_amount, cycle.currency)]]} />
            {categories.length > 0 && <CategoryAmounts req={req} cycle={cycle} categories={categories} districts={districts} />}
          </section>
          <section aria-labelledby="pb-rule">
            <h2 id="pb-rule">{t('pb.cycle.rule')}</h2>
            <RuleInWords req={req} cycle={cycle} />
          </section>
          <section aria-labelledby="pb-eligibility">
            <h2 id="pb-eligibility">{t('pb.cycle.eligibility')}</h2>
            <EligibilityInWords req={req} cycle={cycle} categories={categories} districts={districts} />
          </section>
          {documents.length > 0 && (
            <section aria-labelledby="pb-documents">
              <h2 id="pb-documents">{t('pb.cycle.documents')}</h2>
              <ul>{documents.map((d) => <li key={d.id}><a href={fileUrl(d.file_id)}><Content text={d.title} /></a> ({t('pb.cycle.pdf', { kb: Math.max(1, Math.round(d.size / 1024)) })})</li>)}</ul>
            </section>
          )}
          <CycleCalendar req={req} cycle={cycle} now={now} />
          {sections}
        </>
      ),
    });
  });
}
