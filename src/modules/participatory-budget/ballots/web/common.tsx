import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../../../db/database.ts';
import type { Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { findCycle } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { cyclePath } from '../../paths.ts';
import type { BallotProblem } from '../../rules.ts';
import type { CycleBallot } from '../ballot.rules.ts';
import type { CastProblem } from '../cast.service.ts';
import type { DistrictProblem } from '../eligibility.ts';

/** `/uk/zhovkva/participatory-budget/cycles/3/ballot`. */
export const ballotPath = (req: FastifyRequest, number: number) => `${cyclePath(req, number)}/ballot`;

/** The route's `:number`, checked and coerced by the shared path schema. */
export const routeNumber = (req: FastifyRequest): number => (req.params as { number: number }).number;

const RECENT_MS = 1000;
const recent = new WeakMap<Database, Map<string, { at: number; cycle: Promise<Cycle | undefined> }>>();

/**
 * A cycle row up to a second old, for the cast of a rush: the writing statement checks the voting period itself.
 * The read in flight is shared, so the casts arriving while it runs wait for it instead of each reading the row.
 */
function recentCycle(db: Database, municipalityId: number, number: number): Promise<Cycle | undefined> {
  let cache = recent.get(db);
  if (!cache) recent.set(db, (cache = new Map()));
  const key = `${municipalityId}:${number}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < RECENT_MS) return hit.cycle;
  const cycle = findCycle(db, municipalityId, number);
  if (cache.size > 1000) cache.clear();
  const entry = { at: Date.now(), cycle };
  cache.set(key, entry);
  // A failed read is not kept: the next cast reads again.
  cycle.catch(() => cache.get(key) === entry && cache.delete(key));
  return cycle;
}

/** The published cycle named by `:number` in this municipality; otherwise answers 404 and returns null. */
export async function loadCycle(deps: Deps, req: FastifyRequest, reply: FastifyReply, opts: { recent?: boolean } = {}): Promise<Cycle | null> {
  const cycle = await (opts.recent ? recentCycle : findCycle)(deps.db, req.municipality!.id, routeNumber(req));
  if (!cycle || cycle.status !== 'published') {
    await notFound(deps, req, reply);
    return null;
  }
  return cycle;
}

/** An amount of the cycle's currency in the page's format. */
export const money = (req: FastifyRequest, cycle: Pick<Cycle, 'currency'>, minor: number) => formatMoney(req.fmt, minor, cycle.currency);

/** A category's name on the page (its district's name beside it where it is a district category). */
export function categoryName(req: FastifyRequest, b: CycleBallot, slug: string): string {
  const c = b.categories.find((x) => x.slug === slug);
  if (!c) return slug;
  const name = localized(c.names, req.locale) || c.slug;
  return c.districtNames ? `${name} (${localized(c.districtNames, req.locale)})` : name;
}

/** A project's title on the ballot, as typed. */
export const projectTitle = (b: CycleBallot, number: number) => b.projects.find((p) => p.number === number)?.title ?? `#${number}`;

/** What is wrong with a selection or a ballot, in words (API errors carry the same code). */
export function problemMessage(req: FastifyRequest, cycle: Cycle, b: CycleBallot, p: CastProblem | { code: 'rules'; problem: BallotProblem } | { code: 'district'; problem: DistrictProblem }): string {
  const t = req.t;
  if (p.code === 'not_open') return t('pb.ballot.problem.not_open');
  if (p.code === 'not_eligible') return t(`pb.ballot.problem.not_eligible.${p.refusal.code}`);
  const q = p.problem;
  const cost = (n: number) => money(req, cycle, n);
  switch (q.code) {
    case 'district_needed': case 'other_district': case 'unknown_project': case 'duplicate':
      return t(`pb.ballot.problem.${q.code}`, { project: q.project });
    case 'too_many': return t('pb.ballot.problem.too_many', { max: q.max });
    case 'too_few': return t('pb.ballot.problem.too_few', { min: q.min });
    case 'too_many_in_category': return t('pb.ballot.problem.too_many_in_category', { max: q.max, category: categoryName(req, b, q.category) });
    case 'over_budget': return t('pb.ballot.problem.over_budget', { category: categoryName(req, b, q.category), amount: cost(q.amount), total: cost(q.total) });
    case 'under_share': return t('pb.ballot.problem.under_share', { category: categoryName(req, b, q.category), min: cost(q.min), total: cost(q.total) });
    case 'empty': return t('pb.ballot.problem.empty');
  }
}

/** The API's stable code of a problem: the rule's own code, `not_open`, `not_eligible`, or the district's. */
export const problemCode = (p: CastProblem): string => (p.code === 'rules' || p.code === 'district' ? p.problem.code : p.code);
