import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { Button, ErrorSummary, Field, Form, Select, Table, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { findPetition, type PetitionRow } from '../petition.repo.ts';
import { listBlockedDomains, setDomainBlocked, trendingSigners } from '../signature.repo.ts';
import { invalidateSignatures } from '../signature.service.ts';
import { loadPetition, petitionPath, routeNumber } from '../web/common.tsx';
import { guard, staffBase, StaffNav } from './nav.tsx';
import { countMatching } from './staff.repo.ts';
import { parseLocalDateTime } from '../../../platform/time/working-days.ts';
import { Query, Text } from '../../../platform/http/input.ts';

const WINDOWS = { '1': 1, '6': 6, '24': 24 } as const;
const DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?$';
const InvalidateSchema = Type.Object({
  ipPrefix: Type.Optional(Type.String({ maxLength: 64 })),
  emailDomain: Type.Optional(Type.String({ maxLength: 253 })),
  since: Type.Optional(Type.String({ pattern: DATE_TIME })),
  until: Type.Optional(Type.String({ pattern: DATE_TIME })),
  reason: Type.String({ minLength: 10, maxLength: 2000 }),
});
const DomainSchema = Type.Object({ domain: Type.String({ pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$', maxLength: 253 }), action: Type.Enum(['block', 'unblock']) });


/** The invalidation filter typed in the form; times are the municipality's local time, empty fields no bound. */
function filterOf(v: { ipPrefix?: string | undefined; emailDomain?: string | undefined; since?: string | undefined; until?: string | undefined }, timeZone: string) {
  return {
    ipPrefix: v.ipPrefix?.trim() || undefined,
    emailDomain: v.emailDomain?.trim().toLowerCase() || undefined,
    since: v.since ? parseLocalDateTime(v.since, timeZone) : undefined,
    until: v.until ? parseLocalDateTime(v.until, timeZone) : undefined,
  };
}

/** Trending signers, bulk invalidation and the e-mail domain block list. */
export function registerAntifraudPages(app: App, deps: Deps): void {
  const antifraud = guard(deps, 'petitions.antifraud');

  app.get('/:locale/:municipality/petitions/staff/signers', { schema: { hide: true, querystring: Query({ hours: Text(10) }) }, preHandler: antifraud }, async (req, reply) => {
    const hours = WINDOWS[(req.query as { hours?: keyof typeof WINDOWS }).hours ?? '1'] ?? 1;
    const { byIp, byDomain } = await trendingSigners(deps.db, req.municipality!.id, new Date(Date.now() - hours * 3_600_000));
    const t = req.t;
    const base = `/${req.locale}/${req.municipality!.slug}/petitions`;
    const table = (caption: string, keyLabel: string, rows: typeof byIp) => (
      <Table caption={caption} head={[keyLabel, t('petitions.staff.petition'), t('petitions.staff.signatures')]} numeric={[2]}
        rows={rows.map((r) => [r.key ?? '—', <a href={`${base}/${r.number}/invalidate`}>{t('petitions.number', { number: r.number })}: <Content text={r.title} /></a>, String(r.n)])} />
    );
    return render(deps, req, reply, {
      title: t('petitions.staff.signers'),
      body: (
        <>
          <h1>{t('petitions.staff.signers')}</h1>
          <StaffNav req={req} />
          <form method="get" class="filters">
            <Select name="hours" label={t('petitions.staff.window')} value={String(hours)}
              options={Object.keys(WINDOWS).map((h) => ({ value: h, label: t('petitions.staff.lastHours', { hours: Number(h) }) }))} />
            <button class="button button--secondary" type="submit">{t('petitions.web.apply')}</button>
          </form>
          {table(t('petitions.staff.byIp'), t('petitions.staff.ipPrefix'), byIp)}
          {table(t('petitions.staff.byDomain'), t('petitions.staff.emailDomain'), byDomain)}
        </>
      ),
    });
  });

  const current = (req: FastifyRequest) => findPetition(deps.db, req.municipality!.id, routeNumber(req)) as Promise<PetitionRow>;
  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/:number/invalidate',
    // The signers page links here with its filter in the query; the same fields as the form.
    query: Query({ ipPrefix: Text(64), emailDomain: Text(253), since: Text(40), until: Text(40) }),
    schema: InvalidateSchema,
    title: (req) => req.t('petitions.web.invalidate'),
    async guard(req, reply) {
      await antifraud(req, reply);
      if (!reply.sent) await loadPetition(deps, req, reply);
    },
    initial: (req) => req.query as FormValues,
    view: async (req, { errors, values }) => {
      const p = await current(req);
      const v = values as Record<string, string | undefined>;
      const filter = filterOf(v, req.municipality!.time_zone);
      const any = filter.ipPrefix || filter.emailDomain || filter.since || filter.until;
      const matching = any ? await countMatching(deps.db, p.id, filter) : null;
      const f = { errors, values };
      return (
        <>
          <h1>{req.t('petitions.web.invalidate')}</h1>
          <p><a href={petitionPath(req, p.number)}>{req.t('petitions.number', { number: p.number })}: <Content text={p.title} /></a></p>
          <p class="lead">{req.t('petitions.staff.invalidateLead')}</p>
          <ErrorSummary errors={errors} />
          {matching !== null && <p role="status">{req.t('petitions.staff.matching', { count: matching })}</p>}
          <Form action={`${petitionPath(req, p.number)}/invalidate`}>
            <Field name="ipPrefix" label={req.t('petitions.staff.ipPrefix')} hint={req.t('petitions.staff.ipPrefixHint')} {...f} />
            <Field name="emailDomain" label={req.t('petitions.staff.emailDomain')} {...f} />
            <Field name="since" label={req.t('petitions.staff.since')} hint={req.t('petitions.staff.timeHint')} {...f} />
            <Field name="until" label={req.t('petitions.staff.until')} {...f} />
            <Field name="reason" label={req.t('petitions.staff.publicReason')} hint={req.t('petitions.staff.publicReasonHint')} multiline rows={4} required {...f} />
            <Button variant="danger">{req.t('petitions.web.invalidate')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const p = await current(req);
      const filter = filterOf(v, req.municipality!.time_zone);
      const r = await invalidateSignatures(deps, { id: req.user!.id, ip: req.ip }, req.municipality!, p, filter, v.reason.trim());
      if (r.kind === 'empty_filter') return { ipPrefix: req.t('petitions.staff.filterNeeded') };
      if (r.kind === 'none') return { ipPrefix: req.t('petitions.staff.noneMatch') };
      return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t('petitions.staff.invalidated', { count: r.count }) });
    },
  });

  const domainsPage = async (req: FastifyRequest, reply: import('fastify').FastifyReply, errors: FormErrors, values: FormValues, status = 200) => {
    const list = await listBlockedDomains(deps.db, req.municipality!.id);
    const action = `${staffBase(req)}/domains`;
    return render(deps, req, reply, {
      title: req.t('petitions.staff.domains'), status,
      body: (
        <>
          <h1>{req.t('petitions.staff.domains')}</h1>
          <StaffNav req={req} />
          <p class="lead">{req.t('petitions.staff.domainsLead')}</p>
          <ErrorSummary errors={errors} />
          <Table caption={req.t('petitions.staff.domains')} captionHidden head={[req.t('petitions.staff.emailDomain'), req.t('petitions.staff.action')]}
            rows={list.map((d) => [d.domain, <Form action={action}><input type="hidden" name="domain" value={d.domain} /><Button variant="secondary" name="action" value="unblock">{req.t('petitions.staff.unblock')}</Button></Form>])} />
          <Form action={action}>
            <Field name="domain" label={req.t('petitions.staff.emailDomain')} hint={req.t('petitions.staff.domainHint')} required errors={errors} values={values} />
            <Button name="action" value="block">{req.t('petitions.staff.block')}</Button>
          </Form>
        </>
      ),
    });
  };
  app.get('/:locale/:municipality/petitions/staff/domains', { schema: { hide: true }, preHandler: antifraud }, (req, reply) => domainsPage(req, reply, {}, {}));
  app.post('/:locale/:municipality/petitions/staff/domains', { schema: { hide: true }, preHandler: antifraud }, async (req, reply) => {
    const body = { ...(req.body as Record<string, unknown>) };
    if (typeof body.domain === 'string') body.domain = body.domain.trim().toLowerCase().replace(/^@/, '');
    const parsed = parseBody(DomainSchema, body, req.t);
    if (!parsed.ok) return domainsPage(req, reply, parsed.errors, parsed.values, 400);
    const { domain, action } = parsed.value;
    const m = req.municipality!;
    await deps.db.transaction().execute(async (trx) => {
      await setDomainBlocked(trx, m.id, domain, action === 'block');
      await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: `petitions.domain.${action}`, subjectType: 'email_domain', subjectId: domain, ip: req.ip });
    });
    return redirectWithFlash(reply, `${staffBase(req)}/domains`, { kind: 'success', message: req.t(`petitions.staff.${action}ed`, { domain }) });
  });
}
