import { sql } from 'kysely';
import type { Municipality } from '../../db/schema.ts';
import type { ReportQuestion } from '../../db/schema.reports.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import type { DemoPeople } from '../../platform/module.ts';
import { REPORT_DEMO_TEXT } from './report.demo-content.ts';
import { addSupporter, findReport, insertCategory, setQuestions } from './report.repo.ts';
import { createReport } from './report.service.ts';
import { answerFix, closeReport, moveByStaff, type Move } from './report.workflow.ts';

const DAY = 86_400_000;
const LOCALES = ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en'];
const CATEGORIES = ['potholes', 'lamps', 'waste', 'trees', 'benches'];

/** A demo text in every language that has it (categories and questions are named in all five). */
const everyLanguage = (key: string) => Object.fromEntries(LOCALES.map((l) => [l, REPORT_DEMO_TEXT[l]![key]]).filter(([, v]) => v)) as Record<string, string>;

interface Plan { text: number; category: string; north: number; east: number; daysAgo: number; moves: Move[]; then?: 'reopen' | 'confirm' | 'duplicate'; supporters?: number }
const PLANS: Plan[] = [
  { text: 1, category: 'potholes', north: 120, east: 40, daysAgo: 20, moves: ['acknowledge', 'start'], supporters: 2 },
  { text: 2, category: 'lamps', north: -260, east: 310, daysAgo: 12, moves: ['acknowledge', 'fix'], then: 'reopen' },
  { text: 3, category: 'waste', north: 540, east: -420, daysAgo: 40, moves: ['acknowledge', 'schedule', 'fix'], then: 'confirm' },
  { text: 4, category: 'trees', north: -80, east: -150, daysAgo: 3, moves: [] },
  { text: 5, category: 'benches', north: 330, east: 620, daysAgo: 60, moves: ['acknowledge', 'fix'] },
  { text: 6, category: 'potholes', north: 150, east: 55, daysAgo: 5, moves: [], then: 'duplicate' },
];

const asResident = (id: number, m: Municipality): CurrentUser => ({
  id, email: null, fullName: '', locale: m.default_locale, platformRole: null, emailVerified: true, identityVerified: true,
  residenceMunicipalityId: m.id, roles: {}, residentOf: [m.id], sessionId: 'demo',
});

/** Demo reports: five categories routed to the communal department, reports at every stage of their life. */
export async function reportDemo(deps: Deps, m: Municipality, people: DemoPeople): Promise<void> {
  const db = deps.db;
  const text = (key: string) => REPORT_DEMO_TEXT[m.default_locale]?.[key] ?? REPORT_DEMO_TEXT.uk![key]!;
  const communal = await db.selectFrom('departments').select('id').where('municipality_id', '=', m.id).where('slug', '=', 'communal').executeTakeFirst();
  for (const slug of CATEGORIES) {
    const id = await insertCategory(db, m.id, { slug, names: everyLanguage(`c.${slug}`), department_id: communal?.id ?? null, ack_hours: 48, fix_days: slug === 'trees' ? 3 : 10 });
    if (id && slug === 'potholes') {
      const depth: ReportQuestion = { key: 'depth', kind: 'number', required: false, labels: everyLanguage('q.depth') };
      await setQuestions(db, id, [depth]);
    }
  }
  const official = { id: people.officials[0] ?? people.admin, ip: null };
  const reporters = people.residents;
  const numbers: number[] = [];
  for (const [i, p] of PLANS.entries()) {
    const reporter = reporters[i % reporters.length]!;
    const at = { lat: m.center_lat + p.north / 111_320, lng: m.center_lng + p.east / (111_320 * Math.cos((m.center_lat * Math.PI) / 180)) };
    const r = await createReport(deps, asResident(reporter, m), m, {
      category: p.category, title: text(`r${p.text}`), description: text(`d${p.text}`), at, address: null, showName: i % 2 === 0,
      answers: p.category === 'potholes' ? { depth: '15' } : {},
    });
    if (r.kind !== 'created') throw new Error(`demo report: ${r.kind}`);
    numbers.push(r.number);
    const load = async () => (await findReport(db, m.id, r.number))!;
    for (const [k, move] of p.moves.entries()) await moveByStaff(deps, official, m, await load(), move, k === 0 ? text('u.ack') : move === 'fix' ? text('u.fix') : null);
    if (p.then === 'reopen') await answerFix(deps, asResident(reporter, m), m, await load(), false, text('u.reopen'));
    if (p.then === 'confirm') await answerFix(deps, asResident(reporter, m), m, await load(), true, null);
    if (p.then === 'duplicate') await closeReport(deps, official, m, await load(), 'duplicate', numbers[0]!, text('u.dup'));
    for (const s of reporters.filter((x) => x !== reporter).slice(0, p.supporters ?? 0)) await addSupporter(db, await load(), s);
    // Spread the report's life over the days since it was made, in the order it happened.
    const made = new Date(Date.now() - p.daysAgo * DAY);
    const rid = (await load()).id;
    await sql`UPDATE report_events e SET created_at = ${made}::timestamptz + (e.id - f.first) * (now() - ${made}::timestamptz) / greatest(1, f.n)
      FROM (SELECT min(id) AS first, count(*) AS n FROM report_events WHERE report_id = ${rid}) f WHERE e.report_id = ${rid}`.execute(db);
    await sql`UPDATE reports r SET created_at = ${made},
      acknowledged_at = (SELECT min(created_at) FROM report_events WHERE report_id = r.id AND kind <> 'created'),
      fixed_at = CASE WHEN r.status = 'fixed' THEN (SELECT max(created_at) FROM report_events WHERE report_id = r.id AND kind = 'fix') END,
      closed_at = CASE WHEN r.status = 'closed' THEN (SELECT max(created_at) FROM report_events WHERE report_id = r.id) END
      WHERE r.id = ${rid}`.execute(db);
  }
}
