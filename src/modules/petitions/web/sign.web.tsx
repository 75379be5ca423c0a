import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { meetsLevel } from '../../../platform/auth/current-user.ts';
import { Button, Form } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { petitionSettings } from '../petition.settings.ts';
import { signPetition } from '../signature.service.ts';
import { loadPetition, petitionPath } from './common.tsx';
import { PetitionLevel } from './level.tsx';
import { collecting } from '../petition.status.ts';

/** Per account and per network: generous for people, tight for scripts. Off in tests (RATE_LIMITS=false). */
const SIGN_LIMITS = {
  config: {
    rateLimit: {
      max: 30,
      timeWindow: 60_000,
      keyGenerator: (req: import('fastify').FastifyRequest) => (req.user ? `petition-sign:user:${req.user.id}` : `petition-sign:ip:${req.ip}`),
    },
  },
};

/** Signing and the page that explains what is missing (the receipt is in receipt.web.tsx). */
export function registerSignPages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/petitions/:number/sign', { schema: { hide: true } }, async (req, reply) => {
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    const required = petitionSettings(req.municipality!).signLevel;
    const path = petitionPath(req, p.number);
    if (!collecting(p)) return redirectWithFlash(reply, path, { kind: 'error', message: req.t('petitions.web.notCollecting') });
    if (req.user && meetsLevel(req.user, req.municipality!, required)) {
      return render(deps, req, reply, {
        title: req.t('petitions.web.sign'),
        body: (
          <>
            <h1><Content text={p.title} /></h1>
            <p class="lead">{req.t('petitions.web.signConfirm', { name: req.user.fullName })}</p>
            <Form action={`${path}/sign`}><Button>{req.t('petitions.web.sign')}</Button></Form>
          </>
        ),
      });
    }
    return render(deps, req, reply, { title: req.t('platform.level.title'), body: <PetitionLevel req={req} required={required} action="sign" /> });
  });

  // A signature does not empty the shared page cache: during a rush that would make every reader's request
  // render the page again; the count anonymous visitors see is at most the cache's lifetime behind.
  app.post('/:locale/:municipality/petitions/:number/sign', { config: { ...SIGN_LIMITS.config, invalidatesSharedCache: false }, schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    // A row up to a second old will do: the signing INSERT checks the status and closing time itself.
    const p = await loadPetition(deps, req, reply, { recent: true });
    if (!p) return reply;
    const path = petitionPath(req, p.number);
    const r = await signPetition(deps, req.user, req.municipality!, p, req.ip);
    switch (r.kind) {
      // The receipt says which it was: a query parameter costs a rush less than a signed flash cookie.
      case 'signed': return reply.redirect(`${path}/receipt?signed=new`, 303);
      case 'already': return reply.redirect(`${path}/receipt?signed=again`, 303);
      case 'closed': return redirectWithFlash(reply, path, { kind: 'error', message: req.t('petitions.web.notCollecting') });
      case 'blocked': return redirectWithFlash(reply, path, { kind: 'error', message: req.t('petitions.web.domainBlocked') });
      case 'level': return reply.redirect(`${path}/sign`, 303);
    }
  });
}
