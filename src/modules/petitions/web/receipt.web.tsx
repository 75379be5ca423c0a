import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { Banner, SummaryList } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { Query, Text } from '../../../platform/http/input.ts';
import { findPetition, type PetitionRow } from '../petition.repo.ts';
import { petitionSettings } from '../petition.settings.ts';
import { countSignatures, signatureReceipt } from '../signature.service.ts';
import { canSee, petitionPath, routeNumber } from './common.tsx';

/** What the signer can expect from here, in the petition's current state: counts, deadlines and the mail that will come. */
function NextSteps({ req, p, count }: { req: FastifyRequest; p: PetitionRow; count: number }) {
  const t = req.t;
  const date = (d: Date | null) => (d ? req.fmt.date(d) : '—');
  const days = petitionSettings(req.municipality!).responseDays;
  const lines: string[] = [];
  switch (p.status) {
    case 'supporters':
      lines.push(t('petitions.web.receipt.next.supporters', { count, needed: p.supporters_needed, remaining: Math.max(0, p.supporters_needed - count) }));
      break;
    case 'moderation':
      lines.push(t('petitions.web.receipt.next.moderation', { needed: p.supporters_needed, date: date(p.moderation_due_at) }));
      break;
    case 'open': {
      const threshold = p.threshold ?? 0;
      lines.push(t('petitions.web.receipt.next.open', { count, threshold, remaining: Math.max(0, threshold - count), date: date(p.closes_at) }));
      lines.push(t('petitions.web.receipt.next.council', { days }));
      break;
    }
    case 'awaiting_response':
      lines.push(t('petitions.web.receipt.next.awaiting', { date: date(p.response_due_at) }));
      break;
    default:
      lines.push(t('petitions.web.receipt.next.done'));
  }
  return <>{lines.map((l, i) => <p key={i}>{l}</p>)}</>;
}

/** The signer's receipt: what happens next first, then the proof in the public ledger. */
export function registerReceiptPage(app: App, deps: Deps): void {
  // The receipt as one file the signer keeps and anyone can check (docs/LEDGER.md "Receipts").
  app.get('/:locale/:municipality/petitions/:number/receipt.json', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const p = await findPetition(deps.db, req.municipality!.id, routeNumber(req));
    const receipt = p ? await signatureReceipt(deps.db, p, req.user.id, deps.config.ledgerPromiseSeconds) : null;
    if (!p || !receipt) return notFound(deps, req, reply);
    const name = `hromada-receipt-${req.municipality!.slug}-petition-${p.number}${receipt.entry ? '' : '-promise'}.json`;
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store').send(`${JSON.stringify(receipt.receipt, null, 2)}\n`);
  });

  app.get('/:locale/:municipality/petitions/:number/receipt', { schema: { hide: true, querystring: Query({ signed: Text(40) }) } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const p = await findPetition(deps.db, req.municipality!.id, routeNumber(req));
    // A co-signer whose signature sent the petition to moderation may no longer see the petition page, but
    // their receipt is theirs: it is shown to whoever signed, whatever the petition's state.
    const receipt = p ? await signatureReceipt(deps.db, p, req.user.id, deps.config.ledgerPromiseSeconds) : null;
    if (!p || !receipt) return notFound(deps, req, reply);
    const just = (req.query as { signed?: string }).signed;
    const m = req.municipality!;
    const path = petitionPath(req, p.number);
    const visible = canSee(req.user, m, p);
    const count = await countSignatures(deps.db, p.id);
    const when = new Intl.DateTimeFormat(req.locale, { dateStyle: 'long', timeStyle: 'medium', timeZone: m.time_zone });
    const items: [string, preact.ComponentChildren][] = [
      [req.t('petitions.web.receipt.petition'), visible ? <a href={path}><Content text={p.title} /></a> : <Content text={p.title} />],
      [req.t('petitions.web.signedAt'), when.format(new Date(receipt.signedAt))],
      [req.t('petitions.web.receipt.chain'), <code>{receipt.chain}</code>],
      [req.t('petitions.web.receipt.signer'), <code class="hash">{receipt.signer}</code>],
    ];
    items.push([req.t('petitions.web.receipt.promise'), req.t('petitions.web.receipt.promiseBy', { date: when.format(receipt.deadline) })]);
    if (receipt.entry) {
      items.push([req.t('petitions.web.receipt.seq'), String(receipt.entry.seq)]);
      items.push([req.t('petitions.web.receipt.hash'), <code class="hash">{receipt.entry.hash}</code>]);
      items.push([req.t('petitions.web.receipt.proven'), req.t('petitions.web.receipt.provenIn', { size: receipt.entry.size })]);
    }
    return render(deps, req, reply, {
      title: req.t('petitions.web.receipt.title'),
      body: (
        <>
          {just === 'new' && <Banner kind="success">{req.t('petitions.web.signed')}</Banner>}
          {just === 'again' && <Banner kind="info">{req.t('petitions.web.alreadySigned')}</Banner>}
          <h1>{req.t('petitions.web.receipt.title')}</h1>
          {receipt.invalidated && <Banner kind="warning">{req.t('petitions.web.receipt.invalidated')}</Banner>}
          <h2>{req.t('petitions.web.receipt.nextTitle')}</h2>
          <NextSteps req={req} p={p} count={count} />
          {visible && <p><a href={path}>{req.t('petitions.web.receipt.back')}</a></p>}
          <h2>{req.t('petitions.web.receipt.proofTitle')}</h2>
          <p>{req.t('petitions.web.receipt.lead')}</p>
          <SummaryList items={items} />
          <p>{receipt.entry ? req.t('petitions.web.receipt.sealed') : req.t('petitions.web.receipt.pending')}</p>
          <p><a class="button button--secondary" href={`${path}/receipt.json`} download>{req.t('petitions.web.receipt.download')}</a></p>
          <p>{req.t('petitions.web.receipt.downloadHint')}</p>
          {visible && (
            <p class="data-links">
              <a href={`${path}/ledger?signer=${receipt.signer}`}>{req.t('petitions.web.receipt.check')}</a> · <a href={`/${req.locale}/${m.slug}/ledger/${receipt.chain}/receipt`}>{req.t('petitions.web.receipt.checkFile')}</a> · <a href={`/api/v1/${m.slug}/petitions/${p.number}/ledger.json`}>ledger.json</a>
            </p>
          )}
        </>
      ),
    });
  });
}
