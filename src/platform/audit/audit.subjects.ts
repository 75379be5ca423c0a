import type { Database } from '../../db/database.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { allModules } from '../modules-registry.ts';
import { idNumbers, type AuditSubject } from './audit.subject.ts';

export type { AuditSubject } from './audit.subject.ts';
import type { listAudit } from './audit.ts';

type AuditRowBase = Awaited<ReturnType<typeof listAudit>>[number];
/** An audit row with what the log shows of its subject. */
export type AuditRow = AuditRowBase & { subject_href: string | null; subject_name: string | LocalizedText | null };

// The platform's own subjects; modules add theirs in their manifest.
const PLATFORM: Record<string, AuditSubject> = {
  municipality: {
    href: (slug) => (slug ? `/${slug}/` : null),
    names: async (db, _m, ids) => new Map((await db.selectFrom('municipalities').select(['id', 'names']).where('id', 'in', idNumbers(ids)).execute())
      .map((r) => [String(r.id), r.names])),
  },
  department: {
    names: async (db, _m, ids) => new Map((await db.selectFrom('departments').select(['id', 'names']).where('id', 'in', idNumbers(ids)).execute())
      .map((r) => [String(r.id), r.names])),
  },
  user: {
    names: async (db, _m, ids) => new Map((await db.selectFrom('users').select(['id', 'full_name']).where('id', 'in', idNumbers(ids)).execute())
      .map((r) => [String(r.id), r.full_name])),
  },
  district: {
    names: async (db, m, ids) => (m === null ? new Map() : new Map((await db.selectFrom('districts').select(['slug', 'names'])
      .where('municipality_id', '=', m).where('slug', 'in', ids).execute()).map((r) => [r.slug, r.names]))),
  },
};

function subjects(): Record<string, AuditSubject> {
  return Object.assign({}, PLATFORM, ...allModules().map((mod) => mod.auditSubjects ?? {}));
}

/** Adds each row's subject link and name, one query per kind of subject and municipality on the page. */
export async function describeAudit(db: Database, rows: AuditRowBase[]): Promise<AuditRow[]> {
  const known = subjects();
  const groups = new Map<string, { type: string; municipalityId: number | null; ids: Set<string> }>();
  for (const r of rows) {
    if (r.subject_id === null || !known[r.subject_type]?.names) continue;
    const key = `${r.subject_type}|${r.municipality_id ?? ''}`;
    const g = groups.get(key) ?? { type: r.subject_type, municipalityId: r.municipality_id, ids: new Set<string>() };
    g.ids.add(r.subject_id);
    groups.set(key, g);
  }
  const names = new Map<string, string | LocalizedText>();
  for (const [key, g] of groups) {
    for (const [id, name] of await known[g.type]!.names!(db, g.municipalityId, [...g.ids])) names.set(`${key}|${id}`, name);
  }
  return rows.map((r) => ({
    ...r,
    subject_href: r.subject_id === null ? null : known[r.subject_type]?.href?.(r.municipality_slug, r.subject_id) ?? null,
    subject_name: r.subject_id === null ? null : names.get(`${r.subject_type}|${r.municipality_id ?? ''}|${r.subject_id}`) ?? null,
  }));
}

