// Lists message keys used in src/ that no en.json defines (dynamic keys are shown with their pattern).
import fs from 'node:fs';
import path from 'node:path';
import { loadMessages } from '../src/platform/i18n/i18n.ts';

const en = loadMessages('en');
const used = new Set<string>();
const walk = (dir: string) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (/\.(ts|tsx)$/.test(e.name) && !e.name.includes('.test.')) {
      for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bt\(\s*['`]([a-zA-Z0-9_.${}-]+)['`]/g)) used.add(m[1]!);
    }
  }
};
walk('src');
const missing = [...used].filter((k) => !k.includes('${') && !(k in en)).sort();
console.log(missing.length ? `Missing in en: ${missing.join(' ')}` : 'No missing keys.');
console.log(`Dynamic: ${[...used].filter((k) => k.includes('${')).join(' ')}`);
