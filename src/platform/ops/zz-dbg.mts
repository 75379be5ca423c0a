import { startTestApp, createUser } from '../testing/http.ts';
import { insertNotification } from '../notify/notify.repo.ts';
import { audit } from '../audit/audit.ts';
import { enqueue } from '../jobs/queue.ts';
const t = await startTestApp();
const { id } = await createUser(t.db, { email: 'o@example.org', password: 'correct horse battery', platformRole: 'platform_admin', fullName: 'Op' });
await insertNotification(t.db, { userId: id, municipalityId: null, kind: 'account.security', params: {}, link: null });
await audit(t.db, { municipalityId: null, actorId: id, action: 'x.y', subjectType: 's', subjectId: 1, before: { a: 1 }, after: { a: 2 } });
await enqueue(t.db, 'nope', {}, { maxAttempts: 1 }); await t.built.worker.tick();
await enqueue(t.db, 'mail.send', { to: 'a@b.c', subject: 'Hi', text: 'Go to http://localhost:3000/uk/x?y=1 now.' }); await t.built.worker.tick();
for (const loc of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en']) {
  const c = t.client(loc);
  await c.signIn('o@example.org', 'correct horse battery');
  for (const p of ['/account/notifications', '/account/notifications/settings', '/admin/jobs', '/admin/jobs?state=queued', '/admin/audit', '/dev/outbox']) {
    const r = await c.get(`/${loc}${p}`);
    const main = /<main[\s\S]*<\/main>/.exec(r.body)?.[0] ?? '';
    const text = main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const missing = text.match(/\b(ops|notify|platform)\.[a-zA-Z.]+/g)?.filter((k) => !['x.y'].includes(k));
    console.log(r.statusCode, loc, p, missing ?? '');
    if (loc === 'uk') console.log('   ', text.slice(0, 700));
  }
}
await t.close();
