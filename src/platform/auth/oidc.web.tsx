import { useView } from '../views/context.ts';

/** "Sign in with BankID / Diia / eID" buttons for each configured identity provider. */
export function OidcButtons() {
  const { oidcProviders, t, locale } = useView();
  if (!oidcProviders.length) return null;
  return (
    <section class="stack" aria-labelledby="oidc-title">
      <h2 id="oidc-title">{t('auth.oidc.title')}</h2>
      <p>{t('auth.oidc.lead')}</p>
      <ul class="actions">
        {oidcProviders.map((p) => (
          <li key={p.id}><a class="button button--secondary" href={`/${locale}/auth/oidc/${p.id}`}>{t('auth.oidc.with', { provider: p.name })}</a></li>
        ))}
      </ul>
    </section>
  );
}
