import type { FastifyRequest } from 'fastify';

/** `/uk/zhovkva/participatory-budget` for the current request: the module's public pages are under it. */
export const pbBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/participatory-budget`;
/** A cycle's page, by its number in the municipality. */
export const cyclePath = (req: FastifyRequest, number: number) => `${pbBase(req)}/cycles/${number}`;
/** A project's page, by its number in the municipality (numbers run across cycles). */
export const projectPath = (req: FastifyRequest, number: number) => `${pbBase(req)}/projects/${number}`;
/** The module's staff pages. */
export const pbStaffBase = (req: FastifyRequest) => `${pbBase(req)}/staff`;

/** The ledger chain of a cycle's ballots: `pb:<cycle number>`. */
export const cycleChain = (cycleNumber: number) => `pb:${cycleNumber}`;
