import type { PetitionStatus } from '../../db/schema.ts';
import { ProgressBar, Tag } from '../../platform/views/components.tsx';
import { useView } from '../../platform/views/context.ts';
import { collecting } from './petition.status.ts';

const TONES: Record<PetitionStatus, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  draft: 'neutral', supporters: 'info', moderation: 'info', open: 'info', awaiting_response: 'warning',
  answered: 'success', closed: 'neutral', rejected: 'danger',
};

/** A petition's status as a coloured tag with its name in words. */
export function StatusTag({ status }: { status: PetitionStatus }) {
  return <Tag tone={TONES[status]}>{useView().t(`petitions.status.${status}`)}</Tag>;
}

/** Whole days left until `closesAt` (0 on the last day), or null when it has passed or is unset. */
export function daysLeft(closesAt: Date | string | null, now = new Date()): number | null {
  if (!closesAt) return null;
  const ms = new Date(closesAt).getTime() - now.getTime();
  return ms < 0 ? null : Math.floor(ms / 86_400_000);
}

/**
 * The count against the threshold as a progress bar, with days left while collecting. With `liveSrc`
 * (the URL of this same piece alone), the script refreshes it while the petition collects signatures.
 */
export function SignatureProgress(p: { count: number; threshold: number | null; closesAt: Date | string | null; status: PetitionStatus; liveSrc?: string }) {
  const { t, fmt } = useView();
  const left = p.status === 'open' || p.status === 'awaiting_response' ? daysLeft(p.closesAt) : null;
  const live = p.liveSrc && collecting({ status: p.status, closes_at: p.closesAt });
  return (
    <div class="petition-progress" {...(live ? { 'data-module': 'live-count', 'data-src': p.liveSrc } : {})}>
      {p.threshold
        ? <ProgressBar value={p.count} max={p.threshold} label={t('petitions.progress', { count: fmt.number(p.count), threshold: fmt.number(p.threshold) })} />
        : <p>{t('petitions.count', { count: p.count })}</p>}
      {left !== null && <p class="petition-progress__days">{t('petitions.daysLeft', { days: left })}</p>}
    </div>
  );
}
