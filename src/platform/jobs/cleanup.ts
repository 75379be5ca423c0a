import type { Deps } from '../http/deps.ts';

/** Job: forgets expired sessions, used links, old rate-limit windows and finished jobs. */
export async function cleanupJob(_payload: Record<string, unknown>, deps: Deps): Promise<void> {
  const { db } = deps;
  const now = new Date();
  const weekAgo = new Date(Date.now() - 7 * 86400_000);
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await db.deleteFrom('tokens').where('expires_at', '<', weekAgo).execute();
  // An attempt limit's lock may outlast its drained count (platform/auth/attempts.ts): keep it until it ends.
  await db.deleteFrom('rate_limits').where('reset_at', '<', now)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)])).execute();
  await db.deleteFrom('jobs').where('state', '=', 'done').where('updated_at', '<', weekAgo).execute();
}
