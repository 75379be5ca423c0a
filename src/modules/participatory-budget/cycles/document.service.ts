import type { Municipality } from '../../../db/schema.ts';
import { deleteFileRow } from '../../../platform/files/files.repo.ts';
import { saveUploadOnce, type UploadRefusal } from '../../../platform/files/uploads.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { OnceKey } from '../../../platform/idempotency/once.ts';
import { auditCycle, type Actor } from './cycle.service.ts';
import { deleteDocumentRow, insertDocument, lockCycle } from './cycles.repo.ts';

export type DocumentOutcome = UploadRefusal | { kind: 'saved'; result: 'added' | 'gone' };

/** Adds a rules document (a PDF, checked by content) to a cycle, once per form; audited. */
export async function addDocument(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, title: string,
  upload: { filename: string; data: Buffer }, once: OnceKey | null): Promise<DocumentOutcome> {
  return saveUploadOnce(deps, once, 'pb.document', { municipalityId: m.id, ownerId: actor.id, filename: upload.filename, data: upload.data, allowed: 'document' },
    async (trx, file) => {
      const c = await lockCycle(trx, m.id, number);
      if (!c) return 'gone' as const;
      const id = await insertDocument(trx, c, file.id, title);
      await auditCycle(trx, actor, c, 'pb.document.add', undefined, { id, title, file: file.id });
      return 'added' as const;
    }, (r) => r === 'added');
}

/** Deletes a rules document, its file's row and then its bytes. */
export async function deleteDocument(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, id: number): Promise<'deleted' | 'gone'> {
  const key = await deps.db.transaction().execute(async (trx) => {
    const c = await lockCycle(trx, m.id, number);
    const doc = c && (await deleteDocumentRow(trx, c.id, id));
    if (!c || !doc) return null;
    await auditCycle(trx, actor, c, 'pb.document.delete', { id, title: doc.title, file: doc.file_id }, undefined);
    return (await deleteFileRow(trx, doc.file_id)) ?? '';
  });
  if (key === null) return 'gone';
  if (key) await deps.storage.delete(key).catch(() => {});
  return 'deleted';
}
