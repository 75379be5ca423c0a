import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { PublishedEntry } from '../ledger.ts';
import { leafHash } from '../merkle.ts';

/**
 * An entry's canonical form by RFC 8785 (JSON Canonicalization Scheme) with a well-kept implementation
 * (`canonicalize`), independent of the platform's own `canonicalJson`: on the ledger's restricted domain
 * (strings, safe integers, booleans, null, arrays, objects) the two are the same text (tested), so an
 * entry's `hash` is SHA-256 of it and its Merkle leaf hash SHA-256(0x00 || it).
 */

/** RFC 8785 text of a JSON value; throws on what JSON cannot hold. */
export function jcs(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('Not a JSON value');
  return text;
}

/** The canonical form of the five hashed fields of an entry, as UTF-8 bytes. */
export const canonicalEntryBytes = (e: Omit<PublishedEntry, 'hash'>): Buffer =>
  Buffer.from(jcs({ chain: e.chain, seq: e.seq, kind: e.kind, payload: e.payload, prev: e.prev }), 'utf8');

/** The entry's hash (hex) and Merkle leaf hash, both from one canonical form. */
export function entryDigests(e: Omit<PublishedEntry, 'hash'>): { hash: string; leaf: Buffer } {
  const bytes = canonicalEntryBytes(e);
  return { hash: crypto.createHash('sha256').update(bytes).digest('hex'), leaf: leafHash(bytes) };
}
