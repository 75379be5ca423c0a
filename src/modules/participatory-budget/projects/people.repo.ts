import type { Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

type Db = Database | Transaction<DB>;
type ProjectRef = { municipality_id: number; id: number };

/** A project's co-authors with their names, in the order they were added (deleted accounts with no name). */
export async function listCoauthors(db: Db, projectId: number) {
  return db.selectFrom('pb_project_authors as pa').innerJoin('users as u', 'u.id', 'pa.user_id')
    .select(['u.id', 'u.full_name', 'u.email', 'u.deleted_at']).where('pa.project_id', '=', projectId).orderBy('pa.created_at').orderBy('u.id').execute();
}

/** Whether the user is one of the project's co-authors. */
export async function isCoauthor(db: Db, projectId: number, userId: number): Promise<boolean> {
  return (await db.selectFrom('pb_project_authors').select('user_id').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

/** Names a co-author; false when they were one already. */
export async function addCoauthorRow(db: Db, p: ProjectRef, userId: number): Promise<boolean> {
  const r = await db.insertInto('pb_project_authors').values({ municipality_id: p.municipality_id, project_id: p.id, user_id: userId })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing()).returning('user_id').executeTakeFirst();
  return r !== undefined;
}

export async function removeCoauthorRow(db: Db, projectId: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('pb_project_authors').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function countCoauthors(db: Db, projectId: number): Promise<number> {
  const row = await db.selectFrom('pb_project_authors').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The live account of a confirmed e-mail address (the only kind that may be named a co-author). */
export async function verifiedAccount(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'full_name']).where('email', '=', email.trim().toLowerCase())
    .where('email_verified_at', 'is not', null).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Follows a project; false when the user followed it already. */
export async function addFollowerRow(db: Db, p: ProjectRef, userId: number): Promise<boolean> {
  const r = await db.insertInto('pb_followers').values({ municipality_id: p.municipality_id, project_id: p.id, user_id: userId })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing()).returning('user_id').executeTakeFirst();
  return r !== undefined;
}

export async function removeFollowerRow(db: Db, projectId: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('pb_followers').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function isFollower(db: Db, projectId: number, userId: number): Promise<boolean> {
  return (await db.selectFrom('pb_followers').select('user_id').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

/** A project's photos and documents of one stage, in the order they were added, with what the files are. */
export async function listProjectFiles(db: Db, projectId: number, stage: 'proposal' | 'implementation' = 'proposal') {
  return db.selectFrom('pb_project_files as pf').innerJoin('files as f', 'f.id', 'pf.file_id')
    .select(['pf.id', 'pf.file_id', 'pf.kind', 'pf.caption', 'f.original_name', 'f.mime', 'f.size'])
    .where('pf.project_id', '=', projectId).where('pf.stage', '=', stage).orderBy('pf.id').execute();
}

export async function addProjectFileRow(db: Db, p: ProjectRef, fileId: string, kind: 'photo' | 'document', caption: string): Promise<void> {
  await db.insertInto('pb_project_files').values({ municipality_id: p.municipality_id, project_id: p.id, file_id: fileId, kind, caption }).execute();
}

/** Removes a proposal file of the project (not of another's, nor of the implementation); returns the file's id. */
export async function removeProjectFileRow(db: Db, projectId: number, rowId: number): Promise<string | undefined> {
  const r = await db.deleteFrom('pb_project_files').where('id', '=', rowId).where('project_id', '=', projectId).where('stage', '=', 'proposal')
    .returning('file_id').executeTakeFirst();
  return r?.file_id;
}
