import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Flash } from '../views/context.ts';

const COOKIE = 'hromada_flash';

/** Redirects (303, so a reload never re-posts) with a message shown once on the next page. */
export function redirectWithFlash(reply: FastifyReply, to: string, flash: Flash): FastifyReply {
  reply.setCookie(COOKIE, JSON.stringify(flash), { path: '/', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 60 });
  return reply.redirect(to, 303);
}

/** Reads and clears the flash message. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = req.cookies[COOKIE];
  if (!raw) return null;
  reply.clearCookie(COOKIE, { path: '/' });
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const f = JSON.parse(unsigned.value) as Flash;
    return typeof f.message === 'string' ? { kind: f.kind, message: f.message } : null;
  } catch {
    return null;
  }
}
