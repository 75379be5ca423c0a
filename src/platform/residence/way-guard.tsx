import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../audit/audit.ts';
import type { Deps } from '../http/deps.ts';
import { render } from '../http/render.tsx';
import { redirectToSignIn } from '../http/request-context.ts';
import { ButtonLink } from '../views/components.tsx';
import { registerResidentWay } from '../views/level.tsx';
import type { ResidentWay } from './residence.tables.ts';
import { offersWay } from './residence.ways.ts';


/**
 * Stops a resident's page of a way to be confirmed: visitors are sent to sign in; where the municipality does not
 * offer the way, a translated page (403) says so, and a refused post is written to the audit log, nothing else.
 */
export async function guardWay(deps: Deps, req: FastifyRequest, reply: FastifyReply, way: ResidentWay): Promise<FastifyReply | undefined> {
  if (!req.user) return redirectToSignIn(req, reply);
  if (offersWay(req.municipality, way)) return undefined;
  const m = req.municipality!;
  if (req.method === 'POST') {
    await audit(deps.db, { municipalityId: m.id, actorId: req.user.id, action: 'residence.way.refused', subjectType: 'user', subjectId: req.user.id, after: { way }, ip: req.ip });
  }
  const title = req.t('residence.way.notOffered.title');
  return render(deps, req, reply, {
    title, status: 403,
    body: (
      <>
        <h1>{title}</h1>
        <p>{req.t(`residence.way.notOffered.${way}`)}</p>
        <p><ButtonLink variant="secondary" href={`/${req.locale}/${m.slug}/`}>{req.t('residence.way.back')}</ButtonLink></p>
      </>
    ),
  });
}

/**
 * Lists a way of this area on every "be confirmed as a resident" page, where the municipality offers it: what it
 * takes (`residence.way.<way>`) and a link to its page (`residence.way.<way>Link`), which brings the visitor back.
 */
export function registerWayPage(way: 'letter' | 'census'): void {
  registerResidentWay({
    id: way,
    render: ({ t, municipality, municipalityName }, req) => !municipality || !offersWay(municipality, way) ? null : (
      <>{t(`residence.way.${way}`, { municipality: municipalityName })}{' '}
        <a href={`/${req.locale}/${municipality.slug}/residence/${way}?next=${encodeURIComponent(req.url)}`}>{t(`residence.way.${way}Link`)}</a></>
    ),
  });
}
