import type { FastifyRequest } from 'fastify';
import { verificationLevel, VERIFICATION_LEVELS, type VerificationLevel } from '../../../platform/auth/current-user.ts';
import { ButtonLink } from '../../../platform/views/components.tsx';
import { useView } from '../../../platform/views/context.ts';

/**
 * Says exactly what stands between the visitor and an action that needs `required`: signing in, a
 * confirmed e-mail address, an identity check, or confirmed residence in this municipality.
 */
export function LevelExplanation({ req, required, action }: { req: FastifyRequest; required: string; action: 'sign' | 'create' }) {
  const { t, oidcProviders, municipalityName } = useView();
  const next = encodeURIComponent(req.url);
  const have = verificationLevel(req.user, req.municipality!.id);
  const rank = (l: VerificationLevel | null) => (l ? VERIFICATION_LEVELS.indexOf(l) : -1);
  const need = VERIFICATION_LEVELS.indexOf(required as VerificationLevel);
  const steps: preact.ComponentChildren[] = [];
  if (!req.user) {
    steps.push(<li key="in">{t('petitions.web.level.signIn')} <a href={`/${req.locale}/account/sign-in?next=${next}`}>{t('petitions.web.level.signInLink')}</a> · <a href={`/${req.locale}/account/register`}>{t('petitions.web.level.registerLink')}</a></li>);
  } else {
    if (need >= rank('email') && !req.user.emailVerified && !req.user.identityVerified) {
      steps.push(<li key="email">{t('petitions.web.level.email')} <a href={`/${req.locale}/account`}>{t('petitions.web.level.emailLink')}</a></li>);
    }
    if (need >= rank('identity') && !req.user.identityVerified) {
      steps.push(
        <li key="identity">{t('petitions.web.level.identity')}
          {oidcProviders.length > 0
            ? <ul>{oidcProviders.map((p) => <li key={p.id}><a href={`/${req.locale}/auth/oidc/${p.id}?next=${next}`}>{t('petitions.web.level.identityWith', { provider: p.name })}</a></li>)}</ul>
            : <> {t('petitions.web.level.identityNone')}</>}
        </li>,
      );
    }
    if (need >= rank('resident') && rank(have) < rank('resident')) {
      steps.push(<li key="resident">{t('petitions.web.level.resident', { municipality: municipalityName })}</li>);
    }
  }
  return (
    <>
      <h1>{t('petitions.web.notYet')}</h1>
      <p class="lead">{t(`petitions.web.level.needs.${action}`, { level: t(`verification.level.${required}`) })}</p>
      <ol class="steps">{steps}</ol>
      <p><ButtonLink variant="secondary" href={req.url.replace(/\/(sign|new)(\?.*)?$/, '')}>{t('petitions.web.back')}</ButtonLink></p>
    </>
  );
}
