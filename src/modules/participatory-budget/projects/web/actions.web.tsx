import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { forbidden } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { redirectToSignIn } from '../../../../platform/http/request-context.ts';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { followProject, submitProject, unfollowProject, withdrawProject } from '../lifecycle.service.ts';
import { levelPage, loadProject, money, projectPaths, type LoadedProject } from './common.tsx';

/** The project named by the route for a signed-in visitor who may see it, or null with the answer sent. */
async function signedInProject(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<LoadedProject | null> {
  if (!req.user) {
    await redirectToSignIn(req, reply);
    return null;
  }
  return loadProject(deps, req, reply);
}

/** Submitting, resubmitting and withdrawing (the author), following and unfollowing (anyone signed in). */
export function registerProjectActions(app: App, deps: Deps): void {
  const base = '/:locale/:municipality/participatory-budget/projects/:number';
  const flash = (req: FastifyRequest, reply: FastifyReply, l: LoadedProject, kind: 'success' | 'error' | 'info', key: string, params = {}) =>
    redirectWithFlash(reply, projectPaths(req, l.p.number).page, { kind, message: req.t(key, params) });

  app.post(`${base}/submit`, { schema: { hide: true } }, async (req, reply) => {
    const l = await signedInProject(deps, req, reply);
    if (!l) return reply;
    const r = await submitProject(deps, req.user!, req.municipality!, l.cycle, l.p, new Date());
    switch (r.kind) {
      case 'submitted': return flash(req, reply, l, 'success', 'pb.projects.flash.submitted');
      case 'resubmitted': return flash(req, reply, l, 'success', 'pb.projects.flash.resubmitted');
      case 'forbidden': return forbidden(deps, req, reply);
      case 'closed': return flash(req, reply, l, 'error', 'pb.projects.flash.notSubmittable');
      case 'level': return levelPage(deps, req, reply, r.required, projectPaths(req, l.p.number).page);
      case 'cost_range': return redirectWithFlash(reply, projectPaths(req, l.p.number).edit, {
        kind: 'error',
        message: req.t('pb.projects.cost.range', {
          total: money(req, l.cycle, r.total), min: money(req, l.cycle, r.category.min_cost), max: money(req, l.cycle, r.category.max_cost), category: localized(r.category.names, req.locale),
        }),
      });
    }
  });

  app.post(`${base}/withdraw`, { schema: { hide: true } }, async (req, reply) => {
    const l = await signedInProject(deps, req, reply);
    if (!l) return reply;
    const r = await withdrawProject(deps, req.user!, req.municipality!, l.cycle, l.p, new Date());
    if (r.kind === 'forbidden') return forbidden(deps, req, reply);
    if (r.kind === 'closed') return flash(req, reply, l, 'error', 'pb.projects.flash.notWithdrawable');
    return flash(req, reply, l, 'success', 'pb.projects.flash.withdrawn');
  });

  app.post(`${base}/follow`, { schema: { hide: true } }, async (req, reply) => {
    const l = await signedInProject(deps, req, reply);
    if (!l) return reply;
    const r = await followProject(deps.db, req.user!, l.p);
    const key = { followed: 'pb.projects.follow.followed', already: 'pb.projects.follow.following', own: 'pb.projects.follow.own', not_public: 'pb.projects.follow.notPublic' }[r.kind];
    return flash(req, reply, l, r.kind === 'followed' ? 'success' : 'info', key);
  });

  app.post(`${base}/unfollow`, { schema: { hide: true } }, async (req, reply) => {
    const l = await signedInProject(deps, req, reply);
    if (!l) return reply;
    const done = await unfollowProject(deps.db, req.user!, l.p);
    return flash(req, reply, l, done ? 'success' : 'info', done ? 'pb.projects.follow.unfollowed' : 'pb.projects.follow.notFollowing');
  });
}
