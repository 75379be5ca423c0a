import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { Query, SingleLine } from '../http/input.ts';
import { render } from '../http/render.tsx';
import { safeNext } from '../http/request-context.ts';
import { localized } from '../i18n/i18n.ts';
import { onceKey } from '../idempotency/once.ts';
import { Content } from '../views/content.tsx';
import { Banner, Button, ErrorSummary, Field, Form, SummaryList, type FormErrors, type FormValues } from '../views/components.tsx';
import { findLastClosedLetter, findOpenLetter } from './letters.repo.ts';
import { enterCode, LETTER_MAX_ATTEMPTS, requestLetter } from './letters.service.ts';
import { guardWay, registerWayPage } from './way-guard.tsx';

/** The most lines an address may take: what fits in an envelope's window under the name. */
const ADDRESS_LINES = 6;
const RequestSchema = Type.Object({ recipient: Type.String({ minLength: 2, maxLength: 120, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }), address: Type.String({ minLength: 5, maxLength: 300 }) });
const CodeSchema = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
const NextQuery = Query({ next: SingleLine(500) });

registerWayPage('letter');

/** The resident's side of the postal code letter: ask for one, see where it is, enter its code. */
export function registerLetterPages(app: App, deps: Deps): void {
  const path = '/:locale/:municipality/residence/letter';
  const here = (req: FastifyRequest) => {
    const next = (req.query as { next?: string }).next;
    return `/${req.locale}/${req.municipality!.slug}/residence/letter${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  };
  const done = (req: FastifyRequest) => safeNext((req.query as { next?: string }).next, `/${req.locale}/${req.municipality!.slug}/`);

  async function show(req: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, values: FormValues = {}, status = 200) {
    const t = req.t;
    const m = req.municipality!;
    const user = req.user!;
    const open = await findOpenLetter(deps.db, m.id, user.id);
    const expired = !!open?.expires_at && new Date(open.expires_at) <= new Date();
    const last = open ? undefined : await findLastClosedLetter(deps.db, m.id, user.id);
    const action = here(req);
    const codeAction = action.replace('/residence/letter', '/residence/letter/code');
    const requestForm = (
      <Form action={action} once aria-label={t('residence.letter.ask')}>
        <Field name="recipient" label={t('residence.letter.recipient')} hint={t('residence.letter.recipientHint')} autocomplete="name" maxLength={120} required errors={errors}
          values={{ recipient: user.fullName, ...values }} />
        <Field name="address" label={t('residence.letter.address')} hint={t('residence.letter.addressHint', { municipality: localName(req) })} multiline rows={4}
          autocomplete="street-address" maxLength={300} required errors={errors} values={values} />
        <Button>{t('residence.letter.ask')}</Button>
      </Form>
    );
    let body;
    if (user.residentOf.includes(m.id)) {
      body = <Banner kind="success">{t('residence.letter.alreadyResident')} <a href={done(req)}>{t('residence.letter.continue')}</a></Banner>;
    } else if (!user.emailVerified) {
      body = <p>{t('residence.letter.emailFirst')} <a href={`/${req.locale}/account`}>{t('residence.letter.emailLink')}</a></p>;
    } else if (open && !open.printed_at) {
      body = (
        <>
          <Banner kind="info" title={t('residence.letter.waitingTitle')}>{t('residence.letter.waiting', { date: req.fmt.date(open.created_at) })}</Banner>
          <SummaryList items={[[t('residence.letter.recipient'), <Content text={open.recipient} />], [t('residence.letter.address'), <AddressLines text={open.address} />]]} />
        </>
      );
    } else if (open && !expired) {
      body = (
        <>
          <p>{t('residence.letter.sent', { date: req.fmt.date(open.printed_at!), until: req.fmt.date(open.expires_at!) })}</p>
          <SummaryList items={[[t('residence.letter.recipient'), <Content text={open.recipient} />], [t('residence.letter.address'), <AddressLines text={open.address} />]]} />
          <Form action={codeAction} aria-label={t('residence.letter.enter')}>
            <Field name="code" label={t('residence.letter.code')} hint={t('residence.letter.codeHint', { left: LETTER_MAX_ATTEMPTS - open.attempts })} autocomplete="one-time-code"
              maxLength={40} required errors={errors} values={values} />
            <Button>{t('residence.letter.enter')}</Button>
          </Form>
        </>
      );
    } else {
      const why = expired ? t('residence.letter.expired', { date: req.fmt.date(open!.expires_at!) })
        : last && last.code_hash === null && last.attempts >= LETTER_MAX_ATTEMPTS ? t('residence.letter.voided') : null;
      body = <>{why && <Banner kind="warning">{why}</Banner>}<p>{t('residence.letter.lead', { municipality: localName(req) })}</p>{requestForm}</>;
    }
    const title = t('residence.letter.title');
    return render(deps, req, reply, { title, status, body: <><h1>{title}</h1><ErrorSummary errors={errors} />{body}</> });
  }

  const opts = { schema: { hide: true, querystring: NextQuery } };
  app.get(path, opts, async (req, reply) => (await guardWay(deps, req, reply, 'letter')) ?? show(req, reply));

  app.post(path, { ...opts, config: { form: RequestSchema } }, async (req, reply) => {
    const stop = await guardWay(deps, req, reply, 'letter');
    if (stop) return stop;
    const parsed = parseBody(RequestSchema, req.body, req.t);
    if (!parsed.ok) return show(req, reply, parsed.errors, parsed.values, 400);
    const v = parsed.value;
    if (v.address.split('\n').length > ADDRESS_LINES) return show(req, reply, { address: req.t('residence.letter.addressLines', { max: ADDRESS_LINES }) }, v, 400);
    if (!req.user!.emailVerified) return show(req, reply, {}, v, 403);
    const r = await requestLetter(deps, req.user!, req.municipality!, v, onceKey(req));
    if (r.kind === 'open_exists') return show(req, reply, { _form: req.t('residence.letter.openExists') }, v, 409);
    const message = r.kind === 'already_resident' ? req.t('residence.letter.alreadyResident') : req.t('residence.letter.requested');
    return redirectWithFlash(reply, here(req), { kind: 'success', message });
  });

  app.post(`${path}/code`, { ...opts, config: { form: CodeSchema } }, async (req, reply) => {
    const stop = await guardWay(deps, req, reply, 'letter');
    if (stop) return stop;
    const parsed = parseBody(CodeSchema, req.body, req.t);
    if (!parsed.ok) return show(req, reply, parsed.errors, parsed.values, 400);
    const m = req.municipality!;
    const r = await enterCode(deps, req.user!, m, parsed.value.code, req.ip);
    switch (r.kind) {
      case 'confirmed': return redirectWithFlash(reply, done(req), { kind: 'success', message: req.t('residence.letter.confirmed', { municipality: localName(req) }) });
      case 'already_resident': return redirectWithFlash(reply, done(req), { kind: 'info', message: req.t('residence.letter.alreadyResident') });
      case 'wrong': return show(req, reply, { code: req.t('residence.letter.wrong', { left: r.left }) }, {}, 400);
      case 'void': return redirectWithFlash(reply, here(req), { kind: 'error', message: req.t('residence.letter.voided') });
      case 'expired': return redirectWithFlash(reply, here(req), { kind: 'error', message: req.t('residence.letter.expiredShort') });
      default: return redirectWithFlash(reply, here(req), { kind: 'error', message: req.t('residence.letter.noCode') });
    }
  });
}

const localName = (req: FastifyRequest) => localized(req.municipality!.names, req.locale);

/** An address as typed, a line of it a line on the page. */
export function AddressLines({ text }: { text: string }) {
  return <>{text.split('\n').map((line, i) => <span key={i}>{i > 0 && <br />}<Content text={line} /></span>)}</>;
}
