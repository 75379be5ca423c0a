import { definePermissions, hasRole } from '../../platform/tenancy/policy.ts';

/**
 * Who may do what in the participatory budget. Residents' own actions (submit and edit a project, vote) are
 * checked by authorship, phase and eligibility in the services; these are the staff rights. A municipal
 * administrator holds every one (hasRole).
 */
definePermissions({
  /** Cycles, their categories, dates, rules and documents; publishing the results. */
  'pb.manage': (u, s) => hasRole(u, s.municipalityId),
  /** Technical review of submitted projects: admit, return for revision, refuse; the department's estimate. */
  'pb.review': (u, s) => hasRole(u, s.municipalityId, 'official'),
  /** Recording paper ballots at an offline point (an administrative service centre). */
  'pb.paper': (u, s) => hasRole(u, s.municipalityId, 'official', 'registrar'),
  /** Implementation of funded projects: status, progress, milestones, money, updates. */
  'pb.implement': (u, s) => hasRole(u, s.municipalityId, 'official'),
  /** The staff pages of the module. */
  'pb.dashboard': (u, s) => hasRole(u, s.municipalityId, 'official', 'moderator', 'registrar'),
});
