import { extractText, getDocumentProxy } from 'unpdf';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { MunicipalRole } from '../../db/schema.ts';
import { createMunicipality, createUser, TEST_PASSWORD, type TestApp, type TestClient } from '../testing/http.ts';
import type { ResidentWay } from './residence.tables.ts';

/** A municipality offering `ways` (letters and census switched on, as its admin would). */
export async function municipalityWith(db: Database, slug: string, ways: ResidentWay[] = ['identity', 'in_person', 'request', 'letter', 'census']): Promise<Municipality> {
  const m = await createMunicipality(db, { slug });
  return db.updateTable('municipalities').set({ resident_ways: JSON.stringify(ways) }).where('id', '=', m.id).returningAll().executeTakeFirstOrThrow();
}

/** Each page's text of a PDF, read back by PDF.js. */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
  return text;
}

/** The code printed on a page of a letter. */
export function codeOn(page: string): string {
  const code = /\b([2-9A-Z]{4})-([2-9A-Z]{4})\b/.exec(page.replace(/ABCD-2345/g, ''));
  if (!code) throw new Error(`no code on the page: ${page}`);
  return `${code[1]}${code[2]}`;
}

/** Rows of a table, for "nothing changed" checks. */
export async function rowCount(db: Database, table: 'residence_letters' | 'resident_verifications' | 'census_entries' | 'audit_log'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** People by name (`<name>@example.org`, English), each with their roles, signed in. */
export async function signedInPeople(t: TestApp, people: [string, { municipalityId: number; role: MunicipalRole }[]][], unconfirmed: string[] = []) {
  const clients: Record<string, TestClient> = {};
  for (const [name, roles] of people) {
    await createUser(t.db, { email: `${name}@example.org`, password: TEST_PASSWORD, fullName: name, roles, locale: 'en', emailVerified: !unconfirmed.includes(name) });
    clients[name] = await t.signedIn(`${name}@example.org`, 'en');
  }
  return clients;
}
