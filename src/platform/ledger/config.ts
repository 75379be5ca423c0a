import { COSIGNATURE_V1, parseVkey } from './note.ts';

/** A witness whose cosignatures the site accepts and shows (LEDGER_WITNESSES). */
export interface WitnessConfig {
  /** The witness's key name, from its vkey. */
  name: string;
  /** Its cosignature vkey (type 0x04), as `hromada witness keygen` prints it. */
  vkey: string;
  /** Who runs it, as residents should read it (a newspaper, a civic organisation, a municipality). */
  title: string;
  url: string | null;
}

/** LEDGER_WITNESSES: a JSON array of {vkey, title, url?}. */
export function ledgerWitnesses(raw: string | undefined, problems: string[]): WitnessConfig[] {
  if (!raw) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch (e) {
    problems.push(`LEDGER_WITNESSES must be a JSON array of {vkey,title,url} (${(e as Error).message})`);
    return [];
  }
  if (!Array.isArray(list)) {
    problems.push('LEDGER_WITNESSES must be a JSON array of {vkey,title,url}');
    return [];
  }
  const out: WitnessConfig[] = [];
  for (const [i, w] of (list as Record<string, unknown>[]).entries()) {
    try {
      if (typeof w?.vkey !== 'string') throw new Error('vkey is required');
      const v = parseVkey(w.vkey);
      if (v.type !== COSIGNATURE_V1) throw new Error('the vkey must be a cosignature key (type 0x04)');
      if (typeof w.title !== 'string' || !w.title.trim()) throw new Error('title is required');
      if (w.url !== undefined && (typeof w.url !== 'string' || !/^https?:\/\//.test(w.url))) throw new Error('url must be an http(s) URL');
      if (out.some((o) => o.name === v.name)) throw new Error(`the name ${v.name} is used twice`);
      out.push({ name: v.name, vkey: w.vkey.trim(), title: w.title.trim(), url: (w.url as string | undefined) ?? null });
    } catch (e) {
      problems.push(`LEDGER_WITNESSES[${i}]: ${(e as Error).message}`);
    }
  }
  return out;
}
