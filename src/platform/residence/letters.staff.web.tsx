import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { render } from '../http/render.tsx';
import { onceKey } from '../idempotency/once.ts';
import { AdminNav, requirePermission } from '../tenancy/admin.web.tsx';
import { Banner, Button, EmptyState, Form, Table } from '../views/components.tsx';
import { Content } from '../views/content.tsx';
import { listOpenLetters } from './letters.repo.ts';
import { lettersPdf } from './letters.pdf.ts';
import { AddressLines } from './letters.web.tsx';
import { LETTER_BATCH_MAX, LETTER_MAX_ATTEMPTS, LETTER_VALID_DAYS, printedCodes, printLetters } from './letters.service.ts';
import { guardWay } from './way-guard.tsx';
import { offersWay } from './residence.ways.ts';

const ACTION = 'residence.letters';

/** Registrars' (and the municipal admin's) side of postal code letters: what waits to be printed, printing in one PDF, printing again. */
export function registerLetterStaffPages(app: App, deps: Deps): void {
  const path = '/:locale/:municipality/admin/letters';
  const base = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/admin/letters`;

  async function show(req: FastifyRequest, reply: FastifyReply) {
    const t = req.t;
    const m = req.municipality!;
    const [waiting, printed] = await Promise.all([listOpenLetters(deps.db, m.id, false), listOpenLetters(deps.db, m.id, true)]);
    const title = t('residence.letters.title');
    const who = (l: { recipient: string; address: string }) => <><Content text={l.recipient} /><br /><AddressLines text={l.address} /></>;
    return render(deps, req, reply, {
      title,
      body: (
        <>
          <h1>{title}</h1>
          <AdminNav req={req} />
          <p class="lead">{t('residence.letters.lead', { days: LETTER_VALID_DAYS, attempts: LETTER_MAX_ATTEMPTS })}</p>
          {!offersWay(req.municipality, 'letter') && <Banner kind="warning">{t('residence.letters.off')}</Banner>}
          <h2>{t('residence.letters.waiting')}</h2>
          {waiting.length === 0
            ? <EmptyState title={t('residence.letters.noneWaiting')} />
            : <>
              <Table caption={t('residence.letters.waiting')} captionHidden head={[t('residence.letters.to'), t('residence.letters.asked')]}
                rows={waiting.map((l) => [who(l), req.fmt.dateTime(l.created_at)])} />
              <Form action={`${base(req)}/print`} once aria-label={t('residence.letters.printAll')}>
                <Button>{t('residence.letters.printCount', { count: Math.min(waiting.length, LETTER_BATCH_MAX) })}</Button>
              </Form>
            </>}
          <h2>{t('residence.letters.printed')}</h2>
          {printed.length === 0
            ? <EmptyState title={t('residence.letters.nonePrinted')} />
            : <Table caption={t('residence.letters.printed')} captionHidden
              head={[t('residence.letters.to'), t('residence.letters.printedOn'), t('residence.letters.until'), t('residence.letters.wrongCodes'), '']}
              rows={printed.map((l) => [who(l), <>{req.fmt.dateTime(l.printed_at!)}{l.printed_by_name && <><br /><Content text={l.printed_by_name} /></>}</>,
                req.fmt.date(l.expires_at!), req.fmt.number(l.attempts),
                <Form action={`${base(req)}/${l.id}/print`} once aria-label={t('residence.letters.reprintOf', { name: l.recipient })}>
                  <Button variant="secondary">{t('residence.letters.reprint')}<span class="visually-hidden"> {l.recipient}</span></Button>
                </Form>])} />}
        </>
      ),
    });
  }

  app.get(path, { schema: { hide: true } }, async (req, reply) =>
    requirePermission(deps, req, reply, ACTION, { municipalityId: req.municipality!.id }) ?? show(req, reply));

  /** Prints and answers with the PDF; a repeat of the form gets the same PDF (the same codes), never new ones. */
  async function print(req: FastifyRequest, reply: FastifyReply, which: 'waiting' | number[]) {
    const m = req.municipality!;
    const stop = requirePermission(deps, req, reply, ACTION, { municipalityId: m.id }) ?? (await guardWay(deps, req, reply, 'letter'));
    if (stop) return stop;
    const once = onceKey(req);
    const r = await printLetters(deps, { id: req.user!.id, ip: req.ip }, m, which, once);
    if (r.kind === 'none') return redirectWithFlash(reply, base(req), { kind: 'info', message: req.t('residence.letters.nothing') });
    const letters = await printedCodes(deps, m, r, r.nonce ?? once!.key);
    if (letters.length === 0) return redirectWithFlash(reply, base(req), { kind: 'info', message: req.t('residence.letters.printedSince') });
    const pdf = await lettersPdf(m, letters, deps.config.baseUrl);
    return reply.type('application/pdf').header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="letters-${m.slug}-${r.printedAt.slice(0, 10)}.pdf"`).send(pdf);
  }

  app.post(`${path}/print`, { schema: { hide: true } }, (req, reply) => print(req, reply, 'waiting'));
  app.post(`${path}/:id/print`, { schema: { hide: true } }, (req, reply) => print(req, reply, [Number((req.params as { id: string | number }).id)]));
}
