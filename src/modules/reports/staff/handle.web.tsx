import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { listDepartments } from '../../../platform/tenancy/municipality.repo.ts';
import { Button, ErrorSummary, Field, Form, Select, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content, contentText } from '../../../platform/views/content.tsx';
import { listAllEvents, listTemplates, OPEN_STATUSES, type ReportRow } from '../report.repo.ts';
import { reportSettings } from '../report.settings.ts';
import { addStaffNote, closeReport, MOVES, moveByStaff, placeReport, reassignReport, type Move, type StaffOutcome } from '../report.workflow.ts';
import { loadReport, reportPath, ReportStatusTag } from '../web/common.tsx';
import { PlaceFields } from '../../../platform/views/map.tsx';
import { StaffNav } from './nav.tsx';
import { Query, Text } from '../../../platform/http/input.ts';

const note = Type.Optional(Type.String({ maxLength: 2000 }));
// Each form's message has a name of its own: one page, so each field needs an id of its own.
const MoveSchema = Type.Object({ move: Type.Enum(Object.keys(MOVES) as Move[]), moveNote: note });
const CloseSchema = Type.Object({ reason: Type.Enum(['not_responsible', 'duplicate', 'no_action']), duplicateOf: Type.Optional(Type.Integer({ minimum: 1 })), closeNote: note });
const ReassignSchema = Type.Object({ departmentId: Type.Integer({ minimum: 1 }) });
const PlaceSchema = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) });
const NoteSchema = Type.Object({ note: Type.String({ minLength: 2, maxLength: 2000 }), visibility: Type.Enum(['public', 'internal']) });

/** Which form a POST came from, so its errors and values are shown in that form alone. */
type Which = 'move' | 'close' | 'reassign' | 'note' | 'place';
interface Shown { which?: Which; errors?: FormErrors; values?: FormValues }

async function HandlePage({ deps, req, r, shown }: { deps: Deps; req: FastifyRequest; r: ReportRow; shown: Shown }) {
  const t = req.t;
  const path = `${reportPath(req, r.number)}/handle`;
  const open = OPEN_STATUSES.includes(r.status);
  const [events, departments, templates] = await Promise.all([listAllEvents(deps.db, r.id), listDepartments(deps.db, r.municipality_id), listTemplates(deps.db, r.municipality_id)]);
  // A template chosen (a plain GET, so it works without scripts) starts every message field.
  const chosen = templates.find((x) => String(x.id) === (req.query as { template?: string }).template);
  const start: FormValues = chosen ? { moveNote: chosen.body, closeNote: chosen.body, note: chosen.body } : {};
  const f = (which: Which) => (shown.which === which ? { errors: shown.errors ?? {}, values: shown.values ?? {} } : { errors: {}, values: start });
  const placed = shown.which === 'place' ? f('place').values : r.located ? { lat: r.lat, lng: r.lng } : {};
  const moves = (Object.keys(MOVES) as Move[]).filter((mv) => (MOVES[mv].from as readonly string[]).includes(r.status));
  return (
    <>
      <p class="eyebrow">{t('reports.number', { number: r.number })} · <ReportStatusTag status={r.status} /></p>
      <h1><Content text={r.title} /></h1>
      <StaffNav req={req} />
      <p><a href={reportPath(req, r.number)}>{t('reports.staff.publicPage')}</a></p>
      <ErrorSummary errors={shown.errors} />
      {templates.length > 0 && (
        <form method="get" action={path} class="filters" aria-label={t('reports.templates.use')}>
          <Select name="template" label={t('reports.templates.use')} value={chosen ? String(chosen.id) : ''}
            options={[{ value: '', label: t('reports.web.choose') }, ...templates.map((x) => ({ value: String(x.id), label: x.title }))]} />
          <button class="button button--secondary" type="submit">{t('reports.templates.insert')}</button>
        </form>
      )}
      {moves.length > 0 && (
        <Form action={`${path}/move`} aria-label={t('reports.staff.moveTitle')}>
          <h2>{t('reports.staff.moveTitle')}</h2>
          <Select name="move" label={t('reports.staff.move')} errors={f('move').errors} value={String(f('move').values.move ?? moves[0])}
            options={moves.map((mv) => ({ value: mv, label: t(`reports.staff.move.${mv}`) }))} />
          <Field name="moveNote" label={t('reports.staff.publicNote')} hint={t('reports.staff.publicNoteHint')} multiline rows={3} maxLength={2000} {...f('move')} />
          <Button>{t('reports.staff.save')}</Button>
        </Form>
      )}
      {open && (
        <Form action={`${path}/close`} aria-label={t('reports.staff.closeTitle')}>
          <h2>{t('reports.staff.closeTitle')}</h2>
          <Select name="reason" label={t('reports.staff.reason')} errors={f('close').errors} value={String(f('close').values.reason ?? '')}
            options={['not_responsible', 'duplicate', 'no_action'].map((x) => ({ value: x, label: t(`reports.close.${x}`) }))} />
          <Field name="duplicateOf" label={t('reports.staff.duplicateOf')} hint={t('reports.staff.duplicateOfHint')} inputMode="numeric" {...f('close')} />
          <Field name="closeNote" label={t('reports.staff.publicNote')} multiline rows={3} maxLength={2000} {...f('close')} />
          <Button variant="secondary">{t('reports.staff.close')}</Button>
        </Form>
      )}
      {open && departments.length > 1 && (
        <Form action={`${path}/reassign`} aria-label={t('reports.staff.reassignTitle')}>
          <h2>{t('reports.staff.reassignTitle')}</h2>
          <Select name="departmentId" label={t('reports.staff.department')} errors={f('reassign').errors} value={String(f('reassign').values.departmentId ?? r.department_id ?? '')}
            options={departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))} />
          <Button variant="secondary">{t('reports.staff.reassign')}</Button>
        </Form>
      )}
      <Form action={`${path}/place`} aria-label={t('reports.staff.placeTitle')}>
        <h2>{t('reports.staff.placeTitle')}</h2>
        <p class="field__hint">{r.located ? t('reports.staff.placeHint') : t('reports.staff.notPlacedHint', { address: r.address ?? '' })}</p>
        <PlaceFields deps={deps} req={req} errors={f('place').errors} values={placed} address={false} grouped={false} required />
        <Button variant="secondary">{t('reports.staff.place')}</Button>
      </Form>
      <Form action={`${path}/note`} aria-label={t('reports.staff.noteTitle')}>
        <h2>{t('reports.staff.noteTitle')}</h2>
        <Field name="note" label={t('reports.staff.noteText')} multiline rows={3} required maxLength={2000} {...f('note')} />
        <Select name="visibility" label={t('reports.staff.visibility')} errors={f('note').errors} value={String(f('note').values.visibility ?? 'internal')}
          options={[{ value: 'internal', label: t('reports.staff.internal') }, { value: 'public', label: t('reports.staff.public') }]} />
        <Button variant="secondary">{t('reports.staff.addNote')}</Button>
      </Form>
      <h2>{t('reports.web.timeline')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.created_at).toISOString()}>{req.fmt.dateTime(e.created_at)}</time> {t(`reports.event.${e.kind}`)}
            {e.actor_name ? <> · <Content text={e.actor_name} /></> : ''}{!e.public ? ` · ${t('reports.staff.internal')}` : ''}{e.note ? <>: <Content text={e.note} /></> : ''}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Officials' page of one report: move it on, close it with a reason, send it elsewhere, add notes. */
export function registerHandlePages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'reports.handle');
  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    await guard(req, reply);
    return reply.sent ? null : loadReport(deps, req, reply);
  };
  // An async component is not awaited by the renderer: its markup is built first.
  const show = async (req: FastifyRequest, reply: FastifyReply, r: ReportRow, shown: Shown, status = 200) =>
    render(deps, req, reply, { title: contentText(req, r.title), status, body: await HandlePage({ deps, req, r, shown }) });

  app.get('/:locale/:municipality/reports/:number/handle', { schema: { hide: true, querystring: Query({ template: Text(20) }) } }, async (req, reply) => {
    const r = await load(req, reply);
    return r ? show(req, reply, r, {}) : reply;
  });

  /** One POST route per form: parse, act, then redirect with a message or show that form's errors. */
  function action<S extends TSchema>(which: Which, schema: S, act: (v: import('typebox').Static<S>, r: ReportRow, req: FastifyRequest) => Promise<StaffOutcome>) {
    app.post(`/:locale/:municipality/reports/:number/handle/${which}`, { schema: { hide: true } }, async (req, reply) => {
      const r = await load(req, reply);
      if (!r) return reply;
      const parsed = parseBody(schema, req.body, req.t);
      if (!parsed.ok) return show(req, reply, r, { which, errors: parsed.errors, values: parsed.values }, 400);
      const outcome = await act(parsed.value, r, req);
      const back = `${reportPath(req, r.number)}/handle`;
      switch (outcome.kind) {
        case 'done': return redirectWithFlash(reply, back, { kind: 'success', message: req.t('reports.staff.saved') });
        case 'stale': return redirectWithFlash(reply, back, { kind: 'error', message: req.t('reports.staff.stale') });
        case 'unknown_duplicate': return show(req, reply, r, { which, errors: { duplicateOf: req.t('reports.staff.unknownDuplicate') }, values: parsed.value as FormValues }, 400);
        case 'unknown_department': return show(req, reply, r, { which, errors: { departmentId: req.t('reports.staff.unknownDepartment') }, values: parsed.value as FormValues }, 400);
        case 'same_department': return redirectWithFlash(reply, back, { kind: 'info', message: req.t('reports.staff.sameDepartment') });
        case 'outside': return show(req, reply, r, { which, errors: { lat: req.t('reports.web.outside', { km: reportSettings(req.municipality!).radiusKm, municipality: localized(req.municipality!.names, req.locale) }) }, values: parsed.value as FormValues }, 400);
      }
    });
  }
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });
  action('move', MoveSchema, (v, r, req) => moveByStaff(deps, actor(req), req.municipality!, r, v.move, v.moveNote ?? null));
  action('close', CloseSchema, (v, r, req) => closeReport(deps, actor(req), req.municipality!, r, v.reason, v.duplicateOf ?? null, v.closeNote ?? null));
  action('reassign', ReassignSchema, (v, r, req) => reassignReport(deps, actor(req), req.municipality!, r, v.departmentId));
  action('place', PlaceSchema, (v, r, req) => placeReport(deps, actor(req), req.municipality!, r, { lat: v.lat, lng: v.lng }));
  action('note', NoteSchema, (v, r, req) => addStaffNote(deps, actor(req), req.municipality!, r, v.note, v.visibility === 'public'));
}
