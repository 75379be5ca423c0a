import type { FastifyRequest } from 'fastify';
import { SectionNav } from '../../../platform/views/section-nav.tsx';
import { pbStaffBase } from '../paths.ts';

/** A cycle's staff pages: `/participatory-budget/staff/cycles/3`. */
export const staffCyclePath = (req: FastifyRequest, number: number) => `${pbStaffBase(req)}/cycles/${number}`;

/** Links between the participatory budget's staff pages, limited to what the user may open. */
export function StaffNav({ req }: { req: FastifyRequest }) {
  const base = pbStaffBase(req);
  return <SectionNav req={req} label={req.t('pb.staff.sections')} links={[
    [base, 'pb.staff.home', 'pb.dashboard'],
    [`${base}/review`, 'pb.staff.review', 'pb.review'],
    [`${base}/implementation`, 'pb.staff.implementation', 'pb.implement'],
  ]} />;
}

/** Links between one cycle's staff pages (its settings, categories, documents, paper ballots, results). */
export function CycleStaffNav({ req, number }: { req: FastifyRequest; number: number }) {
  const base = staffCyclePath(req, number);
  return <SectionNav req={req} label={req.t('pb.staff.cycleSections', { number })} links={[
    [base, 'pb.staff.settings', 'pb.manage'],
    [`${base}/categories`, 'pb.staff.categories', 'pb.manage'],
    [`${base}/documents`, 'pb.staff.documents', 'pb.manage'],
    [`${base}/paper`, 'pb.staff.paper', 'pb.paper'],
    [`${base}/results`, 'pb.staff.results', 'pb.manage'],
  ]} />;
}
