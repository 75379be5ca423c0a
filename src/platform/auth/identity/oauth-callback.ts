import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityProviderConfig } from '../../../config.ts';
import type { Deps } from '../../http/deps.ts';
import { Query, Text } from '../../http/input.ts';
import type { Locale } from '../../i18n/i18n.ts';
import { failSignIn } from './finish.ts';
import { takeFlow, type Flow } from './flow.ts';

/** What an OAuth 2.0 provider sends the browser back with (RFC 6749 4.1.2); a dialect may add its own. */
export const OAUTH_CALLBACK_QUERY = { code: Text(2000), state: Text(500), error: Text(200), error_description: Text(2000) };
export const oauthCallbackQuery = (extra: Parameters<typeof Query>[0] = {}) => Query({ ...OAUTH_CALLBACK_QUERY, ...extra });

export interface OAuthCallback<P> {
  provider: P;
  /** This browser's sign-in with the provider (spent now), or null: none, expired, forged. */
  flow: Flow | null;
  locale: Locale;
  query: Record<string, string | undefined>;
}

/**
 * The start of every OAuth 2.0 callback (`/auth/<dialect>/:provider/callback`): the provider, the flow this
 * browser started, and its answer; or null when the reply is already sent (an unknown provider's 404, or the
 * provider's `error` refused: `access_denied` is the person cancelling).
 */
export async function beginOAuthCallback<P extends IdentityProviderConfig>(deps: Deps, req: FastifyRequest, reply: FastifyReply, byId: Map<string, P>): Promise<OAuthCallback<P> | null> {
  const provider = byId.get((req.params as { provider: string }).provider);
  if (!provider) {
    await reply.callNotFound();
    return null;
  }
  const flow = takeFlow(req, reply, provider.id);
  const locale = flow?.locale ?? req.locale;
  const query = req.query as Record<string, string | undefined>;
  if (typeof query.error === 'string') {
    await failSignIn(deps, req, reply, provider, locale, query.error === 'access_denied' ? 'cancelled' : 'failed',
      { error: query.error.slice(0, 100), description: query.error_description?.slice(0, 300) });
    return null;
  }
  return { provider, flow, locale, query };
}
