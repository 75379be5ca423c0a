import type { Deps } from '../http/deps.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Database } from '../../db/database.ts';
import type { Mail } from './mailer.ts';

/** Queues an e-mail; inside a transaction it is sent only if the write commits. */
export function queueMail(db: Database, mail: Mail): Promise<void> {
  return enqueue(db, 'mail.send', { ...mail });
}

export async function sendMailJob(payload: Record<string, unknown>, deps: Deps): Promise<void> {
  await deps.mailer.send(payload as unknown as Mail);
}
