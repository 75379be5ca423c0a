import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { demoPeopleOf, type DemoPerson } from './demo-people.ts';

/**
 * A small stand-in for id.gov.ua on 127.0.0.1, for the tests and `npm run demo` (never for production): the
 * site root where a person picks a way to sign in and a demo person, `get-access-token` and `get-user-info`,
 * checking what the real service checks (the client's id, secret and registered redirect URI; a code used
 * once and soon; a token for its own user_id). With `cert` it wraps the answer as `encryptedUserInfo` in
 * plain base64: not encryption, only the shape, so that the operator's decrypter interface can be tested.
 */
export interface FakeIdGovUaClient { id: string; secret: string; redirectUris: string[] }

export interface FakeIdGovUaOptions {
  clients: FakeIdGovUaClient[];
  /** The people one may sign in as; default the demo's Ukrainian residents. */
  people?: DemoPerson[];
  codeTtlMs?: number;
}

export interface FakeIdGovUa {
  url: string;
  /** Replaces what get-user-info answers (a test's hostile answer); null restores the person's attributes. */
  tamper(fn: ((info: Record<string, unknown>) => unknown) | null): void;
  close(): Promise<void>;
}

/** The ways to sign in the fake offers, as its page names them. */
export const FAKE_AUTH_TYPES: Record<string, string> = {
  diia_id: 'Дія (демо)',
  bank_id: 'BankID НБУ (демо)',
  dig_sign: 'Кваліфікований електронний підпис (демо)',
};

interface Grant { client: string; person: DemoPerson; authType: string; expires: number }

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const random = () => crypto.randomBytes(18).toString('base64url');

/**
 * The attributes the fake knows of a person: the demo's residence code as `katottg`, a field of its own; the
 * UNZR begins with the birth date, as real ones do; `birthday` only for those who ask for it by name.
 */
function attributes(p: DemoPerson, authType: string): Record<string, string> {
  return {
    auth_type: authType, givenname: p.givenName, lastname: p.familyName, subjectcn: `${p.familyName} ${p.givenName}`,
    email: p.email, address: p.address, drfocode: p.nationalId, katottg: p.residenceCode,
    unzr: `${p.birthDate.replaceAll('-', '')}-${p.nationalId.slice(-5)}`, birthday: p.birthDate,
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${esc(title)}</title><style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#111}`
    + `fieldset{margin:1rem 0;border:1px solid #555;padding:.5rem 1rem}label{display:block;padding:.25rem 0}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}`
    + `.note{background:#fff3c4;padding:.5rem 1rem;border-left:4px solid #8a6d00}</style></head><body><main>${body}</main></body></html>`;
}

function chooser(q: URLSearchParams, authTypes: string[], people: DemoPerson[]): string {
  const hidden = ['client_id', 'redirect_uri', 'state'].map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? '')}">`).join('');
  const ways = authTypes.map((a, i) => `<label><input type="radio" name="auth_type" value="${esc(a)}"${i === 0 ? ' checked' : ''}> ${esc(FAKE_AUTH_TYPES[a]!)}</label>`).join('');
  const persons = people.map((p, i) => `<label><input type="radio" name="person" value="${esc(p.subject)}"${i === 0 ? ' checked' : ''}> ${esc(`${p.familyName} ${p.givenName}`)} — ${esc(p.address)}</label>`).join('');
  return page('Вхід — id.gov.ua (демо)', `<h1>Інтегрована система електронної ідентифікації (демо)</h1>`
    + `<p class="note">Це демонстраційна служба на вашому комп’ютері: вигадані люди, жодних справжніх даних.</p>`
    + `<form method="post" action="/">${hidden}<fieldset><legend>Спосіб входу</legend>${ways}</fieldset>`
    + `<fieldset><legend>Демонстраційна особа</legend>${persons}</fieldset>`
    + `<button type="submit" name="action" value="sign-in">Увійти</button><button type="submit" name="action" value="cancel">Скасувати</button></form>`);
}

async function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) break;
  }
  return new URLSearchParams(body);
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeIdGovUa(opts: FakeIdGovUaOptions): Promise<FakeIdGovUa> {
  const people = opts.people ?? demoPeopleOf('ua');
  const codeTtl = opts.codeTtlMs ?? 60_000;
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, Grant & { userId: string }>();
  let nextUserId = 1;
  let tamper: ((info: Record<string, unknown>) => unknown) | null = null;
  const clientOf = (id: string | null) => opts.clients.find((c) => c.id === id);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = req.method === 'POST' ? await readBody(req) : new URLSearchParams();
    for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    const html = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    const back = (redirectUri: string, query: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(query)) to.searchParams.set(k, v);
      res.writeHead(303, { location: to.href }).end();
    };

    if (url.pathname === '/') {
      const client = clientOf(params.get('client_id'));
      const redirectUri = params.get('redirect_uri') ?? '';
      // As a real authorization server does: an unknown client or redirect URI gets a page, never a redirect.
      if (!client || !client.redirectUris.includes(redirectUri)) return html(400, page('Помилка', '<h1>Невідомий клієнт або адреса повернення</h1>'));
      const state = params.get('state') ?? '';
      if (req.method !== 'POST') {
        const offered = (params.get('auth_type') ?? '').split(',').filter((a) => a in FAKE_AUTH_TYPES);
        if (params.get('response_type') !== 'code' || !offered.length) return html(400, page('Помилка', '<h1>Неправильний запит</h1>'));
        return html(200, chooser(params, offered, people));
      }
      if (params.get('action') === 'cancel') return back(redirectUri, { error: 'access_denied', state });
      const person = people.find((p) => p.subject === params.get('person'));
      const authType = params.get('auth_type') ?? '';
      if (!person || !(authType in FAKE_AUTH_TYPES)) return html(400, page('Помилка', '<h1>Оберіть спосіб входу й особу</h1>'));
      const code = random();
      codes.set(code, { client: client.id, person, authType, expires: Date.now() + codeTtl });
      return back(redirectUri, { code, state });
    }

    if (url.pathname === '/get-access-token') {
      const client = clientOf(params.get('client_id'));
      if (!client || params.get('client_secret') !== client.secret) return json(401, { error: 'invalid_client', error_description: 'Unknown client or wrong secret' });
      if (params.get('grant_type') !== 'authorization_code') return json(400, { error: 'unsupported_grant_type' });
      const code = params.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code); // used once, whatever happens next
      if (!grant || grant.client !== client.id || grant.expires < Date.now()) return json(400, { error: 'invalid_grant', error_description: 'Unknown, used or expired code' });
      const accessToken = random();
      const userId = String(nextUserId++);
      tokens.set(accessToken, { ...grant, userId, expires: Date.now() + 600_000 });
      return json(200, { access_token: accessToken, token_type: 'bearer', expires_in: 600, refresh_token: random(), user_id: userId });
    }

    if (url.pathname === '/get-user-info') {
      const token = tokens.get(params.get('access_token') ?? '');
      if (!token || token.userId !== params.get('user_id') || token.expires < Date.now()) return json(200, { error: 401, message: 'Invalid access token' });
      const all = attributes(token.person, token.authType);
      const wanted = (params.get('fields') ?? '').split(',').map((f) => f.trim());
      const info: Record<string, unknown> = Object.fromEntries(Object.entries(all).filter(([k]) => k === 'auth_type' || wanted.includes(k)));
      const answer = tamper ? tamper(info) : info;
      if (params.get('cert')) return json(200, { encryptedUserInfo: Buffer.from(JSON.stringify(answer)).toString('base64') });
      return json(200, answer);
    }

    return json(404, { error: 'not_found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    tamper: (fn) => { tamper = fn; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
