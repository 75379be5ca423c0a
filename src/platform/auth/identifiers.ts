import crypto from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { sharedSecret } from './secrets.ts';

/**
 * What an identifier is: a national id (`pesel` in Poland, `jmbg` in Serbia, `rnokpp` the Ukrainian tax number,
 * `unzr` the Ukrainian register number) or an identity document's number (`document`). A kind is part of the
 * hash, so the same digits as a PESEL and as a passport number never match.
 */
export type IdentifierKind = 'pesel' | 'jmbg' | 'rnokpp' | 'unzr' | 'document';

/**
 * An identifier as people write it, reduced to what identifies: compatibility forms folded (NFKC), letters in
 * upper case, everything but letters and digits dropped ("AB 123-456" and "ab123456" are one number).
 */
export function normaliseIdentifier(raw: string): string {
  return raw.normalize('NFKC').toLocaleUpperCase('en').replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The keyed hashes of national ids and document numbers: HMAC-SHA256 under IDENTIFIER_KEY. Such numbers are
 * few (a PESEL has eleven digits), so a plain hash would be reversed by trying them all; without the key,
 * the hashes say nothing. The number itself is never stored, logged or shown.
 */
export interface Identifiers {
  /** The hash of `raw` as `kind`, or null when nothing identifying is left of it. */
  hash(kind: IdentifierKind, raw: string): string | null;
}

/** The keyed hasher for this installation (IDENTIFIER_KEY, or where unset a key kept in the database). */
export async function identifiers(config: Readonly<Config>, db: Database): Promise<Identifiers> {
  const key = config.identifierKey ?? await sharedSecret(db, 'identifier-key');
  return {
    hash(kind, raw) {
      const value = normaliseIdentifier(raw);
      if (!value) return null;
      return crypto.createHmac('sha256', key).update(`${kind}\n${value}`).digest('base64url');
    },
  };
}
