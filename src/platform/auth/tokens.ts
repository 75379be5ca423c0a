import crypto from 'node:crypto';

/** A random URL-safe secret for cookies and links. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** What is stored instead of a token, so a database leak does not hand out sessions or links. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
