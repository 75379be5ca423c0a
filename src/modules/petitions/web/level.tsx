import type { FastifyRequest } from 'fastify';
import { LevelExplanation } from '../../../platform/views/level.tsx';

/** What a petition action needs, and how to get there (see LevelExplanation). */
export function PetitionLevel({ req, required, action }: { req: FastifyRequest; required: string; action: 'sign' | 'create' }) {
  const lead = req.t(`petitions.web.level.needs.${action}`, { level: req.t(`verification.level.${required}`) });
  return <LevelExplanation req={req} required={required} lead={lead} back={req.url.replace(/\/(sign|new)(\?.*)?$/, '')} />;
}
