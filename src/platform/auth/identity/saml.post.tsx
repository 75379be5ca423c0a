import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../http/deps.ts';
import { render } from '../../http/render.tsx';
import { providerName } from './finish.ts';
import type { SamlProvider } from './saml.settings.ts';

/**
 * Sends a signed AuthnRequest by the HTTP-POST binding: a page whose form posts it to the provider (sent at
 * once by the page's script, or by its button without one). The page's form may go to the provider's origin.
 */
export async function postToProvider(deps: Deps, req: FastifyRequest, reply: FastifyReply, p: SamlProvider, message: Record<string, unknown>): Promise<FastifyReply> {
  const name = providerName(p.config, req.locale);
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  if (csp) reply.header('content-security-policy', csp.replace(/form-action ([^;]*)/, `form-action $1 ${new URL(p.config.entryPoint).origin}`));
  const fields = Object.entries(message).filter(([, v]) => typeof v === 'string' && v) as [string, string][];
  return render(deps, req, reply, {
    title: req.t('auth.saml.post.title', { provider: name }),
    body: (
      <section class="stack">
        <h1>{req.t('auth.saml.post.title', { provider: name })}</h1>
        <form method="post" action={p.config.entryPoint} data-module="submit-now">
          {fields.map(([k, v]) => <input type="hidden" name={k} value={v} key={k} />)}
          <p>{req.t('auth.saml.post.lead', { provider: name })}</p>
          <button type="submit" class="button">{req.t('auth.saml.post.continue', { provider: name })}</button>
        </form>
      </section>
    ),
  });
}
