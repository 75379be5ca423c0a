import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Full-text search support: `hromada_unaccent(text)`, the one normalisation both sides of every
 * search go through, so documents and queries meet whatever script or accents they were typed in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // unaccent() is only STABLE (it reads a dictionary found through search_path), so it cannot
  // appear in an index; calling the two-argument form with schema-qualified names makes the
  // result depend on its input alone, which is what IMMUTABLE promises. The extension lives in
  // public on PGlite and on a stock server (created by the platform migration).
  //
  // Serbian is written in two scripts, so its Cyrillic letters are folded to Gaj's Latin first
  // (љ → lj, ћ → ć, …) and then unaccented (ć → c): "Београд", "Beograd" and "BEOGRAD" all meet.
  // Ukrainian text goes through the same fold; letters only Ukrainian has (і, ї, є, ґ, й) are kept,
  // and since documents and queries are folded alike, Ukrainian words still match only each other.
  // Cyrillic capitals are lowered here too, so matching does not hang on the server's LC_CTYPE
  // (a plain "C" locale lowers ASCII only).
  // CREATE OR REPLACE keeps the migration safe to re-run in tests.
  await runStatements(db, `
    CREATE OR REPLACE FUNCTION hromada_unaccent(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $fn$
      SELECT public.unaccent('public.unaccent'::regdictionary,
        replace(replace(replace(replace(replace(replace(
          translate(input,
            'абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШІЇЄҐЙЬЮЯЩЁЪЫЭ',
            'abvgdđežzijklmnoprstćufhcčšabvgdđežzijklmnoprstćufhcčšіїєґйьюящёъыэ'),
          'љ', 'lj'), 'Љ', 'lj'), 'њ', 'nj'), 'Њ', 'nj'), 'џ', 'dž'), 'Џ', 'dž'))
    $fn$;
  `);
}
