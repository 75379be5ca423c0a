import type { Database } from '../../db/database.ts';
import { contentMessageText } from '../i18n/content.ts';
import { isLocale, translator } from '../i18n/i18n.ts';
import type { Deps } from '../http/deps.ts';
import { enqueue } from '../jobs/queue.ts';
import { insertNotification, preferencesOf, savePreference } from './notify.repo.ts';

/** Notification kinds residents can tune; modules add theirs. Message keys: `notify.<kind>.title|body`. */
const kinds = new Set<string>(['account.security']);

export function registerNotificationKinds(...names: string[]): void {
  for (const n of names) kinds.add(n);
}

export function notificationKinds(): string[] {
  return [...kinds];
}

/** Parameters of a notice that quote user text (marked with its language, Serbian in the reader's script). */
export const CONTENT_PARAMS = ['title', 'name', 'reason', 'note'] as const;

export interface Notice {
  userId: number;
  municipalityId: number | null;
  kind: string;
  params: Record<string, string | number>;
  /** Local path, without locale: `/zhovkva/petitions/12`. */
  link: string | null;
}

/**
 * Notifies a user in-app and by e-mail, as their preferences say (both on by default).
 * Call inside the transaction of the write it reports, so neither is lost without the other.
 */
export async function notify(db: Database, n: Notice): Promise<void> {
  const prefs = (await preferencesOf(db, n.userId)).find((p) => p.kind === n.kind);
  if (prefs?.in_app !== false) await insertNotification(db, n);
  if (prefs?.email !== false) await enqueue(db, 'notify.email', { ...n });
}

/** Job: renders the notice in the recipient's language and sends it. */
export async function sendNotificationEmail(payload: Record<string, unknown>, deps: Deps): Promise<void> {
  const n = payload as unknown as Notice;
  const user = await deps.db.selectFrom('users').select(['email', 'locale', 'deleted_at', 'email_verified_at']).where('id', '=', n.userId).executeTakeFirst();
  const source = n.municipalityId === null ? null
    : (await deps.db.selectFrom('municipalities').select('default_locale').where('id', '=', n.municipalityId).executeTakeFirst())?.default_locale;
  if (!user?.email || user.deleted_at) return;
  const locale = isLocale(user.locale) ? user.locale : 'uk';
  const t = translator(locale);
  const link = n.link ? `\n\n${deps.config.baseUrl}/${locale}${n.link}` : '';
  await deps.mailer.send({
    to: user.email,
    subject: contentMessageText(t, `notify.${n.kind}.title`, n.params, CONTENT_PARAMS, source, locale),
    text: `${contentMessageText(t, `notify.${n.kind}.body`, n.params, CONTENT_PARAMS, source, locale)}${link}\n\n${t('platform.mail.preferences', { url: `${deps.config.baseUrl}/${locale}/account/notifications/settings` })}`,
  });
}

export interface NotificationSetting {
  kind: string;
  inApp: boolean;
  email: boolean;
}

/** The user's choice for every known kind; a kind never chosen is on both ways, as `notify` treats it. */
export async function notificationSettings(db: Database, userId: number): Promise<NotificationSetting[]> {
  const saved = new Map((await preferencesOf(db, userId)).map((p) => [p.kind, p]));
  return notificationKinds().map((kind) => ({ kind, inApp: saved.get(kind)?.in_app ?? true, email: saved.get(kind)?.email ?? true }));
}

/** Saves the choices for known kinds together; unknown kinds are ignored. */
export async function saveNotificationSettings(db: Database, userId: number, settings: NotificationSetting[]): Promise<void> {
  const known = new Set(notificationKinds());
  await db.transaction().execute(async (trx) => {
    for (const s of settings) if (known.has(s.kind)) await savePreference(trx, userId, s.kind, s.email, s.inApp);
  });
}
