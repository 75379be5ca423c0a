import type { LightMyRequestResponse } from 'fastify';
import fs from 'node:fs';
import { encodeForm, multipartForm, type FormFields, type TestClient } from '../testing/http.ts';
import { ONCE_FIELD } from './field.ts';

/** The idempotency key of the first form of `action` on a page (throws when the form has none). */
export function onceFrom(html: string, action?: string): string {
  const forms = html.split('<form').slice(1).filter((f) => !action || f.includes(`action="${action}"`));
  const key = forms.map((f) => new RegExp(`name="${ONCE_FIELD}" value="([^"]+)"`).exec(f.slice(0, f.indexOf('</form>')))?.[1]).find(Boolean);
  if (!key) throw new Error(`No ${ONCE_FIELD} field in a form${action ? ` to ${action}` : ''}`);
  return key;
}

/**
 * Opens `page`, then posts its form to `url` with `fields` and the key that page gave it, `times` times
 * at once (a double click, a retrying browser, a script): every request in flight together.
 */
export async function postAtOnce(c: TestClient, page: string, url: string, fields: FormFields, times = 20): Promise<LightMyRequestResponse[]> {
  const html = (await c.get(page)).body;
  const payload = encodeForm({ _csrf: await c.csrf(page), [ONCE_FIELD]: onceFrom(html, url), ...fields });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  return Promise.all(Array.from({ length: times }, () => c.request('POST', url, { payload, headers })));
}

/** `postAtOnce` for an upload form: the same file and the same key, `times` times at once. */
export async function postFileAtOnce(c: TestClient, page: string, url: string, file: { field: string; name: string; data: Buffer }, times = 20): Promise<LightMyRequestResponse[]> {
  const html = (await c.get(page)).body;
  const form = multipartForm({ _csrf: await c.csrf(page), [ONCE_FIELD]: onceFrom(html, url) }, file);
  return Promise.all(Array.from({ length: times }, () => c.request('POST', url, form)));
}

/** How many files' bytes are stored under a test app's data directory. */
export function storedFiles(dataDir: string): number {
  const root = `${dataDir}/files`;
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
}
