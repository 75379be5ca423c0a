import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { findUserByEmail, insertUser, updateUser } from '../auth/auth.repo.ts';
import { hashPassword } from '../auth/passwords.ts';
import { setPlatformRole } from '../tenancy/municipality.repo.ts';

/** `hromada create-admin <email> <full name>`: makes (or promotes) a platform administrator. */
export async function createAdmin(args: string[]): Promise<void> {
  const [email, ...nameParts] = args;
  const fullName = nameParts.join(' ').trim();
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || fullName.length < 2) {
    console.error('Usage: hromada create-admin <email> <full name>');
    process.exitCode = 1;
    return;
  }
  let password = process.env.HROMADA_ADMIN_PASSWORD ?? '';
  if (!password) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question('Password (at least 10 characters): ');
    rl.close();
  }
  if (password.length < 10) {
    console.error('The password must have at least 10 characters.');
    process.exitCode = 1;
    return;
  }
  const handle = await openDatabase(loadConfig());
  try {
    await migrateToLatest(handle.db);
    const hash = await hashPassword(password);
    const existing = await findUserByEmail(handle.db, email);
    const id = existing
      ? (await updateUser(handle.db, existing.id, { password_hash: hash, full_name: fullName }), existing.id)
      : (await insertUser(handle.db, { email, passwordHash: hash, fullName, locale: 'uk', emailVerified: true }))!.id;
    await setPlatformRole(handle.db, id, 'platform_admin');
    console.log(`${email} is a platform administrator.`);
  } finally {
    await handle.close();
  }
}
