import type { Municipality } from '../../db/schema.ts';
import type { Deps } from '../http/deps.ts';
import { importCensusCsv } from '../residence/census.service.ts';
import { insertLetter } from '../residence/letters.repo.ts';

/** The demo's census numbers (made up, documented in OPERATIONS.md): any account may confirm itself with one of them. */
export const DEMO_CENSUS = [
  ['ДЕМО 000001', 'вул. Львівська, 1, Жовква'],
  ['ДЕМО 000002', 'вул. Вічева, 2, Жовква'],
  ['ДЕМО 000003', 'пл. Вічева, 3, Жовква'],
] as const;

/** Letters and the census way in the first demo municipality (residenceDemo has switched every way on): a census list by document number and one letter waiting to be printed. */
export async function seedLettersDemo(deps: Deps, m: Municipality, admin: number, waiting: { userId: number; name: string }): Promise<void> {
  const csv = `document,address\n${DEMO_CENSUS.map(([doc, address]) => `${doc},"${address}"`).join('\n')}\n`;
  await importCensusCsv(deps, { id: admin, ip: null }, m, Buffer.from(csv));
  await insertLetter(deps.db, m.id, waiting.userId, waiting.name, 'вул. Городоцька, 12, кв. 4\n80300 Жовква');
}
