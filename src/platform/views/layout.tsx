import type { ComponentChildren } from 'preact';
import { LOCALES } from '../i18n/i18n.ts';
import { Banner } from './components.tsx';
import { useLinks, useView } from './context.ts';
import { HeadMeta, type PageMeta } from './head.tsx';

/** Self-names of the locales, shown in the switcher in their own language. */
const LOCALE_NAMES: Record<string, string> = {
  uk: 'Українська', 'sr-Cyrl': 'Српски', 'sr-Latn': 'Srpski', pl: 'Polski', en: 'English',
};

/** The same page in every other language; in the header (compact) and again in the footer. */
function LocaleSwitch(p: { compact?: boolean }) {
  const { locale, pathAfterLocale, t } = useView();
  return (
    <nav class={p.compact ? 'locales locales--header' : 'locales'} aria-label={t('platform.layout.language')}>
      <ul>
        {LOCALES.map((l) => (
          <li key={l}>
            {l === locale
              ? <span aria-current="true" lang={l}>{LOCALE_NAMES[l]}</span>
              : <a href={`/${l}${pathAfterLocale}`} hreflang={l} lang={l}>{LOCALE_NAMES[l]}</a>}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AccountMenu() {
  // csrfToken is read only where the form is: reading it makes the page personal (render.tsx).
  const view = useView();
  const { user, t, unreadNotifications } = view;
  const { href } = useLinks();
  if (!user) {
    return (
      <ul class="account">
        <li><a href={href('/account/sign-in')}>{t('platform.layout.signIn')}</a></li>
        <li><a href={href('/account/register')}>{t('platform.layout.register')}</a></li>
      </ul>
    );
  }
  return (
    <ul class="account">
      <li><a href={href('/account')}>{user.fullName}</a></li>
      <li>
        <a href={href('/account/notifications')}>
          {t('platform.layout.notifications')}
          {unreadNotifications > 0 && <span class="badge">{' '}{t('platform.layout.unread', { count: unreadNotifications })}</span>}
        </a>
      </li>
      {(user.platformRole || Object.keys(user.roles).length > 0) && <li><a href={href('/admin')}>{t('platform.layout.admin')}</a></li>}
      <li>
        <form method="post" action={href('/account/sign-out')} class="inline">
          <input type="hidden" name="_csrf" value={view.csrfToken} />
          <button type="submit" class="link-button">{t('platform.layout.signOut')}</button>
        </form>
      </li>
    </ul>
  );
}

/** The page shell every HTML page is rendered in. */
export function Layout(props: { title: string; children: ComponentChildren; wide?: boolean | undefined; meta?: PageMeta | undefined; status?: number | undefined }) {
  const v = useView();
  const { href, mHref } = useLinks();
  const site = v.municipality ? v.municipalityName : v.associationName;
  return (
    <html lang={v.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${site}`}</title>
        <link rel="stylesheet" href={v.assets.css} />
        <HeadMeta title={props.title} site={site} meta={props.meta} indexable={(props.status ?? 200) === 200} />
        <script type="module" src={v.assets.js} />
      </head>
      <body>
        <a href="#main" class="skip-link">{v.t('platform.layout.skip')}</a>
        <header class="header">
          <LocaleSwitch compact />
          <div class="header__inner">
            <div class="brand">
              <a href={v.municipality ? mHref('/') : href('/')} class="brand__name">
                {v.municipality?.logo_file_id && <img src={`/files/${v.municipality.logo_file_id}`} alt="" class="brand__logo" height={40} />}
                {site}
              </a>
              {v.municipality && <a href={href('/')} class="brand__association">{v.associationName}</a>}
            </div>
            <AccountMenu />
          </div>
          {v.nav.length > 0 && (
            <nav class="nav" aria-label={v.t('platform.layout.services')}>
              <ul>
                {v.nav.map((item) => (
                  <li key={item.href}>
                    <a href={item.href} aria-current={v.currentPath.startsWith(item.href) ? 'page' : undefined}>{item.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </header>
        <main id="main" class={props.wide ? 'main main--wide' : 'main'} tabIndex={-1}>
          {v.flash && <Banner kind={v.flash.kind} focus>{v.flash.message}</Banner>}
          {props.children}
        </main>
        <footer class="footer">
          <LocaleSwitch />
          <ul class="footer__links">
            <li><a href={href('/')}>{v.associationName}</a></li>
            <li><a href="/api/docs">{v.t('platform.layout.api')}</a></li>
          </ul>
          <p>{v.t('platform.layout.footer')}</p>
        </footer>
      </body>
    </html>
  );
}
