import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { startSession } from '../../../platform/auth/auth.web.tsx';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Button, Form, SummaryList } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { confirmGuestReport, pendingGuestReport } from '../report.guests.ts';
import { findCategory } from '../report.repo.ts';
import { reportPath, reportsBase } from './common.tsx';
import { Query, Text } from '../../../platform/http/input.ts';

const TokenSchema = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) });

/** A page that says why the link files nothing: `reports.web.guest.<key>.title|body`. */
function notice(deps: Deps, req: FastifyRequest, reply: FastifyReply, status: number, key: 'linkGone' | 'noLongerValid') {
  const title = req.t(`reports.web.guest.${key}.title`);
  return render(deps, req, reply, {
    title, status,
    body: <><h1>{title}</h1><p>{req.t(`reports.web.guest.${key}.body`)}</p><p><a href={`${reportsBase(req)}/new`}>{req.t('reports.web.new')}</a></p></>,
  });
}
const gone = (deps: Deps, req: FastifyRequest, reply: FastifyReply) => notice(deps, req, reply, 404, 'linkGone');

/**
 * A guest's confirmation link. Opening it shows the report and a button; only the button (a POST) files
 * it, so mail scanners that open links do not confirm reports for people.
 */
export function registerConfirmPages(app: App, deps: Deps): void {
  const url = '/:locale/:municipality/reports/confirm';

  app.get(url, { schema: { hide: true, querystring: Query({ token: Text(200) }) } }, async (req, reply) => {
    const token = String((req.query as { token?: string }).token ?? '');
    const pending = token.length >= 20 ? await pendingGuestReport(deps, req.municipality!, token) : undefined;
    if (!pending) return gone(deps, req, reply);
    if (pending.number) return reply.redirect(reportPath(req, pending.number), 303);
    const t = req.t;
    const category = await findCategory(deps.db, req.municipality!.id, pending.report.category);
    return render(deps, req, reply, {
      title: t('reports.web.guest.confirmTitle'),
      body: (
        <>
          <h1>{t('reports.web.guest.confirmTitle')}</h1>
          <p class="lead">{t('reports.web.guest.confirmLead', { email: pending.email })}</p>
          <SummaryList items={[
            [t('reports.web.field.title'), <Content text={pending.report.title} />],
            ...(category ? [[t('reports.web.category'), localized(category.names, req.locale)] as [string, string]] : []),
            ...(pending.report.address ? [[t('reports.web.field.address'), pending.report.address] as [string, string]] : []),
          ]} />
          <Form action={`${reportsBase(req)}/confirm`}>
            <input type="hidden" name="token" value={token} />
            <Button>{t('reports.web.guest.confirm')}</Button>
          </Form>
        </>
      ),
    });
  });

  app.post(url, { config: { rateLimit: { max: 30, timeWindow: 600_000 } }, schema: { hide: true } }, async (req, reply) => {
    const parsed = parseBody(TokenSchema, req.body, req.t);
    if (!parsed.ok) return gone(deps, req, reply);
    const r = await confirmGuestReport(deps, req.municipality!, parsed.value.token);
    switch (r.kind) {
      case 'filed':
        // The link proved the address; whoever is already signed in stays who they are.
        if (!req.user) await startSession(deps, req, reply, r.userId);
        return redirectWithFlash(reply, reportPath(req, r.number), { kind: 'success', message: req.t('reports.web.created', { number: r.number }) });
      case 'already':
        return r.number ? reply.redirect(reportPath(req, r.number), 303) : gone(deps, req, reply);
      case 'invalid':
        return gone(deps, req, reply);
      default:
        // The category was retired or the municipality's area changed since the report was typed.
        return notice(deps, req, reply, 409, 'noLongerValid');
    }
  });
}
