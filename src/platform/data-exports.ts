import type { Database } from '../db/database.ts';
import type { Municipality } from '../db/schema.ts';
import type { DataFormat } from './module.ts';
import { enabledModules } from './modules-registry.ts';

/** The media type each published format is served with. */
export const DATA_FORMAT_TYPES: Record<DataFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  geojson: 'application/geo+json',
  atom: 'application/atom+xml',
  xml: 'text/xml',
};

/** One published file of a dataset: its address on the site (a path) and format. */
export interface DataDistribution { module: string; dataset: string; format: DataFormat; url: string }

/** Fills a URL template's placeholders, each value URL-encoded; an unfilled placeholder is an error of the declaration. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`No value for {${name}} in ${template}`);
    return encodeURIComponent(v);
  });
}

/** Every file the municipality's enabled modules publish now, in `locale` (for the addresses that carry one). */
export async function dataDistributions(db: Database, m: Municipality, locale: string): Promise<DataDistribution[]> {
  const out: DataDistribution[] = [];
  for (const mod of enabledModules(m)) {
    for (const e of mod.exports ?? []) {
      const sets = e.instances ? await e.instances(db, m) : [{}];
      for (const set of sets) {
        for (const f of e.formats) out.push({ module: mod.id, dataset: e.id, format: f.format, url: fillTemplate(f.url, { municipality: m.slug, locale, ...set }) });
      }
    }
  }
  return out;
}
