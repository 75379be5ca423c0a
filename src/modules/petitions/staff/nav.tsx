import type { FastifyRequest } from 'fastify';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { SectionNav } from '../../../platform/views/section-nav.tsx';

/** Stops the request unless the user holds `action` in this municipality (sign-in redirect or 403). */
export const guard = municipalGuard;

export const staffBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/petitions/staff`;

/** Links between the staff pages of petitions, limited to what the user may open. */
export function StaffNav({ req }: { req: FastifyRequest }) {
  const base = staffBase(req);
  const links: [string, string, string][] = [
    [base, 'petitions.staff.dashboard', 'petitions.dashboard'],
    [`${base}/moderation`, 'petitions.staff.moderation', 'petitions.moderate'],
    [`${base}/stats`, 'petitions.staff.stats', 'petitions.dashboard'],
    [`${base}/signers`, 'petitions.staff.signers', 'petitions.antifraud'],
    [`${base}/domains`, 'petitions.staff.domains', 'petitions.antifraud'],
    [`${base}/categories`, 'petitions.staff.categories', 'petitions.categories'],
  ];
  return <SectionNav req={req} label={req.t('petitions.staff.sections')} links={links} />;
}

/** Whether a deadline has passed. */
export const overdue = (due: Date | string | null, now = new Date()) => due !== null && new Date(due) < now;
