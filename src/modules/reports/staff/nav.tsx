import type { FastifyRequest } from 'fastify';
import { SectionNav } from '../../../platform/views/section-nav.tsx';

export const staffBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/reports/staff`;

/** Links between the staff pages of reports, limited to what the user may open. */
export function StaffNav({ req }: { req: FastifyRequest }) {
  const base = staffBase(req);
  return <SectionNav req={req} label={req.t('reports.staff.sections')} links={[
    [base, 'reports.staff.queue', 'reports.handle'],
    [`${base}/templates`, 'reports.templates.title', 'reports.handle'],
    [`${base}/categories`, 'reports.staff.categories', 'reports.categories'],
    [`${base}/keys`, 'reports.staff.keys', 'reports.keys'],
  ]} />;
}
