import type { FastifyRequest } from 'fastify';
import { verificationLevel, VERIFICATION_LEVELS, type VerificationLevel } from '../auth/current-user.ts';
import { ButtonLink } from './components.tsx';
import { useView } from './context.ts';

/**
 * Says exactly what stands between the visitor and an action that needs `required`: signing in, a
 * confirmed e-mail address, an identity check, or confirmed residence in this municipality. `lead` names
 * the action and the level (the module's own sentence); `back` is where the back button goes.
 */
export function LevelExplanation({ req, required, lead, back }: { req: FastifyRequest; required: string; lead: string; back: string }) {
  const { t, oidcProviders, municipalityName } = useView();
  const next = encodeURIComponent(req.url);
  const have = verificationLevel(req.user, req.municipality!.id);
  const rank = (l: VerificationLevel | null) => (l ? VERIFICATION_LEVELS.indexOf(l) : -1);
  const need = VERIFICATION_LEVELS.indexOf(required as VerificationLevel);
  const steps: preact.ComponentChildren[] = [];
  if (!req.user) {
    steps.push(<li key="in">{t('platform.level.signIn')} <a href={`/${req.locale}/account/sign-in?next=${next}`}>{t('platform.level.signInLink')}</a> · <a href={`/${req.locale}/account/register`}>{t('platform.level.registerLink')}</a></li>);
  } else {
    if (need >= rank('email') && !req.user.emailVerified && !req.user.identityVerified) {
      steps.push(<li key="email">{t('platform.level.email')} <a href={`/${req.locale}/account`}>{t('platform.level.emailLink')}</a></li>);
    }
    if (need >= rank('identity') && !req.user.identityVerified) {
      steps.push(
        <li key="identity">{t('platform.level.identity')}
          {oidcProviders.length > 0
            ? <ul>{oidcProviders.map((p) => <li key={p.id}><a href={`/${req.locale}/auth/oidc/${p.id}?next=${next}`}>{t('platform.level.identityWith', { provider: p.name })}</a></li>)}</ul>
            : <> {t('platform.level.identityNone')}</>}
        </li>,
      );
    }
    if (need >= rank('resident') && rank(have) < rank('resident')) {
      steps.push(<li key="resident">{t('platform.level.resident', { municipality: municipalityName })}</li>);
    }
  }
  return (
    <>
      <h1>{t('platform.level.title')}</h1>
      <p class="lead">{lead}</p>
      <ol class="steps">{steps}</ol>
      <p><ButtonLink variant="secondary" href={back}>{t('platform.level.back')}</ButtonLink></p>
    </>
  );
}
