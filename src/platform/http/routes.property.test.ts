import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { seedDemo, DEMO_PASSWORD } from '../cli/demo.ts';
import { startDemoProviders, type RunningDemoProvider } from '../auth/identity/demo.ts';
import '../auth/identity/demo-providers.ts';
import { startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import type { RouteEntry } from './input.ts';

/**
 * Bad input never gives a 5xx: every registered route (platform and every module, found through the route list
 * app.ts records, so a new module's routes are covered without touching this file) gets random and hostile path
 * parameters, query strings and bodies, as a visitor and as signed-in people of every role, on the demo data.
 * Deterministic: a fixed seed, and the audit's own cases as explicit examples.
 */

let t: TestApp;
let providers: RunningDemoProvider[] = [];
const clients: Record<string, TestClient> = {};
const known: Record<string, string[]> = {};
const ROLES = ['anonymous', 'resident1@zhovkva.example', 'moderator@zhovkva.example', 'official@zhovkva.example', 'admin@zhovkva.example', 'admin@hromada.example'];

before(async () => {
  // Every dialect's callbacks are fuzzed too: the demo's local providers (OpenID-less fakes of id.gov.ua, SAML IdPs).
  providers = await startDemoProviders('http://localhost:3000');
  t = await startTestApp({ BASE_URL: 'http://localhost:3000', IDENTITY_PROVIDERS: JSON.stringify(providers.map((p) => p.provider)) });
  await seedDemo(t.built.deps);
  const m = await t.db.selectFrom('municipalities').select(['id', 'slug']).where('slug', '=', 'zhovkva').executeTakeFirstOrThrow();
  const numbers = async (table: 'petitions' | 'reports') =>
    (await t.db.selectFrom(table).select('number').where('municipality_id', '=', m.id).execute()).map((r) => String(r.number));
  const ids = async (table: 'report_categories' | 'departments' | 'jobs' | 'files') =>
    (await t.db.selectFrom(table).select('id').limit(5).execute()).map((r) => String(r.id));
  known.locale = ['uk', 'en', 'sr-Latn'];
  known.municipality = ['zhovkva', 'vlasotince'];
  known.number = [...(await numbers('petitions')), ...(await numbers('reports'))];
  known.id = [...(await ids('departments')), ...(await ids('jobs')), ...(await ids('files'))];
  known.slug = (await t.db.selectFrom('report_categories').select('slug').where('municipality_id', '=', m.id).execute()).map((r) => r.slug);
  known.module = ['petitions', 'reports'];
  known.file = ['discovery.json', 'services.xml', 'requests.json', 'potholes.json', '1.json', 'icon.svg', 'tok.json'];
  known.provider = providers.map((p) => p.provider.id);
  known.token = ['x'.repeat(20)];
  for (const role of ROLES) {
    const c = t.client();
    if (role !== 'anonymous') await c.signIn(role, DEMO_PASSWORD);
    await c.csrf();
    clients[role] = c;
  }
});

after(async () => {
  await t?.close();
  for (const p of providers) await p.stop();
});

/** Hostile values, as typed (they are percent-encoded when sent). */
const HOSTILE = [
  '', '\u0000', 'a\u0000b', '1\u0000', '1e309', '-1', '0', '-0', '99999999999999999999999', '2147483648', '9007199254740993', '1.5',
  'NaN', 'Infinity', '0x10', ' 1 ', '../', '../../etc/passwd', '..%2f', '/\t/evil.example', '/x\r\nSet-Cookie: a=b', '\n', '\r\n',
  '<script>alert(1)</script>', "' OR 1=1 --", '😀', 'ł', 'Ω', '\u202e', '\ufeff', 'x'.repeat(10_000), '%', '{}', '[]', 'true', 'null',
  '2026-13-45', '1,2,3', '-200,-100,300,100', 'a,b,c,d',
];
/** Raw, already-encoded pieces: NUL, invalid UTF-8, a lone '%'. */
const RAW = ['%00', '%FF', '%C3%28', '%E0%A4%A', '%', '%%', '%ZZ', '%0A', '%0D%0A', '%7F', '%C0%AF'];

const enc = (v: { raw: string } | string) => (typeof v === 'string' ? encodeURIComponent(v) : v.raw);
const valueArb = (name: string): fc.Arbitrary<string | { raw: string }> => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...(known[name]?.length ? known[name]! : ['1'])) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW).map((raw) => ({ raw })) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
);

/** The names a route's query schema declares, plus the ones the audit used and one nobody expects. */
const QUERY_NAMES = ['q', 'page', 'token', 'next', 'bbox', 'status', 'category', 'afterSeq', 'limit', 'service_request_id', 'jurisdiction_id', 'signer', 'from', 'to', 'department', 'district', 'unexpected'];
const queryNames = (r: RouteEntry) => [...Object.keys((r.schema?.querystring as { properties?: object } | undefined)?.properties ?? {}), ...QUERY_NAMES];
const FIELD_NAMES = ['title', 'body', 'description', 'email', 'password', 'next', 'token', 'category', 'lat', 'lng', 'address', 'fullName', 'number', 'reason', 'text', 'api_key', 'service_code', 'long', 'slug', 'nameEn'];

/** One request: a route, values for its path, query and body, and who sends it. */
const requestArb = (routes: RouteEntry[]) => fc.constantFrom(...routes).chain((route) => {
  const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const path = fc.tuple(...names.map((n) => (n === 'locale' || n === 'municipality')
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known[n]!) }, { weight: 1, arbitrary: valueArb(n) })
    : valueArb(n)));
  const pairs = (keys: string[]) => fc.array(fc.tuple(fc.constantFrom(...keys), valueArb('')), { maxLength: 6 });
  // A form route's own fields (formRoute puts its schema in the route's config) first, then common ones.
  const formFields = Object.keys((route.config as { form?: { properties?: object } } | undefined)?.form?.properties ?? {});
  const body = route.method === 'GET' ? fc.constant(null) : fc.record({
    json: fc.boolean(), csrf: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    pairs: formFields.length ? fc.oneof(pairs(formFields), pairs(FIELD_NAMES)) : pairs(FIELD_NAMES), nested: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
  });
  return fc.record({ route: fc.constant(route), path, query: pairs(queryNames(route)), body, role: fc.constantFrom(...ROLES) });
});
type Req = ReturnType<typeof requestArb> extends fc.Arbitrary<infer R> ? R : never;

function urlOf(r: Req): string {
  const names = [...r.route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  let url = r.route.url;
  names.forEach((n, i) => (url = url.replace(`:${n}`, enc(r.path[i]!))));
  const query = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`).join('&');
  return query ? `${url}?${query}` : url;
}

async function send(r: Req) {
  const client = clients[r.role]!;
  const url = urlOf(r);
  if (!r.body) return { url, res: await client.get(url) };
  const headers: Record<string, string> = {};
  const token = r.body.csrf ? await client.csrf() : '';
  let payload: string;
  if (r.body.json) {
    const obj: Record<string, unknown> = Object.fromEntries(r.body.pairs.map(([k, v]) => [k, typeof v === 'string' ? v : decodeURIComponentSafe(v.raw)]));
    if (r.body.nested !== undefined) obj.nested = r.body.nested;
    payload = JSON.stringify(obj);
    headers['content-type'] = 'application/json';
    if (token) headers['x-csrf-token'] = token;
  } else {
    payload = [...(token ? [`_csrf=${encodeURIComponent(token)}`] : []), ...r.body.pairs.map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`)].join('&');
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return { url, res: await client.request(r.route.method as 'POST', url, { payload, headers }) };
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** The audit's 27 answers from 8 causes, as explicit cases (GET unless a body is given). */
const AUDIT: { url: string; role?: string; form?: string }[] = [
  { url: '/uk/zhovkva/petitions?q=a&q=b' },
  { url: '/uk/zhovkva/reports?q=a&q=b&status=new&status=fixed' },
  { url: '/api/v1/zhovkva/reports.geojson?bbox=1,2,3,4&bbox=5,6,7,8' },
  { url: '/uk/zhovkva/reports/confirm?token=a&token=b' },
  { url: '/uk/account/verify?token=a&token=b' },
  { url: '/uk/zhovkva/petitions?page=1e309' },
  { url: '/uk/zhovkva/reports?page=1e309' },
  { url: '/api/v1/zhovkva/petitions?page=1e309' },
  { url: '/api/v1/zhovkva/petitions/1/ledger.json?afterSeq=99999999999999999999999' },
  { url: '/api/v1/zhovkva/petitions/1/ledger.csv?afterSeq=99999999999999999999999' },
  { url: '/open311/v2/requests.json?jurisdiction_id=zhovkva&service_request_id=99999999999999999999' },
  { url: '/open311/v2/requests/99999999999999999999.json?jurisdiction_id=zhovkva' },
  { url: '/open311/v2/requests.xml?jurisdiction_id=zhovkva&service_request_id=1&service_request_id=2' },
  { url: '/uk/zhovkva/petitions?q=%00' },
  { url: '/uk/zhovkva/reports?q=%00' },
  { url: '/uk/zhovkva/petitions/1%00' },
  { url: '/uk/zhovkva/reports/staff/categories/potholes%00', role: 'admin@zhovkva.example' },
  { url: '/files/%00' },
  { url: '/uk/account/reset/%00' },
  { url: '/uk/account/sign-in', form: 'email=a%00%40b.c&password=x' },
  { url: '/uk/account/register', form: 'fullName=A%00B&email=a@b.example&password=0123456789ab' },
  { url: '/uk/zhovkva/petitions/new', role: 'resident1@zhovkva.example', form: 'title=Title%00title&body=Body%00' },
  { url: '/uk/account/sign-in?next=/x%0Aevil' },
  { url: '/uk/account/sign-in', form: 'email=admin%40hromada.example&password=hromada-demo-2026&next=%2Fuk%2F%0D%0ASet-Cookie%3A%20a%3Db' },
  { url: '/uk/zhovkva/petitions?page=-1&category=%C3%28' },
  { url: '/uk/admin/jobs/99999999999999999999/retry', role: 'admin@hromada.example', form: '' },
  { url: '/uk/account/notifications?page=1e309', role: 'resident1@zhovkva.example' },
];

test('the audit cases answer 4xx, never 5xx', async () => {
  const failures: string[] = [];
  for (const c of AUDIT) {
    const client = clients[c.role ?? 'anonymous']!;
    const res = c.form === undefined
      ? await client.get(c.url)
      : await client.request('POST', c.url, { payload: `_csrf=${encodeURIComponent(await client.csrf())}${c.form ? `&${c.form}` : ''}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (res.statusCode >= 500) failures.push(`${c.form === undefined ? 'GET' : 'POST'} ${c.url} → ${res.statusCode}`);
  }
  assert.deepEqual(failures, []);
});

test('every route answers random and hostile input without a 5xx', { timeout: 120_000 }, async () => {
  const routes = t.built.routes.filter((r) => ['GET', 'POST'].includes(r.method));
  assert.ok(routes.length > 80, `only ${routes.length} routes found`);
  const failures = new Map<string, string>();
  const statuses = new Map<number, number>();
  const reached = new Map<string, number>();
  await fc.assert(fc.asyncProperty(requestArb(routes), async (r) => {
    const { url, res } = await send(r);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const key = `${r.route.method} ${r.route.url}`;
    reached.set(key, (reached.get(key) ?? 0) + (res.statusCode !== 404 && res.statusCode !== 403 ? 1 : 0));
    if (res.statusCode >= 500 && !failures.has(`${r.route.method} ${r.route.url}`)) failures.set(`${r.route.method} ${r.route.url}`, `${url} → ${res.statusCode} as ${r.role}`);
    // Sign-out (and an account deleted or its password changed) ends a session: sign in again for later runs.
    if (r.role !== 'anonymous' && !clients[r.role]!.cookies.has('hromada_session')) {
      await clients[r.role]!.signIn(r.role, DEMO_PASSWORD).catch(() => undefined);
    }
    return true;
  }), { seed: 20261202, numRuns: Number(process.env.ROUTE_RUNS ?? 1500) });
  if (process.env.ROUTE_STATS) {
    console.log([...statuses].sort((a, b) => a[0] - b[0]));
    console.log('never past 403/404:', routes.map((r) => `${r.method} ${r.url}`).filter((k) => !reached.get(k)));
  }
  assert.deepEqual([...failures.values()], []);
});
