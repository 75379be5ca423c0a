import { execFile } from 'node:child_process';
import type { SignInFailure } from './finish.ts';

/**
 * The calls Hromada makes to id.gov.ua after the browser comes back with a code, as IIT's integration
 * samples make them (the OAuth2 class of its Node.js and PHP samples for the EUSign library; the steps
 * 11.1–11.4 of IDInfoProcessingD.pdf): `get-access-token` with the client's id and secret and the code, which
 * answers `access_token` and `user_id`; then `get-user-info` with them and the list of `fields`, optionally
 * with `cert` (the client's encryption certificate) so that the answer comes as `encryptedUserInfo`.
 * Errors come as JSON with `error` (and `error_description` or `message`), whatever the HTTP status.
 */
export interface IdGovUaEndpoints {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fields: string[];
  /** The client's encryption certificate (base64), sent as `cert`: the answer is then encrypted to it. */
  cert?: string;
  /** The operator's decrypter: a command given the envelope on standard input, writing the JSON on standard output. */
  decryptCommand?: string[];
}

/** A step that did not work: the refusal the resident sees, and what the audit log keeps. */
export class IdGovUaError extends Error {
  constructor(readonly reason: SignInFailure, readonly details: Record<string, unknown>) {
    super(String(details.why ?? reason));
  }
}

const TIMEOUT_MS = 10_000;
// Far more than any real answer (a person's attributes are a few hundred bytes): a bigger one is not read.
const MAX_ANSWER_BYTES = 64 * 1024;

const short = (v: unknown, n = 200) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, n) : undefined);

/** GETs a JSON object from the provider; a network failure is `unavailable`, anything unreadable `invalid`. */
async function getJson(url: URL, step: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
  } catch (err) {
    throw new IdGovUaError('unavailable', { step, why: 'unreachable', err: (err as Error).message });
  }
  if (res.status >= 500) throw new IdGovUaError('unavailable', { step, why: 'server error', status: res.status });
  const declared = Number(res.headers.get('content-length') ?? 0);
  const text = declared > MAX_ANSWER_BYTES ? null : await readCapped(res);
  if (text === null) throw new IdGovUaError('invalid', { step, why: 'answer too large', status: res.status });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new IdGovUaError('invalid', { step, why: 'not JSON', status: res.status });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new IdGovUaError('invalid', { step, why: 'not an object', status: res.status });
  const answer = body as Record<string, unknown>;
  // get-user-logout answers "error": "0" on success; here any other `error` is a refusal.
  if (answer.error !== undefined && answer.error !== null && answer.error !== '' && answer.error !== '0' && answer.error !== 0) {
    const error = short(answer.error, 60) ?? 'error';
    const description = short(answer.error_description ?? answer.message, 300);
    // A wrong client id or secret is the operator's to fix; a code that is unknown, used or expired is the resident's to retry.
    const reason = /client/i.test(error) ? 'failed' : step === 'token' ? 'invalid' : 'failed';
    throw new IdGovUaError(reason, { step, why: 'provider error', error, description, status: res.status });
  }
  if (res.status >= 400) throw new IdGovUaError('failed', { step, why: 'http error', status: res.status });
  return answer;
}

async function readCapped(res: Response): Promise<string | null> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const endpoint = (e: IdGovUaEndpoints, path: string, query: Record<string, string>) => {
  const url = new URL(path, e.baseUrl.endsWith('/') ? e.baseUrl : `${e.baseUrl}/`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
};

/** Exchanges the code for an access token; returns it with the `user_id` get-user-info needs. */
export async function exchangeCode(e: IdGovUaEndpoints, code: string): Promise<{ accessToken: string; userId: string }> {
  const answer = await getJson(endpoint(e, 'get-access-token', { grant_type: 'authorization_code', client_id: e.clientId, client_secret: e.clientSecret, code }), 'token');
  const accessToken = short(answer.access_token, 2000);
  const userId = short(answer.user_id, 200);
  if (!accessToken || !userId) throw new IdGovUaError('invalid', { step: 'token', why: 'no access token or user id' });
  return { accessToken, userId };
}

/** The person's attributes: the plain answer, or the encrypted envelope opened by the operator's decrypter. */
export async function fetchUserInfo(e: IdGovUaEndpoints, token: { accessToken: string; userId: string }): Promise<unknown> {
  const query: Record<string, string> = { fields: e.fields.join(','), user_id: token.userId, access_token: token.accessToken };
  if (e.cert) query.cert = e.cert;
  const answer = await getJson(endpoint(e, 'get-user-info', query), 'userinfo');
  if (answer.encryptedUserInfo === undefined) return answer;
  if (typeof answer.encryptedUserInfo !== 'string' || !answer.encryptedUserInfo) throw new IdGovUaError('invalid', { step: 'userinfo', why: 'malformed envelope' });
  if (!e.decryptCommand?.length) throw new IdGovUaError('failed', { step: 'userinfo', why: 'encrypted answer but no decryptCommand configured' });
  return decrypt(e.decryptCommand, answer.encryptedUserInfo);
}

/**
 * Opens an encrypted answer with the operator's decrypter (IIT's EUSign library, which is not on npm, behind
 * a command of the operator's choosing; OPERATIONS.md): the envelope on standard input, the person's JSON on
 * standard output, within the timeout and size limits.
 */
function decrypt(command: string[], envelope: string): Promise<unknown> {
  const [file, ...args] = command as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: TIMEOUT_MS, maxBuffer: MAX_ANSWER_BYTES, encoding: 'utf8' }, (err, stdout) => {
      if (err) return reject(new IdGovUaError('failed', { step: 'decrypt', why: 'decrypter failed', err: err.message.slice(0, 200) }));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new IdGovUaError('invalid', { step: 'decrypt', why: 'decrypter wrote no JSON' }));
      }
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end(envelope);
  });
}
