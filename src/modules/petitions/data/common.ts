import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { findPetition, type PetitionRow } from '../petition.repo.ts';
import { canSee, routeNumber } from '../web/common.tsx';

/** The route's petition if anyone may see it (no account involved), or undefined: the open data never depends on who asks. */
export async function publicPetition(db: Database, m: Municipality, req: FastifyRequest): Promise<PetitionRow | undefined> {
  const p = await findPetition(db, m.id, routeNumber(req));
  return p && canSee(null, m, p) ? p : undefined;
}

/** The petition's page, absolute, in the request's locale (or the municipality's for the API). */
export function petitionUrl(baseUrl: string, req: FastifyRequest, m: Municipality, number: number): string {
  const locale = req.url.startsWith('/api/') ? m.default_locale : req.locale;
  return `${baseUrl}/${locale}/${m.slug}/petitions/${number}`;
}

export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export { csvCell, csvLine } from '../../../platform/http/csv.ts';
