import type { FastifyReply } from 'fastify';

/**
 * One CSV cell (RFC 4180): quoted when needed; a leading =, +, - or @ is prefixed with an apostrophe so a
 * spreadsheet never runs a title as a formula.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Sends a CSV download; the byte order mark makes spreadsheet programs read Cyrillic as UTF-8. */
export function sendCsv(reply: FastifyReply, filename: string, header: unknown[], rows: unknown[][]): FastifyReply {
  return reply.type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(`\uFEFF${csvLine(header)}${rows.map(csvLine).join('')}`);
}
