import { useView } from '../../views/context.ts';
import { identitySignInHref } from './dialects.ts';

/**
 * "Continue with Diia / login.gov.pl / eID.gov.rs" for each configured identity provider, going on to `next`
 * (where the sign-in started, e.g. the petition to sign) afterwards.
 */
export function IdentityButtons({ next }: { next?: string | null | undefined }) {
  const { identityProviders, t, locale } = useView();
  if (!identityProviders.length) return null;
  return (
    <section class="stack" aria-labelledby="identity-title">
      <h2 id="identity-title">{t('auth.identity.title')}</h2>
      <p>{t('auth.identity.lead')}</p>
      <ul class="actions">
        {identityProviders.map((p) => (
          <li key={p.id}><a class="button button--secondary" href={identitySignInHref(locale, p.id, next)}>{t('auth.identity.with', { provider: p.name })}</a></li>
        ))}
      </ul>
    </section>
  );
}
