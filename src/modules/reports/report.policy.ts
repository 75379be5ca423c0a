import { definePermissions, hasRole } from '../../platform/tenancy/policy.ts';

/**
 * Who may do what with problem reports. Residents' own actions (file, "me too", answer a fix) are checked
 * by ownership and verification level in the services; these are the staff rights. Any official or
 * moderator of the municipality may handle any of its reports (the queue filters by department).
 */
definePermissions({
  'reports.handle': (u, s) => hasRole(u, s.municipalityId, 'official', 'moderator'),
  'reports.categories': (u, s) => hasRole(u, s.municipalityId),
  'reports.keys': (u, s) => hasRole(u, s.municipalityId),
});
