import type { Municipality } from '../../db/schema.ts';
import type { Deps } from '../http/deps.ts';
import { SummaryList } from '../views/components.tsx';
import { useView } from '../views/context.ts';
import { latestCheckpoint, type StoredCheckpoint } from './checkpoints.repo.ts';
import { cosignaturesOf } from './witness/cosign.ts';
import { chainOrigin, chainVkeys, liveKeys, publishedKeys } from './log.ts';
import { ReceiptCheckForm } from './receipt.web.tsx';

/** What a chain's page shows of the transparency log: the signed head, who witnessed it, where to get it. */
export interface ChainHead {
  chain: string;
  origin: string;
  checkpoint: StoredCheckpoint | undefined;
  vkeys: string[];
  witnesses: { title: string; url: string | null; signedAt: Date }[];
}

export async function chainHead(deps: Deps, m: Municipality, chain: string): Promise<ChainHead> {
  const [origin, checkpoint, keys] = await Promise.all([chainOrigin(deps.db, m.id, chain), latestCheckpoint(deps.db, m.id, chain), publishedKeys(deps.db)]);
  const witnesses = checkpoint ? await cosignaturesOf(deps, m.id, chain, checkpoint.size) : [];
  return { chain, origin, checkpoint, vkeys: chainVkeys(origin, liveKeys(keys.keys)), witnesses };
}

/** The signed head of a chain, its witnesses, its public addresses and the receipt check. */
export function ChainHeadSection({ m, head }: { m: Municipality; head: ChainHead }) {
  const { t, fmt } = useView();
  const api = `/api/v1/${m.slug}/ledger/${head.chain}`;
  const c = head.checkpoint;
  return (
    <>
      <h2>{t('platform.ledger.head.title')}</h2>
      <p>{t('platform.ledger.head.lead')}</p>
      {c ? (
        <SummaryList items={[
          [t('platform.ledger.head.origin'), <code>{head.origin}</code>],
          [t('platform.ledger.head.size'), String(c.size)],
          [t('platform.ledger.head.root'), <code class="hash">{c.root.toString('base64')}</code>],
          [t('platform.ledger.head.time'), fmt.dateTime(c.createdAt)],
          [t('platform.ledger.head.witnesses'), head.witnesses.length
            ? <ul>{head.witnesses.map((w) => <li key={w.title}>{w.url ? <a href={w.url}>{w.title}</a> : w.title} ({fmt.dateTime(w.signedAt)})</li>)}</ul>
            : t('platform.ledger.head.noWitnesses')],
          [t('platform.ledger.head.vkeys'), <ul>{head.vkeys.map((v) => <li key={v}><code class="hash">{v}</code></li>)}</ul>],
        ]} />
      ) : <p>{t('platform.ledger.head.empty')}</p>}
      <p class="data-links">
        <a href={`${api}/checkpoint`}>{t('platform.ledger.head.checkpoint')}</a> · <a href={`${api}/checkpoints`}>{t('platform.ledger.head.history')}</a> · <a href={`${api}/checkpoints.atom`}>{t('platform.ledger.head.feed')}</a> · <a href="/.well-known/hromada-ledger-keys.json">{t('platform.ledger.head.keys')}</a>
      </p>
      <h2>{t('platform.ledger.receipt.title')}</h2>
      <p>{t('platform.ledger.receipt.lead')}</p>
      <ReceiptCheckForm m={m} chain={head.chain} />
    </>
  );
}
