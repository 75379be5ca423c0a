import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../../platform/http/deps.ts';
import { requirePermission } from '../../../platform/tenancy/admin.web.tsx';
import { can } from '../../../platform/tenancy/policy.ts';

/** Stops the request unless the user holds `action` in this municipality (sign-in redirect or 403). */
export const guard = (deps: Deps, action: string) => async (req: FastifyRequest, reply: FastifyReply) => {
  await requirePermission(deps, req, reply, action, { municipalityId: req.municipality!.id });
  if (reply.sent) return reply;
  return undefined;
};

export const staffBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/petitions/staff`;

/** Links between the staff pages of petitions, limited to what the user may open. */
export function StaffNav({ req }: { req: FastifyRequest }) {
  const base = staffBase(req);
  const m = { municipalityId: req.municipality!.id };
  const links: [string, string, string][] = [
    [base, 'petitions.staff.dashboard', 'petitions.dashboard'],
    [`${base}/moderation`, 'petitions.staff.moderation', 'petitions.moderate'],
    [`${base}/stats`, 'petitions.staff.stats', 'petitions.dashboard'],
    [`${base}/signers`, 'petitions.staff.signers', 'petitions.antifraud'],
    [`${base}/domains`, 'petitions.staff.domains', 'petitions.antifraud'],
    [`${base}/categories`, 'petitions.staff.categories', 'petitions.categories'],
  ];
  const path = req.url.split('?')[0];
  return (
    <nav aria-label={req.t('petitions.staff.sections')} class="subnav">
      <ul class="actions">
        {links.filter(([, , action]) => can(req.user, action, m)).map(([href, key]) => (
          <li key={href}><a href={href} aria-current={path === href ? 'page' : undefined}>{req.t(key)}</a></li>
        ))}
      </ul>
    </nav>
  );
}

/** Whether a deadline has passed. */
export const overdue = (due: Date | string | null, now = new Date()) => due !== null && new Date(due) < now;
