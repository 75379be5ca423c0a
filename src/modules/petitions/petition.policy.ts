import { definePermissions, hasRole } from '../../platform/tenancy/policy.ts';

/**
 * Who may do what with petitions. Residents' own actions (create, edit a draft, sign) are checked by
 * ownership and verification level in the services; these are the staff rights.
 */
definePermissions({
  'petitions.moderate': (u, s) => hasRole(u, s.municipalityId, 'moderator'),
  'petitions.respond': (u, s) => hasRole(u, s.municipalityId, 'official'),
  'petitions.close': (u, s) => hasRole(u, s.municipalityId, 'official', 'moderator'),
  'petitions.antifraud': (u, s) => hasRole(u, s.municipalityId, 'moderator'),
  'petitions.dashboard': (u, s) => hasRole(u, s.municipalityId, 'official', 'moderator'),
  'petitions.categories': (u, s) => hasRole(u, s.municipalityId),
  'petitions.edit': (u, s) => s.ownerId === u.id,
});
