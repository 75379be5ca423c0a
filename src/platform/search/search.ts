import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Full-text search that behaves the same on PGlite and PostgreSQL.
 *
 * Text configuration 'simple': PostgreSQL has no stemmer for Ukrainian, Serbian or Polish, and a
 * wrong-language stemmer is worse than none. Both documents and queries go through
 * `hromada_unaccent()` (migration 2026_11_23_0002_search), which folds accents, case and Serbian
 * Cyrillic to Latin, so "Beograd" finds "Београд" and "lodz" finds "Łódź". Word endings that
 * 'simple' cannot stem are covered by trigram word similarity on a text column.
 *
 * To index a table, create the same expressions in its migration, e.g.
 *   CREATE INDEX petitions_search ON petitions USING gin (
 *     to_tsvector('simple', hromada_unaccent(coalesce(title, '') || ' ' || coalesce(body, ''))));
 *   CREATE INDEX petitions_title_trgm ON petitions USING gin (hromada_unaccent(title) gin_trgm_ops);
 * `searchVector('title', 'body')` and `matchesQuery(…, 'title')` produce exactly these expressions.
 */

/** A column name (resolved like Kysely's own references) or any text expression. */
export type TextSource = string | Expression<string | null>;

/** Longest query we search for: a longer one is a paste or an attack, and costs the database alone. */
export const MAX_QUERY_LENGTH = 200;

const toExpression = (source: TextSource): Expression<string | null> => (typeof source === 'string' ? sql.ref(source) : source);

/** The user's query made safe to bind: control characters (NUL breaks PostgreSQL text) removed, trimmed, capped. */
export function normalizeQuery(userQuery: string | null | undefined): string {
  const cleaned = (userQuery ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return Array.from(cleaned).slice(0, MAX_QUERY_LENGTH).join('').trim();
}

/** `to_tsvector('simple', hromada_unaccent(coalesce(a,'') || ' ' || …))` over the given columns. */
export function searchVector(...columns: TextSource[]): RawBuilder<string> {
  if (columns.length === 0) throw new Error('searchVector needs at least one column');
  const parts = columns.map((c) => sql`coalesce(${toExpression(c)}, '')`);
  const joined = sql.join(parts, sql` || ' ' || `);
  return sql<string>`to_tsvector('simple', hromada_unaccent(${joined}))`;
}

function tsQuery(query: string): RawBuilder<unknown> {
  // websearch_to_tsquery never raises on user syntax: quotes, "or", "-" and stray &|!: are just text.
  return sql`websearch_to_tsquery('simple', hromada_unaccent(${query}))`;
}

/**
 * True where the vector matches the query's words, or (with `fuzzyText`) where the query is
 * word-similar to that text, which forgives typos and inflected endings. An empty query matches
 * nothing: callers listing "everything" should not add the condition at all.
 */
export function matchesQuery(vector: Expression<unknown>, userQuery: string, fuzzyText?: TextSource): RawBuilder<SqlBool> {
  const query = normalizeQuery(userQuery);
  if (!query) return sql<SqlBool>`false`;
  const words = sql<SqlBool>`(${vector} @@ ${tsQuery(query)})`;
  if (fuzzyText === undefined) return words;
  // The <% operator (threshold pg_trgm.word_similarity_threshold, 0.6 by default) can use a
  // gin_trgm_ops index on hromada_unaccent(column); calling word_similarity() directly could not.
  return sql<SqlBool>`(${words} OR hromada_unaccent(${query}) <% hromada_unaccent(${toExpression(fuzzyText)}))`;
}

/** A relevance score for `ORDER BY … DESC`: text rank, plus trigram word similarity when `fuzzyText` is given. */
export function rankExpression(vector: Expression<unknown>, userQuery: string, fuzzyText?: TextSource): RawBuilder<number> {
  const query = normalizeQuery(userQuery);
  // Not a bare 0: in ORDER BY that would mean "the first column".
  if (!query) return sql<number>`CAST(0 AS real)`;
  const rank = sql`ts_rank(${vector}, ${tsQuery(query)})`;
  if (fuzzyText === undefined) return sql<number>`${rank}`;
  return sql<number>`(${rank} + coalesce(word_similarity(hromada_unaccent(${query}), hromada_unaccent(${toExpression(fuzzyText)})), 0))`;
}
