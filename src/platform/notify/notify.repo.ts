import type { Database } from '../../db/database.ts';

export async function unreadCount(db: Database, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listNotifications(db: Database, userId: number, limit: number, offset: number) {
  // The municipality's default locale is the language of the user text the notice quotes (a title, a name).
  return db.selectFrom('notifications').leftJoin('municipalities as m', 'm.id', 'notifications.municipality_id')
    .select(['notifications.id', 'kind', 'params', 'link', 'read_at', 'notifications.created_at', 'm.default_locale as content_locale'])
    .where('user_id', '=', userId).orderBy('notifications.created_at', 'desc').orderBy('notifications.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countNotifications(db: Database, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function markAllRead(db: Database, userId: number): Promise<void> {
  await db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export async function insertNotification(db: Database, n: { userId: number; municipalityId: number | null; kind: string; params: Record<string, string | number>; link: string | null }) {
  await db.insertInto('notifications').values({
    user_id: n.userId, municipality_id: n.municipalityId, kind: n.kind, params: JSON.stringify(n.params), link: n.link, read_at: null,
  }).execute();
}

export async function preferencesOf(db: Database, userId: number) {
  return db.selectFrom('notification_preferences').select(['kind', 'email', 'in_app']).where('user_id', '=', userId).execute();
}

export async function savePreference(db: Database, userId: number, kind: string, email: boolean, inApp: boolean) {
  await db.insertInto('notification_preferences').values({ user_id: userId, kind, email, in_app: inApp })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ email, in_app: inApp })).execute();
}

/** The development outbox, newest first; `to` narrows it to one recipient. */
export async function listOutbox(db: Database, limit = 50, to?: string) {
  let q = db.selectFrom('outbox').select(['id', 'to_address', 'subject', 'text_body', 'created_at']);
  if (to) q = q.where('to_address', '=', to.toLowerCase());
  return q.orderBy('id', 'desc').limit(limit).execute();
}
