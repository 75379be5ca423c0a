import type { Municipality } from '../../db/schema.ts';
import { accountForConfirmedEmail } from '../../platform/auth/auth.service.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { VERIFICATION_LEVELS } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../platform/idempotency/once.ts';
import { localized, translator, type Locale } from '../../platform/i18n/i18n.ts';
import { queueMail } from '../../platform/notify/mail-job.ts';
import { claimPending, findPending, insertPending, setPendingNumber } from './report.guests.repo.ts';
import { nearbyOpen } from './report.repo.ts';
import { checkReport, writeReport, type CheckOutcome, type NearbyOutcome, type NewReport } from './report.service.ts';
import { reportSettings } from './report.settings.ts';

/** How long a guest's confirmation link works. */
export const CONFIRM_TTL_MS = 3 * 86400_000;

/**
 * Whether guests may report here: the municipality allows it, and asks no more of reporters than a
 * confirmed e-mail address, which is all that following the link proves.
 */
export function guestsWelcome(m: Municipality): boolean {
  const s = reportSettings(m);
  return s.guests === 'email' && VERIFICATION_LEVELS.indexOf(s.reportLevel) <= VERIFICATION_LEVELS.indexOf('email');
}

export interface Guest { fullName: string; email: string }

/**
 * Checks a guest's report as a resident's would be (nearby reports of it first, when `askNearby`), keeps
 * it, and mails the link that files it: once per idempotency key, checked after the claim (see fileReport).
 */
export async function askGuestConfirmation(deps: Deps, m: Municipality, locale: Locale, guest: Guest, input: NewReport, once: OnceKey | null = null, askNearby = false): Promise<{ kind: 'sent' } | { kind: 'closed' } | CheckOutcome | NearbyOutcome> {
  if (!guestsWelcome(m)) return { kind: 'closed' };
  const token = randomToken();
  const t = translator(locale);
  return createOnce(deps.db, once, 'reports.guest', async (trx): Promise<{ kind: 'sent' } | CheckOutcome | NearbyOutcome> => {
    const checked = await checkReport(trx, m, input);
    if (checked.kind !== 'ok') return checked;
    const nearby = askNearby && input.at ? await nearbyOpen(trx, m.id, checked.category.id, input.at, reportSettings(m).duplicateMeters) : [];
    if (nearby.length > 0) return { kind: 'nearby', nearby };
    await insertPending(trx, { municipalityId: m.id, token, email: guest.email, fullName: guest.fullName, locale, report: input, ttlMs: CONFIRM_TTL_MS });
    await queueMail(trx, {
      to: guest.email.toLowerCase(),
      subject: t('reports.mail.confirm.subject', { title: input.title }),
      text: t('reports.mail.confirm.body', {
        name: guest.fullName, title: input.title, municipality: localized(m.names, locale), days: CONFIRM_TTL_MS / 86400_000,
        url: `${deps.config.baseUrl}/${locale}/${m.slug}/reports/confirm?token=${token}`,
      }),
    });
    return { kind: 'sent' as const };
  }, (r) => r.kind === 'sent');
}

/** What a confirmation link shows before it is followed. */
export async function pendingGuestReport(deps: Deps, m: Municipality, token: string) {
  const row = await findPending(deps.db, m.id, token);
  return row && { email: row.email, report: row.report as unknown as NewReport, number: row.report_number };
}

export type ConfirmOutcome =
  | { kind: 'filed'; number: number; userId: number }
  | { kind: 'already'; number: number | null }
  | { kind: 'invalid' }
  | CheckOutcome;

/**
 * Files a guest's report when its link is followed: under their account (made if new, its e-mail now
 * verified), checked again, since the category may have been retired meanwhile. A second click files nothing.
 */
export async function confirmGuestReport(deps: Deps, m: Municipality, token: string): Promise<ConfirmOutcome> {
  const row = await findPending(deps.db, m.id, token);
  if (!row) return { kind: 'invalid' };
  if (row.confirmed_at) return { kind: 'already', number: row.report_number };
  const input = row.report as unknown as NewReport;
  const checked = await checkReport(deps.db, m, input);
  if (checked.kind !== 'ok') return checked;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimPending(trx, m.id, token))) return { kind: 'already' as const, number: null };
    const userId = await accountForConfirmedEmail(trx, row.email, row.full_name, row.locale);
    const number = await writeReport(trx, { kind: 'guest', userId }, m, input, checked);
    await setPendingNumber(trx, m.id, token, number);
    return { kind: 'filed' as const, number, userId };
  });
}
