import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { LEDGER_CSV_COLUMNS } from '../entries.ts';
import { jcs } from './canonical.ts';
import { entryFrom, LedgerReadError, strictOrFail, type ReadEntry } from './entries.ts';

/**
 * A ledger page or file as CSV (docs/LEDGER.md "CSV"): RFC 4180, comma-separated, a header row of exactly
 * `chain,seq,kind,payload,prev,hash,createdAt`, then one entry a record; `seq` in plain decimal, `payload`
 * the entry's payload as canonical JSON (RFC 8785), read strictly. An optional byte order mark is skipped;
 * records may end in CRLF (as published) or LF.
 */

const SEQ = /^[1-9][0-9]{0,15}$/;

export function readLedgerCsv(text: string): ReadEntry[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) throw new LedgerReadError('CSV', e.message);
    throw e;
  }
  const [header, ...rows] = records;
  if (!header || header.record.join(',') !== LEDGER_CSV_COLUMNS.join(',')) {
    throw new LedgerReadError('CSV line 1', `the header must be exactly ${LEDGER_CSV_COLUMNS.join(',')}`);
  }
  return rows.map(({ record, info }) => {
    const where = `CSV line ${info.lines}`;
    const [chain, seq, kind, payload, prev, hash, createdAt] = record as [string, string, string, string, string, string, string];
    if (!SEQ.test(seq) || !Number.isSafeInteger(Number(seq))) throw new LedgerReadError(where, `seq ${JSON.stringify(seq)} is not a positive integer in plain decimal`);
    const parsed = strictOrFail(payload, `${where}, payload`);
    let canonical: string | null = null;
    try {
      canonical = jcs(parsed);
    } catch {
      // not representable: entryFrom refuses it below
    }
    if (canonical !== null && canonical !== payload) throw new LedgerReadError(`${where}, payload`, 'not in canonical form (RFC 8785: sorted keys, no whitespace)');
    const fields = { chain, seq: Number(seq), kind, payload: parsed, prev, hash, ...(createdAt === '' ? {} : { createdAt }) };
    return entryFrom(fields, where);
  });
}
