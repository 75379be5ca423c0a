import type { App, Deps } from '../http/deps.ts';

/** How long a security.txt stays valid (RFC 9116 asks for less than a year); it is written afresh on each request. */
const SECURITY_TXT_DAYS = 180;

/** robots.txt: accounts, administration, staff pages and the development outbox are not for search engines. */
export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /*/account',
    'Disallow: /*/admin',
    'Disallow: /*/staff',
    'Disallow: /*/dev/',
    'Allow: /',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

/** RFC 9116 security.txt for the configured contact, valid SECURITY_TXT_DAYS from `now` (to the day). */
export function securityTxt(baseUrl: string, contact: string, now = new Date()): string {
  const expires = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + SECURITY_TXT_DAYS));
  return [
    `Contact: ${contact}`,
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    `Canonical: ${baseUrl}/.well-known/security.txt`,
    'Preferred-Languages: uk, sr, pl, en',
    '',
  ].join('\n');
}

/** `/robots.txt` and `/.well-known/security.txt` (404 while no SECURITY_CONTACT is configured: a file must name a real contact). */
export function registerCrawlerFiles(app: App, deps: Deps): void {
  const text = 'text/plain; charset=utf-8';
  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(text).header('cache-control', 'public, max-age=86400').send(robotsTxt(deps.config.baseUrl)));
  app.get('/.well-known/security.txt', { schema: { hide: true } }, async (_req, reply) => {
    const contact = deps.config.securityContact;
    if (!contact) return reply.code(404).type(text).send('No security contact is configured (SECURITY_CONTACT).\n');
    return reply.type(text).header('cache-control', 'public, max-age=86400').send(securityTxt(deps.config.baseUrl, contact));
  });
}
