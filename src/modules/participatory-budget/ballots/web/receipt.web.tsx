import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { Query } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../../platform/http/request-context.ts';
import { Type } from 'typebox';
import { Banner, SummaryList } from '../../../../platform/views/components.tsx';
import type { Cycle } from '../../pb.tables.ts';
import { cyclePath } from '../../paths.ts';
import { PhaseBanner } from '../../web/phase.tsx';
import { loadCycleBallot } from '../ballot.rules.ts';
import { ballotReceipt } from '../receipt.ts';
import { ballotPath, loadCycle } from './common.tsx';
import { ChoiceList } from './views.tsx';

const CAST = ['new', 'changed', 'again', 'paper', 'stale', 'unchanged'] as const;
const ReceiptQuery = Query({ cast: Type.Enum([...CAST]) });

/** What happens from here: when voting closes, when the results come, or that they are out. */
function NextSteps({ req, cycle }: { req: FastifyRequest; cycle: Cycle }) {
  const t = req.t;
  const dt = (d: Date) => req.fmt.dateTime(d);
  if (cycle.results_published_at) {
    return <p>{t('pb.ballot.receipt.next.published', { date: dt(cycle.results_published_at) })} <a href={`${cyclePath(req, cycle.number)}/results`}>{t('pb.ballot.receipt.next.results')}</a></p>;
  }
  return <p>{t('pb.ballot.receipt.next.pending', { closes: dt(cycle.voting_closes), implementation: dt(cycle.implementation_opens) })}</p>;
}

/** The voter's receipt: what happened and what happens next first, then the ballot, then its proof in the ledger. */
export function registerReceiptPages(app: App, deps: Deps): void {
  const base = '/:locale/:municipality/participatory-budget/cycles/:number/ballot';

  // The receipt as one file the voter keeps and anyone can check (docs/LEDGER.md "Receipts").
  app.get(`${base}/receipt.json`, { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const r = await ballotReceipt(deps.db, req.municipality!, cycle, req.user.id, deps.config.ledgerPromiseSeconds);
    if (!r) return notFound(deps, req, reply);
    const name = `hromada-receipt-${req.municipality!.slug}-pb-${cycle.number}-v${r.ballot.version}${r.entry ? '' : '-promise'}.json`;
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store').send(`${JSON.stringify(r.receipt, null, 2)}\n`);
  });

  app.get(`${base}/receipt`, { schema: { hide: true, querystring: ReceiptQuery } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const m = req.municipality!;
    const r = await ballotReceipt(deps.db, m, cycle, req.user.id, deps.config.ledgerPromiseSeconds);
    if (!r) return notFound(deps, req, reply);
    const t = req.t;
    const just = (req.query as { cast?: (typeof CAST)[number] }).cast;
    const path = ballotPath(req, cycle.number);
    const items: [string, preact.ComponentChildren][] = [
      [t('pb.ballot.receipt.channel'), t(`pb.ballot.channel.${r.ballot.channel}`)],
      [t('pb.ballot.receipt.castAt'), req.fmt.dateTime(r.ballot.cast_at)],
      [t('pb.ballot.receipt.version'), String(r.ballot.version)],
      [t('pb.ballot.receipt.chain'), <code>{r.chain}</code>],
      [t('pb.ballot.receipt.voter'), <code class="hash">{r.ballot.voter}</code>],
      [t('pb.ballot.receipt.promise'), t('pb.ballot.receipt.promiseBy', { date: req.fmt.dateTime(r.deadline) })],
      ...(r.entry ? [
        [t('pb.ballot.receipt.seq'), String(r.entry.seq)],
        [t('pb.ballot.receipt.hash'), <code class="hash">{r.entry.hash}</code>],
        [t('pb.ballot.receipt.proven'), t('pb.ballot.receipt.provenIn', { size: r.entry.size })],
      ] as [string, preact.ComponentChildren][] : []),
    ];
    return render(deps, req, reply, {
      title: t('pb.ballot.receipt.title'),
      body: (
        <>
          <PhaseBanner req={req} cycle={cycle} />
          {just && <Banner kind={just === 'new' || just === 'changed' ? 'success' : 'info'} focus>{t(`pb.ballot.receipt.just.${just}`, { version: r.ballot.version })}</Banner>}
          <h1>{t('pb.ballot.receipt.title')}</h1>
          <h2>{t('pb.ballot.receipt.nextTitle')}</h2>
          <NextSteps req={req} cycle={cycle} />
          <p><a href={path}>{t('pb.ballot.receipt.back')}</a></p>
          <h2>{t('pb.ballot.receipt.choices')}</h2>
          <ChoiceList req={req} cycle={cycle} ballot={await loadCycleBallot(deps.db, cycle)} choices={r.ballot.choices} />
          <h2>{t('pb.ballot.receipt.proofTitle')}</h2>
          <p>{t('pb.ballot.receipt.lead')}</p>
          <SummaryList items={items} />
          <p>{r.entry ? t('pb.ballot.receipt.sealed') : t('pb.ballot.receipt.pending')}</p>
          <p><a class="button button--secondary" href={`${path}/receipt.json`} download>{t('pb.ballot.receipt.download')}</a></p>
          <p>{t('pb.ballot.receipt.downloadHint')}</p>
          <p class="data-links">
            <a href={`${cyclePath(req, cycle.number)}/ledger?voter=${r.ballot.voter}`}>{t('pb.ballot.receipt.check')}</a> · <a href={`/${req.locale}/${m.slug}/ledger/${r.chain}/receipt`}>{t('pb.ballot.receipt.checkFile')}</a>
          </p>
        </>
      ),
    });
  });
}
