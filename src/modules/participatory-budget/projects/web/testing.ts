import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Cycle } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle } from '../../testing.ts';

/** What the HTTP tests of a project's editors (co-authors, files) start from. */
export interface EditorsApp {
  t: TestApp;
  town: Municipality;
  /** A category of a cycle in submission, and one of a cycle in voting (projects there may no longer be edited). */
  open: Category;
  voting: Category;
  /** Account ids and signed-in clients by name: author, coauthor, neighbour, admin (of the town), foreign (an admin of another town); `guest` is signed out. */
  ids: Record<string, number>;
  c: Record<string, TestClient>;
}

/** The app with Zhovkva (and Sombor), its two cycles and the people; `more` residents of Zhovkva besides (ids only). */
export async function editorsApp(more: string[] = []): Promise<EditorsApp> {
  const t = await startTestApp();
  const town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  const { categories: [open] } = await seedCycle(t.db, town, { phase: 'submission' }) as { cycle: Cycle; categories: [Category] };
  const { categories: [voting] } = await seedCycle(t.db, town, { phase: 'voting' }) as { cycle: Cycle; categories: [Category] };
  const ids: Record<string, number> = {};
  for (const who of ['author', 'coauthor', 'neighbour', 'admin', ...more]) ids[who] = (await resident(t.db, `${who}@example.org`, town, who === 'admin' ? { role: 'admin' } : {})).id;
  ids.foreign = (await resident(t.db, 'foreign@example.org', other, { role: 'admin' })).id;
  const c: Record<string, TestClient> = {};
  for (const who of ['author', 'coauthor', 'neighbour', 'admin', 'foreign']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
  return { t, town, open, voting, ids, c };
}
