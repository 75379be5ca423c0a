import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { meetsLevel } from '../../../platform/auth/current-user.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { Banner, Button, Form, SummaryList } from '../../../platform/views/components.tsx';
import { petitionSettings } from '../petition.settings.ts';
import { signatureReceipt, signPetition } from '../signature.service.ts';
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

/** Signing, the page that explains what is missing, and the signer's receipt. */
export function registerSignPages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/petitions/:number/sign', { schema: { hide: true } }, async (req, reply) => {
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    const required = petitionSettings(req.municipality!).signLevel;
    const path = petitionPath(req, p.number);
    if (!collecting(p)) return redirectWithFlash(reply, path, { kind: 'error', message: req.t('petitions.web.notCollecting') });
    if (req.user && meetsLevel(req.user, req.municipality!.id, required)) {
      return render(deps, req, reply, {
        title: req.t('petitions.web.sign'),
        body: (
          <>
            <h1>{p.title}</h1>
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

  app.get('/:locale/:municipality/petitions/:number/receipt', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    const receipt = await signatureReceipt(deps.db, p, req.user.id);
    if (!receipt) return notFound(deps, req, reply);
    const just = (req.query as { signed?: string }).signed;
    const m = req.municipality!;
    const path = petitionPath(req, p.number);
    const when = new Intl.DateTimeFormat(req.locale, { dateStyle: 'long', timeStyle: 'medium', timeZone: m.time_zone });
    const items: [string, preact.ComponentChildren][] = [
      [req.t('petitions.web.receipt.petition'), <a href={path}>{p.title}</a>],
      [req.t('petitions.web.signedAt'), when.format(new Date(receipt.signedAt))],
      [req.t('petitions.web.receipt.chain'), <code>{receipt.chain}</code>],
      [req.t('petitions.web.receipt.signer'), <code class="hash">{receipt.signer}</code>],
    ];
    if (receipt.entry) {
      items.push([req.t('petitions.web.receipt.seq'), String(receipt.entry.seq)]);
      items.push([req.t('petitions.web.receipt.hash'), <code class="hash">{receipt.entry.hash}</code>]);
    }
    return render(deps, req, reply, {
      title: req.t('petitions.web.receipt.title'),
      body: (
        <>
          {just === 'new' && <Banner kind="success">{req.t('petitions.web.signed')}</Banner>}
          {just === 'again' && <Banner kind="info">{req.t('petitions.web.alreadySigned')}</Banner>}
          <h1>{req.t('petitions.web.receipt.title')}</h1>
          {receipt.invalidated && <Banner kind="warning">{req.t('petitions.web.receipt.invalidated')}</Banner>}
          <p class="lead">{req.t('petitions.web.receipt.lead')}</p>
          <SummaryList items={items} />
          <p>{receipt.entry ? req.t('petitions.web.receipt.sealed') : req.t('petitions.web.receipt.pending')}</p>
          <p class="data-links">
            <a href={`${path}/ledger?signer=${receipt.signer}`}>{req.t('petitions.web.receipt.check')}</a> · <a href={`/api/v1/${m.slug}/petitions/${p.number}/ledger.json`}>ledger.json</a>
          </p>
        </>
      ),
    });
  });
}
