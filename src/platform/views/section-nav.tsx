import type { FastifyRequest } from 'fastify';
import { can } from '../tenancy/policy.ts';

/** Links between a module's staff pages, limited to what the user may open: [href, label key, action]. */
export function SectionNav({ req, label, links }: { req: FastifyRequest; label: string; links: [string, string, string][] }) {
  const m = { municipalityId: req.municipality!.id };
  const path = req.url.split('?')[0];
  return (
    <nav aria-label={label} class="subnav">
      <ul class="actions">
        {links.filter(([, , action]) => can(req.user, action, m)).map(([href, key]) => (
          <li key={href}><a href={href} aria-current={path === href ? 'page' : undefined}>{req.t(key)}</a></li>
        ))}
      </ul>
    </nav>
  );
}
