import nodemailer from 'nodemailer';
import type { Database } from '../../db/database.ts';

export interface Mail { to: string; subject: string; text: string }

export interface Mailer {
  send(mail: Mail): Promise<void>;
  /** True when mail is kept in the development outbox instead of sent. */
  readonly outbox: boolean;
}

/** SMTP through nodemailer when SMTP_URL is set; otherwise the development outbox table (and the console). */
export function createMailer(opts: { smtpUrl: string | null; from: string; db: Database; log?: (line: string) => void }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      outbox: false,
      async send(mail) {
        await transport.sendMail({ from: opts.from, to: mail.to, subject: mail.subject, text: mail.text });
      },
    };
  }
  return {
    outbox: true,
    async send(mail) {
      await opts.db.insertInto('outbox').values({ to_address: mail.to, subject: mail.subject, text_body: mail.text }).execute();
      opts.log?.(`[outbox] to ${mail.to}: ${mail.subject}\n${mail.text}`);
    },
  };
}
