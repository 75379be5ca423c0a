import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { attempt, type AttemptLimits } from '../auth/attempts.ts';
import { audit } from '../audit/audit.ts';
import type { Deps } from '../http/deps.ts';
import { toLatin } from '../i18n/serbian.ts';
import { confirmResident, findDocumentEntry, isResident, storeCensusBatch, type CensusEntry } from './census.repo.ts';

/** Rows stored per statement; only one batch of rows is held in memory at a time. */
export const CENSUS_BATCH = 1000;
/** Bad rows listed in the report (all are counted). */
export const CENSUS_REPORT_MAX = 100;
/** The longest cell a row may hold, and the longest record csv-parse reads before refusing the file. */
const MAX_EMAIL = 254;
const MAX_DOCUMENT = 64;
const MAX_ADDRESS = 300;
const MAX_RECORD = 4096;
/** Column names a header row may use (case and spaces do not matter). */
export const CENSUS_COLUMNS = { email: ['email', 'e-mail', 'mail'], document: ['document', 'document_number', 'document number'], address: ['address'] } as const;

export type RowProblem = 'no_identifier' | 'bad_email' | 'bad_document' | 'too_long' | 'no_address' | 'control';
export interface BadRow { row: number; problem: RowProblem }
export interface ImportReport { rows: number; entries: number; verified: number; bad: BadRow[]; badCount: number }
export type ImportOutcome = { kind: 'imported'; report: ImportReport } | { kind: 'no_columns' } | { kind: 'not_csv'; row: number };

/** One row as read: its number in the file (the header is row 1) and its cells. */
interface RawRow { row: number; email?: string | undefined; document?: string | undefined; address?: string | undefined }

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// C0 controls but TAB, and DEL: PostgreSQL stores no NUL, and none belongs in an address or a number.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** An address as compared: script, case, punctuation and spacing folded ("вул. Шевченка, 5" = "ВУЛ ШЕВЧЕНКА 5"). */
export function normaliseAddress(raw: string): string {
  return toLatin(raw.normalize('NFKC')).toLocaleLowerCase('en').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** A row's entries, or why it is refused. */
function checkRow(deps: Deps, r: RawRow): CensusEntry[] | RowProblem {
  const cells = [r.email, r.document, r.address].map((c) => c?.trim() ?? '');
  if (cells.some((c) => CONTROL.test(c.replace(/\r?\n/g, ' ')))) return 'control';
  const [email, document, address] = cells as [string, string, string];
  if (!email && !document) return 'no_identifier';
  if (email.length > MAX_EMAIL || document.length > MAX_DOCUMENT || address.length > MAX_ADDRESS) return 'too_long';
  const place = address.replace(/\s+/g, ' ') || null;
  const out: CensusEntry[] = [];
  if (email) {
    if (!EMAIL.test(email)) return 'bad_email';
    out.push({ kind: 'email', identifier: email.toLowerCase(), address: place });
  }
  if (document) {
    const hash = deps.identifiers.hash('document', document);
    if (!hash) return 'bad_document';
    if (!place) return 'no_address';
    out.push({ kind: 'document', identifier: hash, address: place });
  }
  return out;
}

/**
 * Imports rows in batches of CENSUS_BATCH inside ONE transaction: a crash, a file that stops being CSV halfway or
 * any failure leaves the list as it was, never half-imported. Bad rows are skipped and reported.
 */
async function importRows(deps: Deps, actor: { id: number; ip?: string | null }, m: Municipality, rows: AsyncIterable<RawRow>, source: 'file' | 'list'): Promise<ImportReport> {
  return deps.db.transaction().execute(async (trx) => {
    const report: ImportReport = { rows: 0, entries: 0, verified: 0, bad: [], badCount: 0 };
    let batch: CensusEntry[] = [];
    const flush = async () => {
      report.verified += await storeCensusBatch(trx, m.id, batch, actor.id);
      report.entries += batch.length;
      batch = [];
    };
    for await (const r of rows) {
      report.rows++;
      const checked = checkRow(deps, r);
      if (typeof checked === 'string') {
        report.badCount++;
        if (report.bad.length < CENSUS_REPORT_MAX) report.bad.push({ row: r.row, problem: checked });
        continue;
      }
      batch.push(...checked);
      if (batch.length >= CENSUS_BATCH) await flush();
    }
    await flush();
    await audit(trx, {
      municipalityId: m.id, actorId: actor.id, action: 'census.import', subjectType: 'census', subjectId: null,
      after: { source, rows: report.rows, entries: report.entries, verified: report.verified, bad: report.badCount }, ip: actor.ip ?? null,
    });
    return report;
  });
}

/** Which cell holds what, from the header row; null when it names neither an e-mail nor a document column. */
function columnsOf(header: string[]): { email?: number; document?: number; address?: number } | null {
  const names = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, ' '));
  const find = (k: keyof typeof CENSUS_COLUMNS) => {
    const i = names.findIndex((n) => (CENSUS_COLUMNS[k] as readonly string[]).includes(n));
    return i < 0 ? undefined : i;
  };
  const cols = { email: find('email'), document: find('document'), address: find('address') };
  return cols.email === undefined && cols.document === undefined ? null : cols;
}

class NoColumns extends Error {}

/** The separator a CSV's header row uses: a semicolon or a tab where it has one (spreadsheets in Ukraine, Serbia, Poland), else a comma. */
export function headerDelimiter(start: Buffer): string {
  const header = start.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') ? ';' : header.includes('\t') ? '\t' : ',';
}

function* slices(data: Buffer, size = 64 * 1024): Iterable<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/** A census CSV file (comma, semicolon or tab separated, UTF-8 with or without BOM, a header row naming the columns), read as a stream. */
export async function importCensusCsv(deps: Deps, actor: { id: number; ip?: string | null }, m: Municipality, data: Buffer | Readable): Promise<ImportOutcome> {
  // One separator for the whole file, the one its header row uses: addresses hold commas in a semicolon file.
  const source = (data instanceof Readable ? data : Readable.from(slices(data)))[Symbol.asyncIterator]();
  const first = await source.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer);
  const parser = parse({
    bom: true, delimiter: headerDelimiter(head), relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD,
  });
  async function* again(): AsyncIterable<Buffer> {
    if (head.length) yield head;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value as Buffer;
  }
  // The parser takes what it is given at once and keeps every row of it: fed in slices, it holds about one slice of rows.
  // `pipeline` stops feeding it at its first error, which reaches the loop below.
  pipeline(Readable.from(again()), parser, () => {});
  let seen = 0;
  async function* rows(): AsyncIterable<RawRow> {
    let cols: ReturnType<typeof columnsOf> = null;
    for await (const record of parser as AsyncIterable<string[]>) {
      seen++;
      if (!cols) {
        if (!(cols = columnsOf(record))) throw new NoColumns();
        continue;
      }
      const at = (i: number | undefined) => (i === undefined ? undefined : record[i]);
      yield { row: seen, email: at(cols.email), document: at(cols.document), address: at(cols.address) };
    }
    if (!cols) throw new NoColumns();
  }
  try {
    return { kind: 'imported', report: await importRows(deps, actor, m, rows(), 'file') };
  } catch (error) {
    if (error instanceof NoColumns) return { kind: 'no_columns' };
    if (error instanceof CsvError) return { kind: 'not_csv', row: seen + 1 };
    throw error;
  }
}

/** A typed list of e-mail addresses (one a line, or separated by commas, semicolons or spaces). */
export async function importCensusList(deps: Deps, actor: { id: number; ip?: string | null }, m: Municipality, text: string): Promise<ImportReport> {
  async function* rows(): AsyncIterable<RawRow> {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const email of lines[i]!.split(/[\s,;]+/).filter(Boolean)) yield { row: i + 1, email };
    }
  }
  return importRows(deps, actor, m, rows(), 'list');
}

const MIN = 60_000;
/** Census guesses: 5 per account and municipality, then 15 minutes doubling up to a day; 50 from one network, forgetting one a minute. */
export const CENSUS_GUESSES: AttemptLimits = {
  name: 'census',
  account: { free: 5, leakMs: 60 * MIN, baseMs: 15 * MIN, maxMs: 24 * 60 * MIN },
  ip: { free: 50, leakMs: MIN, baseMs: MIN, maxMs: 60 * MIN },
};

export type ClaimOutcome =
  | { kind: 'confirmed' } | { kind: 'no_match' } | { kind: 'document_used' } | { kind: 'already_resident' }
  | { kind: 'not_offered' } | { kind: 'bad_document' } | { kind: 'limited'; retryAfterSeconds: number };

/**
 * A resident takes the census way: their document number's hash must be on the list and the address they type
 * match the one on file. One document confirms one account per municipality; another account's try is refused
 * and audited. Guesses are limited (CENSUS_GUESSES) per account and network address.
 */
export async function claimByCensus(deps: Deps, user: CurrentUser, m: Municipality, v: { document: string; address: string }, ip: string): Promise<ClaimOutcome> {
  if (!(m.resident_ways as string[]).includes('census')) return { kind: 'not_offered' };
  if (user.residentOf.includes(m.id)) return { kind: 'already_resident' };
  const hash = deps.identifiers.hash('document', v.document);
  if (!hash) return { kind: 'bad_document' };
  const gate = await attempt(deps, CENSUS_GUESSES, { email: `user-${user.id}@municipality-${m.id}`, ip });
  if (!gate.ok) return { kind: 'limited', retryAfterSeconds: gate.retryAfterSeconds };
  const entry = await findDocumentEntry(deps.db, m.id, hash);
  if (!entry || !entry.address || normaliseAddress(entry.address) !== normaliseAddress(v.address)) return { kind: 'no_match' };
  const outcome = await deps.db.transaction().execute(async (trx): Promise<ClaimOutcome> => {
    if (await confirmResident(trx, { municipalityId: m.id, userId: user.id, method: 'census', by: null, documentHash: hash })) return { kind: 'confirmed' };
    if (await isResident(trx, m.id, user.id)) return { kind: 'already_resident' };
    await audit(trx, { municipalityId: m.id, actorId: user.id, action: 'residence.census.document_used', subjectType: 'user', subjectId: user.id, ip });
    return { kind: 'document_used' };
  });
  if (outcome.kind === 'confirmed') await gate.succeeded();
  return outcome;
}
