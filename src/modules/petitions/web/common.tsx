import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import type { Municipality } from '../../../db/schema.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import type { Deps } from '../../../platform/http/deps.ts';
import { can } from '../../../platform/tenancy/policy.ts';
import { findPetition, findRecentPetition, type PetitionRow } from '../petition.repo.ts';
import { petitionSettings } from '../petition.settings.ts';

/** `/uk/zhovkva/petitions` for the current request. */
export const petitionsBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/petitions`;
export const petitionPath = (req: FastifyRequest, number: number) => `${petitionsBase(req)}/${number}`;

/** Whether the user may see the petition at all: drafts are the author's, moderation is also staff's, hidden refusals the author's. */
export function canSee(user: CurrentUser | null, m: Municipality, p: Pick<PetitionRow, 'status' | 'author_id'>): boolean {
  const own = user !== null && p.author_id === user.id;
  const staff = can(user, 'petitions.moderate', { municipalityId: m.id });
  switch (p.status) {
    case 'draft': return own;
    case 'moderation': return own || staff;
    case 'rejected': return petitionSettings(m).rejectedVisibility === 'public' || own || staff;
    default: return true;
  }
}

/** The route's `:number`: an integer already, checked and coerced by the shared path schema (SHARED_PARAMS). */
export const routeNumber = (req: FastifyRequest): number => (req.params as { number: number }).number;

/**
 * The petition named by `:number` if this user may see it; otherwise answers 404 and returns null.
 * `recent`: a row read up to a second ago will do (for writes that check the petition's state themselves).
 */
export async function loadPetition(deps: Deps, req: FastifyRequest, reply: FastifyReply, opts: { recent?: boolean } = {}): Promise<PetitionRow | null> {
  const find = opts.recent ? findRecentPetition : findPetition;
  const p = await find(deps.db, req.municipality!.id, routeNumber(req));
  if (!p || !canSee(req.user, req.municipality!, p)) {
    await notFound(deps, req, reply);
    return null;
  }
  return p;
}

/** Initials of a full name ("Олена Петренко" → "О. П."), for municipalities that publish no names. */
export function initials(fullName: string): string {
  return fullName.split(/\s+/).filter(Boolean).map((w) => `${Array.from(w)[0]!.toLocaleUpperCase()}.`).join(' ');
}
