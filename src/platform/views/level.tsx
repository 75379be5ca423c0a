import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { verificationLevel, VERIFICATION_LEVELS, type VerificationLevel } from '../auth/current-user.ts';
import { identitySignInHref } from '../auth/identity/dialects.ts';
import { offersWay } from '../residence/residence.ways.ts';
import type { ResidentWay as WayId } from '../residence/residence.tables.ts';
import { ButtonLink } from './components.tsx';
import { useView, type ViewContext } from './context.ts';

/**
 * A way to become a confirmed resident of a municipality. The platform lists every way the municipality offers
 * (`resident_ways`, its administrator's choice) and that is available to the visitor; modules and later identity
 * sources add theirs with `registerResidentWay` (census lists, residence requests, postal codes…), so every page
 * that says "be confirmed as a resident" lists the same ways, each saying what it takes.
 */
export interface ResidentWay {
  /** Which of the municipality's ways this is: only those it offers are listed. */
  id: WayId;
  /** The list item, or null where this way is not available here. */
  render: (view: ViewContext, req: FastifyRequest) => ComponentChildren | null;
}

const residentWays: ResidentWay[] = [
  {
    id: 'identity',
    render: ({ t, identityProviders, municipalityName }, req) => identityProviders.length === 0 ? null : (
      <>{t('platform.level.way.identity', { municipality: municipalityName })}
        <ul>{identityProviders.map((p) => <li key={p.id}><a href={identitySignInHref(req.locale, p.id, req.url)}>{t('platform.level.identityWith', { provider: p.name })}</a></li>)}</ul>
      </>
    ),
  },
  { id: 'in_person', render: ({ t, municipalityName }) => <>{t('platform.level.way.in_person', { municipality: municipalityName })} <MunicipalityContact /></> },
];

/** Adds a way to become a confirmed resident (shown before going to the municipality in person). */
export function registerResidentWay(way: ResidentWay): void {
  if (!residentWays.some((w) => w.id === way.id)) residentWays.splice(residentWays.length - 1, 0, way);
}

/** Whom to ask: the municipality's public contact (set by its administrator), or its offices where none is set. */
export function MunicipalityContact() {
  const { t, municipality, municipalityName } = useView();
  const items = [
    municipality?.contact_email && <a href={`mailto:${municipality.contact_email}`}>{municipality.contact_email}</a>,
    municipality?.contact_phone && <a href={`tel:${municipality.contact_phone.replace(/[^+0-9]/g, '')}`}>{municipality.contact_phone}</a>,
    municipality?.contact_address,
  ].filter(Boolean);
  if (items.length === 0) return <span class="contact">{t('platform.level.contactNone', { municipality: municipalityName })}</span>;
  return <span class="contact">{t('platform.level.contact', { municipality: municipalityName })} {items.map((x, i) => <span key={i}>{i > 0 && ' · '}{x}</span>)}</span>;
}

/**
 * Exactly what stands between the visitor and an action that needs `required`, one step a line: signing in,
 * a confirmed e-mail address, an identity check, confirmed residence in this municipality (with every way to
 * get it and whom to ask). Empty when nothing is missing.
 */
export function LevelSteps({ req, required }: { req: FastifyRequest; required: string }) {
  const view = useView();
  const { t, identityProviders, municipalityName } = view;
  const next = encodeURIComponent(req.url);
  const have = verificationLevel(req.user, req.municipality!);
  const rank = (l: VerificationLevel | null) => (l ? VERIFICATION_LEVELS.indexOf(l) : -1);
  const need = VERIFICATION_LEVELS.indexOf(required as VerificationLevel);
  const steps: ComponentChildren[] = [];
  if (!req.user) {
    steps.push(<li key="in">{t('platform.level.signIn')} <a href={`/${req.locale}/account/sign-in?next=${next}`}>{t('platform.level.signInLink')}</a> · <a href={`/${req.locale}/account/register`}>{t('platform.level.registerLink')}</a></li>);
    // A newcomer with an electronic ID needs no account first: signing in with it makes one and verifies it.
    const idCounts = need === rank('identity') || (need >= rank('resident') && offersWay(req.municipality, 'identity'));
    if (idCounts && identityProviders.length > 0) {
      steps.push(
        <li key="id">{t('platform.level.signInWithId')}
          <ul>{identityProviders.map((p) => <li key={p.id}><a href={identitySignInHref(req.locale, p.id, req.url)}>{t('platform.level.identityWith', { provider: p.name })}</a></li>)}</ul>
        </li>,
      );
    }
  } else {
    if (need >= rank('email') && !req.user.emailVerified && !req.user.identityVerified) {
      steps.push(<li key="email">{t('platform.level.email')} <a href={`/${req.locale}/account`}>{t('platform.level.emailLink')}</a></li>);
    }
    if (need === rank('identity') && !req.user.identityVerified) {
      steps.push(
        <li key="identity">{t('platform.level.identity')}
          {identityProviders.length > 0
            ? <ul>{identityProviders.map((p) => <li key={p.id}><a href={identitySignInHref(req.locale, p.id, req.url)}>{t('platform.level.identityWith', { provider: p.name })}</a></li>)}</ul>
            : <> {t('platform.level.identityNone')} <MunicipalityContact /></>}
        </li>,
      );
    }
    if (need >= rank('resident') && rank(have) < rank('resident')) {
      const ways = residentWays.filter((w) => offersWay(req.municipality, w.id))
        .map((w) => [w.id, w.render(view, req)] as const).filter(([, node]) => node !== null);
      steps.push(ways.length > 0
        ? (
          <li key="resident">{t('platform.level.resident', { municipality: municipalityName })}
            <ul class="ways">{ways.map(([id, node]) => <li key={id}>{node}</li>)}</ul>
          </li>
        )
        : <li key="resident">{t('platform.level.residentNoWay', { municipality: municipalityName })} <MunicipalityContact /></li>);
    }
  }
  return steps.length ? <ol class="steps">{steps}</ol> : null;
}

/** The page that says what is missing: `lead` names the action and the level (the module's own sentence). */
export function LevelExplanation({ req, required, lead, back }: { req: FastifyRequest; required: string; lead: string; back: string }) {
  const { t } = useView();
  return (
    <>
      <h1>{t('platform.level.title')}</h1>
      <p class="lead">{lead}</p>
      <LevelSteps req={req} required={required} />
      <p><ButtonLink variant="secondary" href={back}>{t('platform.level.back')}</ButtonLink></p>
    </>
  );
}
