import { Type } from 'typebox';
import { audit } from '../../../platform/audit/audit.ts';
import { randomToken, tokenHash } from '../../../platform/auth/tokens.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { render } from '../../../platform/http/render.tsx';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { Banner, Button, ErrorSummary, Field, Form, Table } from '../../../platform/views/components.tsx';
import { insertKey, listKeys, revokeKey } from '../open311/open311.repo.ts';
import { staffBase, StaffNav } from './nav.tsx';
import { createOnce, onceKey } from '../../../platform/idempotency/once.ts';

const KeySchema = Type.Object({ name: Type.String({ minLength: 2, maxLength: 120 }) });

/** Open311 keys: an administrator issues one per client (an app, a call centre) and can revoke it. */
export function registerKeyPages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'reports.keys');
  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/staff/keys',
    schema: KeySchema,
    title: (req) => req.t('reports.staff.keys'),
    guard,
    view: async (req, { errors, values }) => {
      const t = req.t;
      const keys = await listKeys(deps.db, req.municipality!.id);
      return (
        <>
          <h1>{t('reports.staff.keys')}</h1>
          <StaffNav req={req} />
          <p class="lead">{t('reports.staff.keysLead', { standard: 'Open311 GeoReport v2', param: 'jurisdiction_id', url: `${deps.config.baseUrl}/open311/v2/discovery.json`, jurisdiction: req.municipality!.slug })}</p>
          {keys.length > 0 && (
            <Table caption={t('reports.staff.keys')} captionHidden head={[t('field.name'), t('reports.staff.issuedOn'), t('reports.staff.state')]}
              rows={keys.map((k) => [k.name, req.fmt.date(k.created_at), k.revoked_at
                ? t('reports.staff.revokedOn', { date: req.fmt.date(k.revoked_at) })
                : <Form action={`${staffBase(req)}/keys/${k.id}/revoke`}><Button variant="danger">{t('reports.staff.revoke')}</Button></Form>])} />
          )}
          <h2>{t('reports.staff.issueKey')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={`${staffBase(req)}/keys`} once>
            <Field name="name" label={t('field.name')} hint={t('reports.staff.keyNameHint')} required maxLength={120} errors={errors} values={values} />
            <Button>{t('reports.staff.issueKey')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const m = req.municipality!;
      const key = randomToken();
      // A repeat of the form issues no second key and, since only the hash is kept, cannot show this one again.
      const issued = await createOnce(deps.db, onceKey(req), 'reports.key', async (trx) => {
        const row = await insertKey(trx, m.id, v.name, tokenHash(key), req.user!.id);
        await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: 'reports.key.issue', subjectType: 'open311_key', subjectId: row.id, after: { name: v.name }, ip: req.ip });
        return { key };
      }, () => true, () => ({ key: null }));
      if (!issued.key) return redirectWithFlash(reply, `${staffBase(req)}/keys`, { kind: 'success', message: req.t('reports.staff.keyIssuedBefore', { name: v.name }) });
      // Shown this once: only its hash is kept.
      return render(deps, req, reply, {
        title: req.t('reports.staff.keys'),
        body: (
          <>
            <h1>{req.t('reports.staff.keys')}</h1>
            <Banner kind="success" title={req.t('reports.staff.keyIssued', { name: v.name })}><p>{req.t('reports.staff.keyOnce')}</p><p><code class="hash">{key}</code></p></Banner>
            <p><a href={`${staffBase(req)}/keys`}>{req.t('reports.staff.keys')}</a></p>
          </>
        ),
      });
    },
  });

  app.post('/:locale/:municipality/reports/staff/keys/:id/revoke', { schema: { hide: true } }, async (req, reply) => {
    await guard(req, reply);
    if (reply.sent) return reply;
    const m = req.municipality!;
    const id = Number((req.params as { id: string }).id);
    const back = `${staffBase(req)}/keys`;
    const revoked = Number.isInteger(id) && await deps.db.transaction().execute(async (trx) => {
      const done = await revokeKey(trx, m.id, id);
      if (done) await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: 'reports.key.revoke', subjectType: 'open311_key', subjectId: id, ip: req.ip });
      return done;
    });
    return redirectWithFlash(reply, back, revoked ? { kind: 'success', message: req.t('reports.staff.keyRevoked') } : { kind: 'error', message: req.t('reports.staff.noSuchKey') });
  });
}
