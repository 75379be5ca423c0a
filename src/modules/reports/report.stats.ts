import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ReportStatus } from '../../db/schema.reports.ts';

/** One row of the public performance figures: the whole municipality (department null) or one department. */
export interface Performance {
  departmentId: number | null;
  departmentNames: Record<string, string> | null;
  total: number;
  open: number;
  fixed: number;
  closed: number;
  /** Median hours from report to acknowledgement, of those acknowledged. */
  medianAckHours: number | null;
  /** Share acknowledged within the category's hours, of those acknowledged or overdue for it. */
  ackOnTime: number | null;
  /** Median days from report to fixed, of those fixed. */
  medianFixDays: number | null;
  fixOnTime: number | null;
}

/**
 * Service levels of a municipality's reports since `since`, for the municipality and per department: how
 * fast reports were acknowledged and fixed, and what share met the category's targets.
 */
export async function performance(db: Database, municipalityId: number, since: Date): Promise<{ all: Performance; departments: Performance[] }> {
  const { rows } = await sql<Record<string, unknown>>`
    WITH r AS (
      SELECT r.department_id, r.status, r.created_at, r.acknowledged_at, r.fixed_at,
        r.created_at + c.ack_hours * interval '1 hour' AS ack_due, r.created_at + c.fix_days * interval '1 day' AS fix_due
      FROM reports r JOIN report_categories c ON c.id = r.category_id
      WHERE r.municipality_id = ${municipalityId} AND r.created_at >= ${since})
    SELECT department_id, grouping(department_id)::int AS is_total, count(*)::int AS total,
      count(*) FILTER (WHERE status NOT IN ('fixed', 'closed'))::int AS open,
      count(*) FILTER (WHERE status = 'fixed')::int AS fixed,
      count(*) FILTER (WHERE status = 'closed')::int AS closed,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at) / 3600) AS median_ack_hours,
      avg(CASE WHEN acknowledged_at IS NOT NULL THEN (acknowledged_at <= ack_due)::int WHEN ack_due < now() THEN 0 END) AS ack_on_time,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fixed_at - created_at) / 86400) AS median_fix_days,
      avg(CASE WHEN fixed_at IS NOT NULL THEN (fixed_at <= fix_due)::int WHEN fix_due < now() AND status <> 'closed' THEN 0 END) AS fix_on_time
    FROM r GROUP BY GROUPING SETS ((), (department_id))`.execute(db);
  const names = new Map((await db.selectFrom('departments').select(['id', 'names']).where('municipality_id', '=', municipalityId).execute()).map((d) => [d.id, d.names as Record<string, string>]));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const rowsOut = rows.map((r): Performance & { isTotal: boolean } => ({
    isTotal: Number(r.is_total) === 1,
    departmentId: num(r.department_id), departmentNames: r.department_id === null ? null : names.get(Number(r.department_id)) ?? null,
    total: Number(r.total), open: Number(r.open), fixed: Number(r.fixed), closed: Number(r.closed),
    medianAckHours: num(r.median_ack_hours), ackOnTime: num(r.ack_on_time), medianFixDays: num(r.median_fix_days), fixOnTime: num(r.fix_on_time),
  }));
  const empty: Performance = { departmentId: null, departmentNames: null, total: 0, open: 0, fixed: 0, closed: 0, medianAckHours: null, ackOnTime: null, medianFixDays: null, fixOnTime: null };
  const strip = ({ isTotal: _, ...p }: Performance & { isTotal: boolean }): Performance => p;
  return { all: strip(rowsOut.find((r) => r.isTotal) ?? { ...empty, isTotal: true }), departments: rowsOut.filter((r) => !r.isTotal).map(strip) };
}

/** Reports made and fixed per month since `since` (months in UTC), oldest first, months without any included. */
export async function byMonth(db: Database, municipalityId: number, since: Date) {
  const month = (col: 'created_at' | 'fixed_at') => sql<{ month: string; n: number }>`
    SELECT to_char(date_trunc('month', ${sql.ref(col)}), 'YYYY-MM') AS month, count(*)::int AS n FROM reports
    WHERE municipality_id = ${municipalityId} AND ${sql.ref(col)} >= ${since} GROUP BY 1`.execute(db);
  const [made, fixed] = await Promise.all([month('created_at'), month('fixed_at')]);
  const count = (rows: { month: string; n: number }[]) => new Map(rows.map((r) => [r.month, Number(r.n)]));
  const m = count(made.rows);
  const f = count(fixed.rows);
  const out: { month: string; made: number; fixed: number }[] = [];
  const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), 1));
  for (const end = new Date(); d <= end; d.setUTCMonth(d.getUTCMonth() + 1)) {
    const key = d.toISOString().slice(0, 7);
    out.push({ month: key, made: m.get(key) ?? 0, fixed: f.get(key) ?? 0 });
  }
  return out;
}

export const STATUSES: ReportStatus[] = ['new', 'acknowledged', 'in_progress', 'scheduled', 'fixed', 'closed'];
