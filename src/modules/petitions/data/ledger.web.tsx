import { Type } from 'typebox';
import type { Municipality } from '../../../db/schema.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { Query, Text } from '../../../platform/http/input.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { render } from '../../../platform/http/render.tsx';
import { ledgerEntries, type LedgerRow } from '../../../platform/ledger/ledger.ts';
import { EntriesQuery, entriesResponse, sendEntries } from '../../../platform/ledger/entries.ts';
import { chainHead } from '../../../platform/ledger/ledger.repo.ts';
import { Banner, SummaryList, Table } from '../../../platform/views/components.tsx';
import { ChainHeadSection, chainHead as chainHeadOf } from '../../../platform/ledger/views.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { PetitionLedgerChecker } from '../ledger-check.ts';
import type { PetitionRow } from '../petition.repo.ts';
import { chainName } from '../signature.service.ts';
import { countSignatures } from '../signature.repo.ts';
import { publicPetition } from './common.ts';

/** Entries per published page (docs/LEDGER.md). */
const PAGE = 10_000;
const LATEST = 20;
/**
 * Longer chains are not re-checked on the page: that reads every entry (seconds for a million) on each
 * view. The page then says so and points to the download and `hromada verify-ledger`.
 */
export const LEDGER_PAGE = { checkLimit: 50_000 };

const Params = Type.Object({ municipality: Type.String(), number: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) });

/** Reads the whole chain page by page through the checker; keeps what the page shows. */
async function checkChain(deps: Deps, m: Municipality, p: PetitionRow, signer: string | null) {
  const checker = new PetitionLedgerChecker();
  const mine: LedgerRow[] = [];
  let latest: LedgerRow[] = [];
  for (let afterSeq = 0; ;) {
    const rows = await ledgerEntries(deps.db, m.id, chainName(p.number), { afterSeq, limit: PAGE });
    if (!checker.add(rows)) break;
    if (signer) mine.push(...rows.filter((r) => r.payload.signer === signer));
    latest = rows.length >= LATEST ? rows.slice(-LATEST) : [...latest, ...rows].slice(-LATEST);
    if (rows.length < PAGE) break;
    afterSeq = rows[rows.length - 1]!.seq;
  }
  return { result: checker.result(), mine, latest: latest.reverse() };
}

/** The published chain of a petition (JSON, CSV) and a page that re-checks and re-counts it. */
export function registerLedgerRoutes(app: App, deps: Deps): void {

  for (const ext of ['json', 'csv'] as const) {
    app.get(`/api/v1/:municipality/petitions/:number/ledger.${ext}`, {
      schema: { tags: ['petitions'], summary: `The public ledger of a petition's signatures (${ext.toUpperCase()})`, params: Params, querystring: EntriesQuery, response: entriesResponse(ext) },
    }, async (req, reply) => {
      const m = req.municipality!;
      const p = await publicPetition(deps.db, m, req);
      if (!p) return notFound(deps, req, reply);
      return sendEntries(deps, reply, m, chainName(p.number), ext, req.query, `/api/v1/${m.slug}/petitions/${p.number}/ledger.${ext}`);
    });
  }

  app.get('/:locale/:municipality/petitions/:number/ledger', { schema: { hide: true, querystring: Query({ signer: Text(254) }) } }, async (req, reply) => {
    const m = req.municipality!;
    const p = await publicPetition(deps.db, m, req);
    if (!p) return notFound(deps, req, reply);
    const t = req.t;
    const raw = String((req.query as { signer?: string }).signer ?? '').trim().toLowerCase();
    const signer = /^[0-9a-f]{64}$/.test(raw) ? raw : null;
    const head = await chainHead(deps.db, m.id, chainName(p.number));
    const tooLong = (head?.seq ?? 0) > LEDGER_PAGE.checkLimit;
    const [checked, exact, signedHead] = await Promise.all([
      tooLong ? null : checkChain(deps, m, p, signer),
      countSignatures(deps.db, p.id),
      chainHeadOf(deps, m, chainName(p.number)),
    ]);
    const result = checked?.result ?? null;
    const mine = checked?.mine ?? [];
    const latest = checked?.latest
      ?? (await ledgerEntries(deps.db, m.id, chainName(p.number), { afterSeq: Math.max(0, head!.seq - LATEST), limit: LATEST })).reverse();
    const api = `/api/v1/${m.slug}/petitions/${p.number}/ledger`;
    const when = (d: Date) => req.fmt.dateTime(d);
    const kind = (k: string) => (k === 'signature' || k === 'invalidation' ? t(`petitions.data.kind.${k}`) : k);
    return render(deps, req, reply, {
      title: t('petitions.data.ledgerTitle', { number: p.number }),
      body: (
        <>
          <p><a href={`/${req.locale}/${m.slug}/petitions/${p.number}`}><Content text={p.title} /></a></p>
          <h1>{t('petitions.data.ledgerTitle', { number: p.number })}</h1>
          <p class="lead">{t('petitions.data.ledgerLead')}</p>
          {!result
            ? <Banner kind="info" title={t('petitions.data.tooLong', { entries: head!.seq })}><p>{t('petitions.data.tooLongHint')}</p></Banner>
            : result.ok
            ? <Banner kind="success" title={t('petitions.data.chainOk')}><p>{t('petitions.data.chainOkHint', { entries: result.entries, count: result.count })}</p></Banner>
            : <Banner kind="error" title={t('petitions.data.chainBroken', { seq: result.brokenAt })}><p>{t(`petitions.data.problem.${result.reason}`)}</p></Banner>}
          <SummaryList items={[
            [t('petitions.data.chain'), <code>{chainName(p.number)}</code>],
            [t('petitions.data.entries'), result?.ok ? String(result.entries) : result ? '—' : String(head!.seq)],
            [t('petitions.data.head'), result?.ok ? <code class="hash">{result.head}</code> : result ? '—' : <code class="hash">{head!.hash}</code>],
            [t('petitions.data.proven'), result?.ok ? String(result.count) : '—'],
            [t('petitions.data.pending'), result?.ok ? String(Math.max(0, exact - result.count)) : '—'],
            [t('petitions.data.exact'), String(exact)],
          ]} />
          {!tooLong && (
            <>
            <h2>{t('petitions.data.findTitle')}</h2>
            <form method="get" action={`/${req.locale}/${m.slug}/petitions/${p.number}/ledger`} class="filters">
              <div class="field">
                <label class="field__label" for="f-signer">{t('petitions.data.signer')}</label>
                <p class="field__hint" id="f-signer-hint">{t('petitions.data.signerHint')}</p>
                <input class="input" id="f-signer" name="signer" value={raw} maxLength={64} aria-describedby="f-signer-hint" spellcheck={false} autocomplete="off" />
              </div>
              <button class="button button--secondary" type="submit">{t('petitions.data.find')}</button>
            </form>
            </>
          )}
          {signer && !tooLong && (mine.length > 0
            ? <Banner kind="success" title={t('petitions.data.signerFound')}>
                <ul>{mine.map((e) => <li key={e.seq}>{t('petitions.data.signerEntry', { seq: e.seq, kind: kind(e.kind) })} <code class="hash">{e.hash}</code></li>)}</ul>
              </Banner>
            : <Banner kind="info" title={t('petitions.data.signerMissing')}><p>{t('petitions.data.signerMissingHint')}</p></Banner>)}
          {raw && !signer && <Banner kind="warning">{t('petitions.data.signerInvalid')}</Banner>}
          {latest.length > 0 && (
            <Table caption={t('petitions.data.latest')} head={[t('petitions.data.seq'), t('petitions.data.kind'), t('petitions.data.signer'), t('petitions.data.sealedAt'), t('petitions.data.hash')]}
              rows={latest.map((e) => [String(e.seq), kind(e.kind), <code class="hash">{String(e.payload.signer)}</code>, when(e.createdAt), <code class="hash">{e.hash}</code>])} numeric={[0]} />
          )}
          <ChainHeadSection m={m} head={signedHead} />
          <h2>{t('petitions.data.selfTitle')}</h2>
          <p>{t('petitions.data.selfHint')}</p>
          <p class="data-links"><a href={`${api}.json`}>ledger.json</a> · <a href={`${api}.csv`}>ledger.csv</a></p>
          <pre><code>npm run hromada -- verify-ledger {`${deps.config.baseUrl}${api}.json`}</code></pre>
        </>
      ),
    });
  });
}
