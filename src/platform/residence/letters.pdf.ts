import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Municipality } from '../../db/schema.ts';
import { formatters, isLocale, localized, translator, type Locale } from '../i18n/i18n.ts';
import { showCode } from './letters.service.ts';

// The fonts come from npm (dejavu-fonts-ttf): DejaVu covers Cyrillic, Serbian Latin and Polish letters alike.
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const MONO = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf');

const MM = 72 / 25.4;

/** One letter of a batch: to whom, where, and the code it carries. */
export interface PrintedLetter {
  recipient: string;
  address: string;
  code: string;
  expiresAt: Date;
  /** The resident's language (their account's); the letter is written in it. */
  locale: string;
}

/**
 * One PDF, one A4 page a letter. The recipient and address sit where a DL or C5 window envelope shows them
 * (DIN 5008 form B and EN ISO 269: 20 mm from the left, 45 mm from the top, 85 × 45 mm), the municipality's
 * name above them as the sender, then the code, where to enter it and until when, in the resident's language.
 */
export function lettersPdf(m: Municipality, letters: PrintedLetter[], baseUrl: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, margin: 20 * MM, info: { Title: localized(m.names, m.default_locale as Locale) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const l of letters) page(doc, m, l, baseUrl);
  doc.end();
  return done;
}

function page(doc: PDFKit.PDFDocument, m: Municipality, l: PrintedLetter, baseUrl: string): void {
  const locale: Locale = isLocale(l.locale) ? l.locale : (m.default_locale as Locale);
  const t = translator(locale);
  const name = localized(m.names, locale);
  doc.addPage();
  const width = doc.page.width - 40 * MM;
  doc.font(BOLD).fontSize(13).text(name, 20 * MM, 15 * MM, { width });
  if (m.contact_address) doc.font(FONT).fontSize(9).text(m.contact_address, { width });
  // The window: a sender line in small type, then the recipient, all inside 85 × 45 mm.
  doc.font(FONT).fontSize(7).text(name, 25 * MM, 45 * MM, { width: 75 * MM, height: 4 * MM, ellipsis: true });
  doc.font(BOLD).fontSize(11).text(l.recipient, 25 * MM, 51 * MM, { width: 75 * MM, height: 6 * MM, ellipsis: true });
  doc.font(FONT).fontSize(11).text(l.address, 25 * MM, 57 * MM, { width: 75 * MM, height: 31 * MM, ellipsis: true });

  const url = `${baseUrl.replace(/\/$/, '')}/${locale}/${m.slug}/residence/letter`;
  const until = formatters(locale, m.time_zone).date(l.expiresAt);
  doc.font(BOLD).fontSize(15).text(t('residence.letter.pdf.title', { municipality: name }), 20 * MM, 105 * MM, { width });
  doc.moveDown(0.8).font(FONT).fontSize(11).text(t('residence.letter.pdf.lead', { municipality: name }), { width });
  doc.moveDown(1.2).font(FONT).fontSize(10).text(t('residence.letter.pdf.codeLabel'), { width });
  doc.moveDown(0.3).font(MONO).fontSize(30).text(showCode(l.code), { width, characterSpacing: 2 });
  doc.moveDown(0.8).font(FONT).fontSize(11).text(t('residence.letter.pdf.where'), { width });
  doc.moveDown(0.3).font(BOLD).fontSize(11).text(url, { width, link: url });
  doc.moveDown(0.8).font(FONT).fontSize(11).text(t('residence.letter.pdf.until', { date: until }), { width });
  doc.moveDown(0.8).text(t('residence.letter.pdf.attempts'), { width });
  doc.moveDown(0.8).fontSize(9).text(t('residence.letter.pdf.notYou'), { width });
}
