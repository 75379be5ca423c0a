import { sendNotificationEmail } from '../notify/notify.service.ts';
import { sendMailJob } from '../notify/mail-job.ts';
import { cleanupJob } from './cleanup.ts';
import type { JobHandler } from './queue.ts';

/** Job kinds of the platform itself; modules add theirs through their manifest. */
export const platformJobs: Record<string, JobHandler> = {
  'notify.email': sendNotificationEmail,
  'mail.send': sendMailJob,
  'platform.cleanup': cleanupJob,
};
