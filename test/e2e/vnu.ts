/**
 * The Nu HTML Checker (vnu-jar) over every page a journey file reached. Starting the JVM costs about a
 * second, so pages are only collected while the journeys run (their HTML as the server sent it, not the
 * DOM after scripts) and checked in one `java -jar vnu.jar` run by the file's last test.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Response } from 'playwright-core';

const VNU_JAR = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));

/** Pages kept for the checker, by the hash of their HTML (the same page visited twice is checked once). */
const pages = new Map<string, { url: string; html: string }>();

/** Keeps the HTML of a page the browser loaded (a navigation response), for the checker. */
export async function keepHtml(response: Response): Promise<void> {
  if (!String(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
  const html = await response.text();
  // The CSRF token differs on every page view; it does not change what is valid.
  const key = crypto.createHash('sha256').update(html.replace(/name="_csrf" value="[^"]*"/g, '')).digest('hex');
  if (!pages.has(key)) pages.set(key, { url: response.url(), html });
}

interface VnuMessage { type: string; subType?: string; url?: string; lastLine?: number; message: string; extract?: string }

/** Runs the checker over HTML documents in one JVM; returns its errors, each naming the page it is on. */
export async function vnuErrors(docs: { url: string; html: string }[]): Promise<string[]> {
  if (docs.length === 0) return [];
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error('java not found: the Nu HTML Checker needs a Java runtime (apt-get install -y default-jre-headless)');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-vnu-'));
  try {
    const files = docs.map((d, i) => {
      const file = path.join(dir, `page-${i}.html`);
      fs.writeFileSync(file, d.html);
      return file;
    });
    const stdout = await new Promise<string>((resolve, reject) => {
      // vnu exits 1 when it found errors; the JSON on stdout says which.
      execFile('java', ['-Xss1024k', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        if (error && !out) reject(new Error(`vnu failed: ${err || error.message}`));
        else resolve(out);
      });
    });
    const messages = (JSON.parse(stdout) as { messages: VnuMessage[] }).messages;
    const urlOf = new Map(files.map((f, i) => [`file:${f}`, docs[i]!.url]));
    return messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => `${urlOf.get(m.url ?? '') ?? m.url} line ${m.lastLine ?? '?'}: ${m.message}${m.extract ? `\n      ${m.extract.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the journey file's last test: every page its journeys reached is valid HTML, per the Nu HTML Checker. */
export function htmlCheckTest(): void {
  test('every page the journeys reached is valid HTML (Nu HTML Checker)', async () => {
    const docs = [...pages.values()];
    const errors = await vnuErrors(docs);
    assert.deepEqual(errors, [], `vnu found ${errors.length} error(s) in ${docs.length} page(s):\n  ${errors.join('\n  ')}`);
  });
}
