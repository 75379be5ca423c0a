import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { formRoute } from '../../../../platform/http/form-route.tsx';
import { Id } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { DOCUMENT_TYPES } from '../../../../platform/residence/residence.tables.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { Banner, Button, ErrorSummary, Field, Form, Select, Table, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { useFieldLabel } from '../../../../platform/views/context.ts';
import { findCycle, listCycles } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbStaffBase } from '../../paths.ts';
import { votingOpen } from '../../phase.ts';
import { PhaseBanner } from '../../web/phase.tsx';
import { AGE_BANDS } from '../age.ts';
import { loadCycleBallot, type CycleBallot } from '../ballot.rules.ts';
import { recordPaper, type PaperOutcome } from '../paper.service.ts';
import { categoryName, money, problemMessage, routeNumber } from './common.tsx';

const PaperForm = Type.Object({
  documentType: Type.Enum([...DOCUMENT_TYPES]),
  documentNumber: Type.String({ minLength: 1, maxLength: 64 }),
  district: Type.Optional(Id()),
  ageBand: Type.Optional(Type.Enum([...AGE_BANDS])),
  ageChecked: Type.Optional(Type.Literal('on')),
  choices: Type.Array(Id({ maximum: 999_999_999 }), { minItems: 1, maxItems: 100 }),
});

const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** The admitted projects as the paper form lists them: one group of checkboxes per category, under one legend. */
function PaperChoices({ req, cycle, ballot, checked, errors }: { req: FastifyRequest; cycle: Cycle; ballot: CycleBallot; checked: string[]; errors: FormErrors }) {
  const legend = req.t('pb.paper.choices');
  useFieldLabel('choices', legend);
  return (
    <fieldset class={`field${errors.choices ? ' field--error' : ''}`} id="f-choices">
      <legend class="field__label">{legend}</legend>
      {errors.choices && <p class="field__error">{errors.choices}</p>}
      {ballot.categories.map((c) => (
        <fieldset key={c.slug} class="field">
          <legend>{categoryName(req, ballot, c.slug)}</legend>
          {ballot.projects.filter((p) => p.category === c.slug).map((p) => (
            <div class="checkbox" key={p.number}>
              <input type="checkbox" id={`f-choices-${p.number}`} name="choices" value={String(p.number)} checked={checked.includes(String(p.number))} />
              <label for={`f-choices-${p.number}`}>#{p.number} <Content text={p.title} /> — {money(req, cycle, p.cost)}</label>
            </div>
          ))}
        </fieldset>
      ))}
    </fieldset>
  );
}

/** The field errors of a refused paper ballot. */
function paperErrors(req: FastifyRequest, cycle: Cycle, ballot: CycleBallot, r: Exclude<PaperOutcome, { kind: 'recorded' | 'not_open' }>): FormErrors {
  const t = req.t;
  switch (r.kind) {
    case 'no_number': return { documentNumber: t('pb.paper.noNumber') };
    case 'age': return { [cycle.min_age !== null ? 'ageChecked' : 'ageBand']: t('pb.paper.age', { min: cycle.min_age ?? 0 }) };
    case 'already': return { documentNumber: t(`pb.paper.already.${r.channel}`, { date: req.fmt.dateTime(r.at) }) };
    case 'retry': return { documentNumber: t('pb.paper.retry') };
    case 'refused': return { [r.problem.code === 'district' ? 'district' : 'choices']: problemMessage(req, cycle, ballot, r.problem) };
  }
}

/** Registrars and officials record paper ballots from an offline point: a list of cycles, then a form per cycle. */
export function registerPaperPages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'pb.paper');
  const base = (req: FastifyRequest) => `${pbStaffBase(req)}/paper`;

  app.get('/:locale/:municipality/participatory-budget/staff/paper', { schema: { hide: true } }, async (req, reply) => {
    await guard(req, reply);
    if (reply.sent) return reply;
    const now = new Date();
    const open = (await listCycles(deps.db, req.municipality!.id)).filter((c) => votingOpen(c, now));
    const t = req.t;
    return render(deps, req, reply, {
      title: t('pb.paper.title'),
      body: (
        <>
          <h1>{t('pb.paper.title')}</h1>
          <p class="lead">{t('pb.paper.indexLead')}</p>
          {open.length === 0 ? <p>{t('pb.paper.noneOpen')}</p> : (
            <Table caption={t('pb.paper.openCycles')} head={[t('pb.paper.cycle'), t('pb.paper.closes')]}
              rows={open.map((c) => [<a href={`${pbStaffBase(req)}/cycles/${c.number}/paper`}><Content text={c.title} /></a>, req.fmt.dateTime(c.voting_closes)])} />
          )}
        </>
      ),
    });
  });

  const cycleOf = async (req: FastifyRequest) => {
    const cycle = await findCycle(deps.db, req.municipality!.id, routeNumber(req));
    return cycle && cycle.status === 'published' ? cycle : undefined;
  };

  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/cycles/:number/paper',
    schema: PaperForm,
    title: (req) => req.t('pb.paper.title'),
    async guard(req, reply) {
      await guard(req, reply);
      if (reply.sent) return reply;
      if (!(await cycleOf(req))) return notFound(deps, req, reply);
      return undefined;
    },
    async view(req, { errors, values }: { errors: FormErrors; values: FormValues }) {
      const cycle = (await cycleOf(req))!;
      const ballot = await loadCycleBallot(deps.db, cycle);
      const t = req.t;
      const now = new Date();
      const f = { errors, values };
      const districts = [...new Map(ballot.categories.filter((c) => c.districtId !== null).map((c) => [c.districtId!, localized(c.districtNames ?? {}, req.locale)])).entries()];
      return (
        <>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <p><a href={base(req)}>{t('pb.paper.title')}</a></p>
          <h1>{t('pb.paper.formTitle', { number: cycle.number })}</h1>
          <p class="lead"><Content text={cycle.title} /></p>
          {!votingOpen(cycle, now) && <Banner kind="warning">{t('pb.paper.notOpen')}</Banner>}
          <p>{t('pb.paper.lead')}</p>
          <ErrorSummary errors={errors} />
          <Form action={`${pbStaffBase(req)}/cycles/${cycle.number}/paper`} once>
            <Select name="documentType" label={t('pb.paper.documentType')} value={String(values.documentType ?? 'passport')} errors={errors}
              options={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`residence.document.${d}`) }))} />
            <Field name="documentNumber" label={t('pb.paper.documentNumber')} hint={t('pb.paper.documentNumberHint')} autocomplete="off" maxLength={64} required errors={errors} />
            {districts.length > 0 && (
              <Select name="district" label={t('pb.paper.district')} hint={t('pb.paper.districtHint')} value={String(values.district ?? '')} errors={errors}
                options={[{ value: '', label: t('pb.paper.noDistrict') }, ...districts.map(([id, name]) => ({ value: String(id), label: name }))]} />
            )}
            <Select name="ageBand" label={t('pb.paper.ageBand')} hint={t('pb.paper.ageBandHint')} value={String(values.ageBand ?? '')} errors={errors}
              options={[{ value: '', label: t('pb.paper.noAgeBand') }, ...AGE_BANDS.map((b) => ({ value: b, label: b }))]} />
            {cycle.min_age !== null && (
              <div class={`field${errors.ageChecked ? ' field--error' : ''}`}>
                {errors.ageChecked && <p class="field__error">{errors.ageChecked}</p>}
                <div class="checkbox">
                  <input type="checkbox" id="f-ageChecked" name="ageChecked" value="on" checked={values.ageChecked === 'on'} />
                  <label for="f-ageChecked">{t('pb.paper.ageChecked', { min: cycle.min_age })}</label>
                </div>
              </div>
            )}
            <PaperChoices req={req} cycle={cycle} ballot={ballot} checked={asList(values.choices)} errors={errors} />
            <Button>{t('pb.paper.record')}</Button>
          </Form>
          <p>{t('pb.paper.privacy')}</p>
        </>
      );
    },
    async handle(v, req, reply) {
      const cycle = (await cycleOf(req))!;
      const m = req.municipality!;
      const r = await recordPaper(deps, { id: req.user!.id, ip: req.ip }, m, cycle, {
        documentType: v.documentType, documentNumber: v.documentNumber, districtId: v.district ?? null, ageBand: v.ageBand ?? null, ageChecked: v.ageChecked === 'on', choices: v.choices,
      }, onceKey(req));
      const here = `${pbStaffBase(req)}/cycles/${cycle.number}/paper`;
      if (r.kind === 'recorded') return redirectWithFlash(reply, here, { kind: 'success', message: req.t('pb.paper.recorded', { voter: r.voter.slice(0, 12) }) });
      if (r.kind === 'not_open') return redirectWithFlash(reply, here, { kind: 'error', message: req.t('pb.paper.notOpen') });
      return paperErrors(req, cycle, await loadCycleBallot(deps.db, cycle), r);
    },
  });
}
