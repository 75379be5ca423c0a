import crypto from 'node:crypto';

/** The hidden field every create form carries (`<Form once>`); JSON clients send the `Idempotency-Key` header instead. */
export const ONCE_FIELD = '_once';

/** A fresh key for a form being rendered. */
export function newOnceKey(): string {
  return crypto.randomUUID();
}
