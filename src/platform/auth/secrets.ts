import type { Database } from '../../db/database.ts';
import { randomToken } from './tokens.ts';

/** A secret shared by every web process: made once, kept in the database. */
export async function sharedSecret(db: Database, name: string): Promise<string> {
  await db.insertInto('secrets').values({ name, value: randomToken(48) }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
