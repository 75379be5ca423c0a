import { startDemoProviders } from '../auth/identity/demo.ts';
import '../auth/identity/demo-providers.ts';
import fs from 'node:fs';
import path from 'node:path';
import { findUserByEmail, insertUser } from '../auth/auth.repo.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Deps } from '../http/deps.ts';
import { allModules } from '../modules-registry.ts';
import { notify } from '../notify/notify.service.ts';
import { addDepartment, addStaff, createMunicipality, updateMunicipality, verifyResidentByEmail } from '../tenancy/admin.service.ts';
import { ensureAssociation, findMunicipalityBySlug, listDepartments, listMunicipalities, setPlatformRole } from '../tenancy/municipality.repo.ts';
import { setIdentity } from '../tenancy/staff.repo.ts';
import { residenceDemo } from '../residence/residence.demo.ts';
import { ASSOCIATION_NAMES, DEMO_MUNICIPALITIES } from './demo-data.ts';
import { seedLettersDemo } from './demo-letters.ts';
import type { ServeOptions } from '../../main.ts';

export const DEMO_PASSWORD = 'hromada-demo-2026';
export const DEMO_ADMIN_EMAIL = 'admin@hromada.example';

export interface DemoAccount { email: string; name: string; what: string }

/** Fills an empty platform with an association, four municipalities, their staff, residents and module content. */
export async function seedDemo(deps: Deps): Promise<DemoAccount[]> {
  if ((await listMunicipalities(deps.db)).length > 0) throw new Error('The database already has municipalities: the demo needs an empty one.');
  const hash = await hashPassword(DEMO_PASSWORD);
  const accounts: DemoAccount[] = [];
  const account = async (email: string, name: string, locale: string, what: string) => {
    const row = await insertUser(deps.db, { email, passwordHash: hash, fullName: name, locale, emailVerified: true });
    accounts.push({ email, name, what });
    return row?.id ?? (await findUserByEmail(deps.db, email))!.id;
  };
  await ensureAssociation(deps.db, ASSOCIATION_NAMES as Record<string, string>);
  const adminId = await account(DEMO_ADMIN_EMAIL, 'Platform Administrator', 'en', 'platform administrator');
  await setPlatformRole(deps.db, adminId, 'platform_admin');
  const actor = { id: adminId, ip: null };
  const modules = allModules().map((m) => m.id);

  for (const d of DEMO_MUNICIPALITIES) {
    const created = await createMunicipality(deps, actor, {
      nameUk: d.names.uk, nameSrCyrl: d.names['sr-Cyrl'], nameSrLatn: d.names['sr-Latn'], namePl: d.names.pl, nameEn: d.names.en!,
      slug: d.slug, officialCode: d.officialCode, population: d.population, centerLat: d.lat, centerLng: d.lng, zoom: 13,
      defaultLocale: d.locale, currency: d.currency, timeZone: d.timeZone,
    });
    if (created.kind !== 'created') throw new Error(`demo: ${d.slug} ${created.kind}`);
    const fresh = (await findMunicipalityBySlug(deps.db, created.slug))!;
    const m = (await updateMunicipality(deps, actor, fresh, {
      nameUk: d.names.uk, nameSrCyrl: d.names['sr-Cyrl'], nameSrLatn: d.names['sr-Latn'], namePl: d.names.pl, nameEn: d.names.en!,
      slug: d.slug, officialCode: d.officialCode, population: d.population, centerLat: d.lat, centerLng: d.lng, zoom: 13,
      defaultLocale: d.locale, currency: d.currency, timeZone: d.timeZone,
      // Whom residents are told to ask (a reserved .example domain: the demo mails no one).
      contactEmail: `office@${d.slug}.example`,
    }, modules) as { municipality: typeof fresh }).municipality;
    for (const dep of d.departments) {
      await addDepartment(deps, actor, m, { slug: dep.slug, nameUk: dep.names.uk, nameSrCyrl: dep.names['sr-Cyrl'], nameSrLatn: dep.names['sr-Latn'], namePl: dep.names.pl, nameEn: dep.names.en!, email: dep.email });
    }
    const depts = await listDepartments(deps.db, m.id);
    const people = { residents: [] as number[], officials: [] as number[], moderators: [] as number[], admin: 0 };
    const seen: Record<string, number> = {};
    for (const p of d.people) {
      const n = (seen[p.role] = (seen[p.role] ?? 0) + 1);
      const email = `${p.role}${n > 1 ? n : ''}@${d.slug}.example`;
      const id = await account(email, p.name, d.locale, `${p.role}, ${d.slug}`);
      const departmentId = p.department ? depts.find((x) => x.slug === p.department)?.id : undefined;
      await addStaff(deps, actor, m, { email, role: p.role, ...(departmentId ? { departmentId } : {}) });
      if (p.role === 'admin') people.admin = id;
      else if (p.role !== 'registrar') (p.role === 'official' ? people.officials : people.moderators).push(id);
    }
    for (const [i, name] of d.residents.entries()) {
      const email = `resident${i + 1}@${d.slug}.example`;
      const id = await account(email, name, d.locale, `resident, ${d.slug}${i === 0 ? ' (identity-verified)' : i === 1 ? ' (confirmed by an official)' : i === d.residents.length - 1 ? ' (asked to be confirmed: in the registrars’ queue)' : ''}`);
      if (i === 0) await setIdentity(deps.db, id, 'demo-id', `demo-${d.slug}-${i}`, m.id);
      if (i === 1) await verifyResidentByEmail(deps, { id: people.officials[0] ?? adminId, ip: null }, m, email);
      await notify(deps.db, { userId: id, municipalityId: m.id, kind: 'account.security', params: { name }, link: `/${d.slug}/` });
      people.residents.push(id);
    }
    // The last resident is confirmed by no one yet: their request waits in the registrars' queue.
    await residenceDemo(deps, adminId, m, people.residents[people.residents.length - 1]!);
    if (d === DEMO_MUNICIPALITIES[0] && people.residents[2]) await seedLettersDemo(deps, m, people.admin || adminId, { userId: people.residents[2], name: d.residents[2]! });
    for (const mod of allModules()) await mod.demo?.(deps, m, people);
  }
  return accounts;
}

/** `hromada demo`: a fresh demo database (./data-demo unless DATA_DIR or DATABASE_URL says otherwise), then serve it. */
export async function runDemo(serve: (opts: ServeOptions) => Promise<void>): Promise<void> {
  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    env.DATA_DIR = path.resolve(env.DATA_DIR || './data-demo');
    fs.rmSync(path.join(env.DATA_DIR, 'db'), { recursive: true, force: true });
  }
  let accounts: DemoAccount[] = [];
  // Demo identity providers of every dialect, on local ports, clearly labelled; production refuses them.
  const appBaseUrl = (env.BASE_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');
  const providers = await startDemoProviders(appBaseUrl);
  const configured = env.IDENTITY_PROVIDERS ? JSON.parse(env.IDENTITY_PROVIDERS) as unknown[] : [];
  env.IDENTITY_PROVIDERS = JSON.stringify([...configured, ...providers.map((p) => p.provider)]);
  await serve({
    web: true,
    worker: true,
    env,
    seed: async (deps) => {
      accounts = await seedDemo(deps);
    },
    afterStart: async (baseUrl) => {
      const width = Math.max(...accounts.map((a) => a.email.length));
      console.log(`\n  Hromada demo is running at ${baseUrl}/uk/\n  Every demo account's password: ${DEMO_PASSWORD}\n`);
      for (const a of accounts) console.log(`  ${a.email.padEnd(width)}  ${a.name} — ${a.what}`);
      // The outbox holds every reset link, so it is shown only to a signed-in platform administrator.
      console.log(`\n  E-mails sent by the platform are printed here and appear at ${baseUrl}/en/dev/outbox`);
      console.log(`  once you are signed in as ${DEMO_ADMIN_EMAIL} (the platform administrator).\n`);
      if (providers.length) console.log(`  Demo identity providers (sign in as a demo resident): ${providers.map((p) => `${p.provider.name} (demo)`).join(', ')}\n`);
    },
  });
}
