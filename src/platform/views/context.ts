import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import type { Locale, Translate, formatters } from '../i18n/i18n.ts';

export interface Flash {
  kind: 'success' | 'info' | 'warning' | 'error';
  message: string;
}

export interface NavItem {
  href: string;
  label: string;
}

/** Everything a view needs about the request, passed down once instead of through every prop. */
export interface ViewContext {
  locale: Locale;
  t: Translate;
  fmt: ReturnType<typeof formatters>;
  user: CurrentUser | null;
  municipality: Municipality | null;
  municipalityName: string;
  associationName: string;
  nav: NavItem[];
  /** The public address (BASE_URL), for canonical links and previews. */
  baseUrl: string;
  /** Path after the locale segment, for the locale switcher. */
  pathAfterLocale: string;
  currentPath: string;
  csrfToken: string;
  flash: Flash | null;
  unreadNotifications: number;
  assets: { css: string; js: string };
  /** The identity providers residents may sign in with (names as shown: a demo one says so). */
  identityProviders: { id: string; name: string }[];
  /** The label each form field on the page shows, by field name: error messages name fields by it. */
  shownLabels: Map<string, string>;
}

/** Records the label a field shows, so that the page's error messages name the field by it. */
export function useFieldLabel(name: string, label: string): void {
  useView().shownLabels.set(name, label);
}

export const ViewCtx = createContext<ViewContext | null>(null);

/** The current request's view context; views are only ever rendered inside one. */
export function useView(): ViewContext {
  const ctx = useContext(ViewCtx);
  if (!ctx) throw new Error('View rendered outside of a request');
  return ctx;
}

/** Builds locale-prefixed links: `href('/account')` → `/uk/account`, `mHref('/petitions')` → `/uk/zhovkva/petitions`. */
export function useLinks() {
  const { locale, municipality } = useView();
  return {
    href: (path: string) => `/${locale}${path}`,
    mHref: (path: string, slug = municipality?.slug) => `/${locale}/${slug}${path}`,
  };
}
