import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { FileTable } from '../../db/schema.ts';

export type FileRow = Selectable<FileTable>;

/** Records a stored file. */
export async function insertFile(db: Database, row: Insertable<FileTable>): Promise<void> {
  await db.insertInto('files').values(row).execute();
}

/** A file's record by id, or undefined. */
export async function findFile(db: Database, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files')
    .select(['id', 'municipality_id', 'owner_id', 'mime', 'size', 'sha256', 'original_name', 'storage_key', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Forgets a stored file's record (what pointed at it is cleared by its foreign keys); the caller removes the bytes. */
export async function deleteFileRow(db: Database, id: string): Promise<string | undefined> {
  const row = await db.deleteFrom('files').where('id', '=', id).returning('storage_key').executeTakeFirst();
  return row?.storage_key;
}
