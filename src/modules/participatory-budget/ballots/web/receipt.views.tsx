import type { FastifyRequest } from 'fastify';
import { Banner } from '../../../../platform/views/components.tsx';
import type { Cycle } from '../../pb.tables.ts';
import type { VoterState } from '../state.ts';
import { ballotPath } from './common.tsx';
import { ChoiceList } from './views.tsx';

/** The voter's cast ballot: how and when, its choices, whether it may still change, and the receipt. */
export function CastSummary({ req, cycle, s }: { req: FastifyRequest; cycle: Cycle; s: VoterState }) {
  const t = req.t;
  const b = s.cast!;
  return (
    <Banner kind="success" title={t(`pb.ballot.voted.${b.channel}`)}>
      <p>
        {t('pb.ballot.votedAt', { date: req.fmt.dateTime(b.cast_at) })}
        {b.version > 1 && <> {t('pb.ballot.changedAt', { date: req.fmt.dateTime(b.changed_at), version: b.version })}</>}
      </p>
      <ChoiceList req={req} cycle={cycle} ballot={s.ballot} choices={b.choices} level={2} />
      {s.canSelect && <p>{t('pb.ballot.changeable', { date: req.fmt.dateTime(cycle.voting_closes) })}</p>}
      {!s.canSelect && <p>{t('pb.ballot.final')}</p>}
      <p><a href={`${ballotPath(req, cycle.number)}/receipt`}>{t('pb.ballot.receiptLink')}</a></p>
    </Banner>
  );
}
