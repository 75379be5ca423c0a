import type { Database } from '../../db/database.ts';
import type { LocalizedText } from '../../db/schema.ts';

// Kept apart from audit.subjects.ts, which reads the module list: modules import this file from their manifests.

/** How the audit log names and links one kind of subject. */
export interface AuditSubject {
  /** The subject's page, after the locale (`/zhovkva/reports/12`); `slug` is its municipality's, null on platform rows. */
  href?(slug: string | null, id: string): string | null;
  /** Readable names of the subjects with these ids in one municipality (titles as typed, or names per locale). */
  names?(db: Database, municipalityId: number | null, ids: string[]): Promise<Map<string, string | LocalizedText>>;
}

/** Ids that are row numbers; never an empty list, which SQL's IN cannot take. */
export const idNumbers = (ids: string[]) => {
  const n = ids.map(Number).filter((x) => Number.isSafeInteger(x) && x > 0);
  return n.length ? n : [0];
};

/**
 * A module's subject that is numbered per municipality and has a title (a petition, a report): linked to
 * `/<slug>/<segment>/<number>`, named by its title. `table` must have municipality_id, number and title.
 */
export function numberedSubject(table: 'petitions' | 'reports' | 'pb_cycles' | 'pb_projects', segment: string): AuditSubject {
  return {
    href: (slug, id) => (slug ? `/${slug}/${segment}/${id}` : null),
    names: async (db, m, ids) => (m === null ? new Map() : new Map((await db.selectFrom(table as 'petitions').select(['number', 'title'])
      .where('municipality_id', '=', m).where('number', 'in', idNumbers(ids)).execute()).map((r) => [String(r.number), r.title]))),
  };
}
