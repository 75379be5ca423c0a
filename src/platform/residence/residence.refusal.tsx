import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../http/deps.ts';
import { render } from '../http/render.tsx';
import { ButtonLink } from '../views/components.tsx';
import { auditWayRefused } from './confirm.service.ts';
import type { ResidentWay } from './residence.tables.ts';
import { offersWay } from './residence.ways.ts';

/** The page for a way the municipality does not offer: said plainly, with the ways it does offer one click away. */
export function wayNotOffered(deps: Deps, req: FastifyRequest, reply: FastifyReply, way: ResidentWay) {
  const t = req.t;
  const m = req.municipality!;
  return render(deps, req, reply, {
    title: t('residence.notOffered.title'), status: 403,
    body: (
      <>
        <h1>{t('residence.notOffered.title')}</h1>
        <p>{t('residence.notOffered.body', { way: t(`residence.way.name.${way}`) })}</p>
        <p><ButtonLink variant="secondary" href={`/${req.locale}/${m.slug}/`}>{t('platform.level.back')}</ButtonLink></p>
      </>
    ),
  });
}

/**
 * A guard for a route of one way: the municipality must offer it. A post to a way it does not offer is
 * refused with wayNotOffered and audited; nothing else is written.
 */
export const offeredGuard = (deps: Deps, way: ResidentWay) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (offersWay(req.municipality, way)) return undefined;
  if (req.method === 'POST') await auditWayRefused(deps.db, req.user ? { id: req.user.id, ip: req.ip } : null, req.municipality!, way);
  return wayNotOffered(deps, req, reply, way);
};
