import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { Query, Text } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { chainVisible } from '../../../../platform/ledger/chains.ts';
import { GENESIS_HASH, ledgerEntries, verifyChain, type LedgerRow, type VerifyResult } from '../../../../platform/ledger/ledger.ts';
import { chainHead } from '../../../../platform/ledger/ledger.repo.ts';
import { queuedCount } from '../../../../platform/ledger/queue.ts';
import { ChainHeadSection, chainHead as signedHeadOf } from '../../../../platform/ledger/views.tsx';
import { Banner, SummaryList, Table } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { cycleChain, cyclePath } from '../../paths.ts';
import { CycleNav } from '../../web/cycle-nav.tsx';
import { PhaseBanner } from '../../web/phase.tsx';
import { loadCycle } from './common.tsx';

/** Entries read per page while re-checking; chains longer than the limit are left to `hromada verify-ledger`. */
const PAGE = 10_000;
const LATEST = 20;
export const BALLOT_LEDGER_PAGE = { checkLimit: 50_000 };

/** Re-checks the whole hash chain page by page, keeping the voter's entries and the latest ones. */
async function checkChain(deps: Deps, municipalityId: number, chain: string, voter: string | null) {
  const mine: LedgerRow[] = [];
  let latest: LedgerRow[] = [];
  let result: VerifyResult = { ok: true, head: GENESIS_HASH, count: 0 };
  let entries = 0;
  let ballots = 0;
  for (let afterSeq = 0; ;) {
    const rows = await ledgerEntries(deps.db, municipalityId, chain, { afterSeq, limit: PAGE });
    result = verifyChain(rows, { seq: afterSeq, hash: result.head });
    if (!result.ok) break;
    entries += rows.length;
    ballots += rows.filter((r) => r.kind === 'ballot').length;
    if (voter) mine.push(...rows.filter((r) => r.payload.voter === voter));
    latest = [...latest, ...rows].slice(-LATEST);
    if (rows.length < PAGE) break;
    afterSeq = rows[rows.length - 1]!.seq;
  }
  return { result, entries, ballots, mine, latest: latest.reverse() };
}

/** The cycle's chain: re-checked, the voter's own entries, the latest ones, the signed head and the receipt check. */
export function registerBallotLedgerPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/ledger', { schema: { hide: true, querystring: Query({ voter: Text(254) }) } }, async (req, reply) => {
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const m = req.municipality!;
    const chain = cycleChain(cycle.number);
    if (!(await chainVisible(deps.db, m, chain))) return notFound(deps, req, reply);
    const t = req.t;
    const now = new Date();
    const raw = String((req.query as { voter?: string }).voter ?? '').trim().toLowerCase();
    const voter = /^[0-9a-f]{64}$/.test(raw) ? raw : null;
    const head = await chainHead(deps.db, m.id, chain);
    const tooLong = (head?.seq ?? 0) > BALLOT_LEDGER_PAGE.checkLimit;
    const checked = tooLong ? null : await checkChain(deps, m.id, chain, voter);
    const latest = checked?.latest ?? (await ledgerEntries(deps.db, m.id, chain, { afterSeq: Math.max(0, head!.seq - LATEST), limit: LATEST })).reverse();
    const [waiting, signed] = [await queuedCount(deps.db, m.id, chain), await signedHeadOf(deps, m, chain)];
    const api = `/api/v1/${m.slug}/ledger/${chain}/entries`;
    const kind = (k: string) => (k === 'ballot' || k === 'cycle' ? t(`pb.ballot.ledger.kind.${k}`) : k);
    const result = checked?.result;
    return render(deps, req, reply, {
      title: t('pb.ballot.ledger.title', { number: cycle.number }),
      body: (
        <>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          <p><a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
          <h1>{t('pb.ballot.ledger.title', { number: cycle.number })}</h1>
          <p class="lead">{t('pb.ballot.ledger.lead')}</p>
          {!checked
            ? <Banner kind="info" title={t('pb.ballot.ledger.tooLong', { entries: head!.seq })}><p>{t('pb.ballot.ledger.tooLongHint')}</p></Banner>
            : result!.ok
            ? <Banner kind="success" title={t('pb.ballot.ledger.ok')}><p>{t('pb.ballot.ledger.okHint', { entries: checked.entries, ballots: checked.ballots })}</p></Banner>
            : <Banner kind="error" title={t('pb.ballot.ledger.broken', { seq: result!.brokenAt })}><p>{t('pb.ballot.ledger.brokenHint')}</p></Banner>}
          <SummaryList items={[
            [t('pb.ballot.ledger.chain'), <code>{chain}</code>],
            [t('pb.ballot.ledger.entries'), String(head?.seq ?? 0)],
            [t('pb.ballot.ledger.head'), head ? <code class="hash">{head.hash}</code> : '—'],
            [t('pb.ballot.ledger.waiting'), String(waiting)],
          ]} />
          {!tooLong && (
            <>
              <h2>{t('pb.ballot.ledger.findTitle')}</h2>
              <form method="get" action={`${cyclePath(req, cycle.number)}/ledger`} class="filters">
                <div class="field">
                  <label class="field__label" for="f-voter">{t('pb.ballot.ledger.voter')}</label>
                  <p class="field__hint" id="f-voter-hint">{t('pb.ballot.ledger.voterHint')}</p>
                  <input class="input" id="f-voter" name="voter" value={raw} maxLength={64} aria-describedby="f-voter-hint" spellcheck={false} autocomplete="off" />
                </div>
                <button class="button button--secondary" type="submit">{t('pb.ballot.ledger.find')}</button>
              </form>
            </>
          )}
          {voter && checked && (checked.mine.length > 0
            ? <Banner kind="success" title={t('pb.ballot.ledger.found')}>
                <ul>{checked.mine.map((e) => <li key={e.seq}>{t('pb.ballot.ledger.foundEntry', { seq: e.seq, version: Number(e.payload.version) })} <code class="hash">{e.hash}</code></li>)}</ul>
              </Banner>
            : <Banner kind="info" title={t('pb.ballot.ledger.missing')}><p>{t('pb.ballot.ledger.missingHint')}</p></Banner>)}
          {raw && !voter && <Banner kind="warning">{t('pb.ballot.ledger.voterInvalid')}</Banner>}
          {latest.length > 0 && (
            <Table caption={t('pb.ballot.ledger.latest')} numeric={[0]}
              head={[t('pb.ballot.ledger.seq'), t('pb.ballot.ledger.kindLabel'), t('pb.ballot.ledger.voter'), t('pb.ballot.ledger.sealedAt'), t('pb.ballot.ledger.hash')]}
              rows={latest.map((e) => [String(e.seq), kind(e.kind), e.kind === 'ballot' ? <code class="hash">{String(e.payload.voter)}</code> : '—', req.fmt.dateTime(e.createdAt), <code class="hash">{e.hash}</code>])} />
          )}
          <ChainHeadSection m={m} head={signed} />
          <h2>{t('pb.ballot.ledger.selfTitle')}</h2>
          <p>{t('pb.ballot.ledger.selfHint')}</p>
          <p class="data-links"><a href={`${api}.json`}>entries.json</a> · <a href={`${api}.csv`}>entries.csv</a></p>
          <pre><code>npm run hromada -- verify-ledger {`${deps.config.baseUrl}${api}.json`}</code></pre>
        </>
      ),
    });
  });
}
