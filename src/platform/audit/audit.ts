import type { Database } from '../../db/database.ts';

export interface AuditEntry {
  municipalityId: number | null;
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: string | number | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Records an official's write; call inside the write's transaction so the two commit together. */
export async function audit(db: Database, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    municipality_id: e.municipalityId,
    actor_id: e.actorId,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId === null ? null : String(e.subjectId),
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    ip: e.ip ?? null,
  }).execute();
}

/** The audit trail of a municipality (or of the platform when null), newest first. */
export async function listAudit(db: Database, municipalityId: number | null, limit: number, offset: number) {
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id')
    .leftJoin('municipalities as m', 'm.id', 'audit_log.municipality_id')
    .select(['audit_log.id', 'audit_log.municipality_id', 'audit_log.action', 'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.before',
      'audit_log.after', 'audit_log.ip', 'audit_log.created_at', 'users.full_name as actor_name', 'm.slug as municipality_slug', 'm.default_locale as content_locale']);
  q = municipalityId === null ? q : q.where('audit_log.municipality_id', '=', municipalityId);
  return q.orderBy('audit_log.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countAudit(db: Database, municipalityId: number | null): Promise<number> {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (municipalityId !== null) q = q.where('municipality_id', '=', municipalityId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}
