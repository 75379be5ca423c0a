/**
 * Serbian is written in two scripts with a one-to-one correspondence (Vuk's alphabet and Gaj's Latin
 * alphabet), so text typed in either can be shown in the script of the page. Cyrillic → Latin is exact;
 * Latin → Cyrillic must read the digraphs lj, nj, dž as one letter, except in the few words where they
 * are two (a prefix before ž, a j after a prefix), and leaves addresses and foreign words alone.
 */

const CYR_TO_LAT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj',
  м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č',
  џ: 'dž', ш: 'š',
};

const LAT_TO_CYR: Record<string, string> = {
  a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', đ: 'ђ', e: 'е', ž: 'ж', z: 'з', i: 'и', j: 'ј', k: 'к', l: 'л', m: 'м',
  n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', ć: 'ћ', u: 'у', f: 'ф', h: 'х', c: 'ц', č: 'ч', š: 'ш',
  lj: 'љ', nj: 'њ', dž: 'џ', ǉ: 'љ', ǌ: 'њ', ǆ: 'џ',
};

const isUpper = (c: string | undefined) => !!c && c !== c.toLowerCase() && c === c.toUpperCase();

/** Cyrillic → Latin; a digraph is all capitals inside a word in capitals ("ЉУБАВ" → "LJUBAV", "Љубав" → "Ljubav"). */
export function toLatin(text: string): string {
  const chars = Array.from(text);
  let out = '';
  chars.forEach((ch, i) => {
    const lower = ch.toLowerCase();
    const lat = CYR_TO_LAT[lower];
    if (lat === undefined) {
      out += ch;
      return;
    }
    if (!isUpper(ch)) {
      out += lat;
      return;
    }
    if (lat.length === 1) {
      out += lat.toUpperCase();
      return;
    }
    const next = chars[i + 1];
    const prev = chars[i - 1];
    const shouting = isUpper(next) || (!/\p{L}/u.test(next ?? '') && isUpper(prev));
    out += shouting ? lat.toUpperCase() : lat[0]!.toUpperCase() + lat.slice(1);
  });
  return out;
}

// Where a digraph's letters belong to two parts of a word: nad|živeti, pod|žanr, in|jekcija, kon|jugacija.
// Each: the start of such a word and where its two letters stand.
const SPLIT_DIGRAPH: [string, number][] = [['nadž', 2], ['podž', 2], ['injek', 1], ['konjug', 2], ['konjunk', 2], ['vanjez', 2]];
// Letters Serbian Latin never uses mark a foreign word (a hyphenated word is one word) (Wi-Fi, Excel, Yahoo); Roman numerals stay as they are.
const FOREIGN = /[qwxyäöüßåéèàç]/i;
const ROMAN = /^[IVXLCDM]+$/;
// Addresses, e-mail and things in code are not words: they pass unchanged.
const TOKEN = /(https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S*[\w-]+\.(?:rs|com|org|net|eu|ua|pl|gov|io)\b\S*|[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*)/gu;

function wordToCyrillic(word: string): string {
  if (FOREIGN.test(word) || ROMAN.test(word) || !/[a-zA-ZčćđšžČĆĐŠŽǅǈǋǄǇǊǆǉǌ]/.test(word)) return word;
  const lower = word.toLowerCase();
  const split = SPLIT_DIGRAPH.find(([start]) => lower.startsWith(start))?.[1] ?? -1;
  const chars = Array.from(word.normalize('NFC'));
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const pair = (ch + (chars[i + 1] ?? '')).toLowerCase();
    // In a split word the digraph sits where the prefix ends: its last letter and the next are two letters.
    const digraph = (pair === 'lj' || pair === 'nj' || pair === 'dž') && i !== split;
    const key = digraph ? pair : ch.toLowerCase();
    const cyr = LAT_TO_CYR[key === 'ǅ' ? 'ǆ' : key === 'ǈ' ? 'ǉ' : key === 'ǋ' ? 'ǌ' : key];
    if (cyr === undefined) {
      out += ch;
      continue;
    }
    out += isUpper(ch) || 'ǅǈǋ'.includes(ch) ? cyr.toUpperCase() : cyr;
    if (digraph) i++;
  }
  return out;
}

/** Latin → Cyrillic, word by word; URLs, e-mail addresses and foreign words are kept as typed. */
export function toCyrillic(text: string): string {
  return text.replace(TOKEN, (token) => (/^[\p{L}\p{M}-]+$/u.test(token) ? wordToCyrillic(token) : token));
}

/** Which script a Serbian text is written in, by its letters; null when it has none of either. */
export function serbianScript(text: string): 'sr-Cyrl' | 'sr-Latn' | null {
  let cyr = 0;
  let lat = 0;
  for (const ch of text) {
    if (/\p{Script=Cyrillic}/u.test(ch)) cyr++;
    else if (/\p{Script=Latin}/u.test(ch)) lat++;
  }
  if (!cyr && !lat) return null;
  return cyr >= lat ? 'sr-Cyrl' : 'sr-Latn';
}

/** Serbian text in the given script. */
export function toSerbianScript(text: string, script: 'sr-Cyrl' | 'sr-Latn'): string {
  return script === 'sr-Latn' ? toLatin(text) : toCyrillic(text);
}
