import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { negotiateLocale, translator, type Locale } from '../../i18n/i18n.ts';
import { selfSignedCertificate } from './saml.cert.ts';

/** A person the local identity provider signs in, with the attribute values it sends. */
export interface LocalIdpPerson {
  label: string;
  nameId: string;
  attributes: Record<string, string>;
}

/** What the next answer gets wrong on purpose (tests of the refusals); cleared once used. */
export interface ResponseTweaks {
  audience?: string;
  issuer?: string;
  /** Minutes to shift every time in the assertion by (negative: an old, expired assertion). */
  shiftMinutes?: number;
  /** No signature on the assertion (the response itself is signed instead). */
  unsignedAssertion?: boolean;
  assertionId?: string;
  authnContext?: string;
}

export interface LocalIdpOptions {
  /** The name on its page ("login.gov.pl"). */
  label: string;
  /** Its page's language when the browser prefers none of Hromada's. */
  locale: Locale;
  people: LocalIdpPerson[];
  sp: { entityId: string; acsUrl: string; signingCert: string; encryptionCert: string };
  /** Encrypt assertions to the SP's encryption certificate (default true). */
  encrypt?: boolean;
  authnContext?: string;
}

export interface LocalIdp {
  url: string;
  /** The service provider it answers (may be set after start, when the service's address is known first). */
  sp: LocalIdpOptions['sp'];
  ssoUrl: string;
  entityId: string;
  cert: string;
  tweaks: ResponseTweaks;
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (lang: Locale, title: string, body: string) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6rem 1rem;margin:.3rem 0;min-height:44px;cursor:pointer}ul{list-style:none;padding:0}
.note{border-left:4px solid #b35900;padding-left:.8rem}</style></head><body><main>${body}</main></body></html>`;

const SAMLP_STATUS = 'urn:oasis:names:tc:SAML:2.0:status:';

/** An answer saying the person did not sign in (cancelled): unsigned, as identity providers send such statuses. */
function cancelledResponse(issuer: string, acsUrl: string, inResponseTo: string): string {
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${crypto.randomUUID()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(acsUrl)}" InResponseTo="${esc(inResponseTo)}"><saml:Issuer>${esc(issuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="${SAMLP_STATUS}Responder"><samlp:StatusCode Value="${SAMLP_STATUS}AuthnFailed"/></samlp:StatusCode></samlp:Status></samlp:Response>`;
}

function attributeStatement(attributes: Record<string, string>): string {
  const items = Object.entries(attributes).map(([name, value]) =>
    `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue xsi:type="xs:string">${esc(value)}</saml:AttributeValue></saml:Attribute>`);
  return items.length ? `<saml:AttributeStatement>${items.join('')}</saml:AttributeStatement>` : '';
}

/** Fills samlify's login response template: values escaped, the two statements as XML. */
function fill(template: string, values: Record<string, string>, raw: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, tag: string) => raw[tag] ?? esc(values[tag] ?? ''));
}

/**
 * A SAML 2.0 identity provider on 127.0.0.1 for the tests and `npm run demo` (never production): its page
 * lists its people, a button each; it checks the service provider's signed AuthnRequest (HTTP-Redirect or
 * HTTP-POST binding) and posts a signed (and encrypted) assertion back to the ACS. Built on samlify, loaded
 * only when started, as it is a development dependency. samlify wants a schema validator for what it
 * receives; this IdP receives only the AuthnRequests of the service provider it serves and checks their
 * signature, so its validator checks no more than that the message is one AuthnRequest.
 */
export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const samlify = await import('samlify');
  samlify.setSchemaValidator({
    validate: async (xml: string) => {
      if (!/^\s*(<\?xml[^>]*\?>\s*)?<(\w+:)?AuthnRequest\b/.test(xml) || /<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('not an AuthnRequest');
      return 'ok';
    },
  });
  const { key, cert } = selfSignedCertificate(`${options.label} demo IdP`);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const entityId = `${url}/metadata`;
  const binding = samlify.Constants.namespace.binding;
  const idp = samlify.IdentityProvider({
    entityID: entityId, privateKey: key, signingCert: cert, isAssertionEncrypted: options.encrypt ?? true, wantAuthnRequestsSigned: true,
    nameIDFormat: ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
    singleSignOnService: [{ Binding: binding.redirect, Location: `${url}/sso` }, { Binding: binding.post, Location: `${url}/sso` }],
  });
  const spEntity = (signed: boolean) => samlify.ServiceProvider({
    entityID: result.sp.entityId, authnRequestsSigned: true, wantAssertionsSigned: signed, wantMessageSigned: !signed,
    signingCert: result.sp.signingCert, encryptCert: result.sp.encryptionCert,
    assertionConsumerService: [{ Binding: binding.post, Location: result.sp.acsUrl }],
  });
  const sp = () => spEntity(true);
  const pending = new Map<string, string>();
  const result: LocalIdp = { url, sp: options.sp, ssoUrl: `${url}/sso`, entityId, cert, tweaks: {}, stop: async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  } };

  async function answer(requestId: string, relayState: string, person: LocalIdpPerson | null): Promise<string> {
    if (!person) return Buffer.from(cancelledResponse(entityId, result.sp.acsUrl, requestId)).toString('base64');
    const tweaks = result.tweaks;
    result.tweaks = {};
    const at = (minutes: number) => new Date(Date.now() + ((tweaks.shiftMinutes ?? 0) + minutes) * 60_000).toISOString();
    const issuer = tweaks.issuer ?? entityId;
    const authn = tweaks.authnContext ?? options.authnContext ?? 'http://eidas.europa.eu/LoA/substantial';
    const values = {
      ID: `_${crypto.randomUUID()}`, AssertionID: tweaks.assertionId ?? `_${crypto.randomUUID()}`, Destination: result.sp.acsUrl,
      Audience: tweaks.audience ?? result.sp.entityId, SubjectRecipient: result.sp.acsUrl, Issuer: issuer, IssueInstant: at(0),
      StatusCode: `${SAMLP_STATUS}Success`, ConditionsNotBefore: at(-1), ConditionsNotOnOrAfter: at(5), SubjectConfirmationDataNotOnOrAfter: at(5),
      NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', NameID: person.nameId, InResponseTo: requestId,
    };
    const raw = {
      AuthnStatement: `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="_${crypto.randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>${esc(authn)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      AttributeStatement: attributeStatement(person.attributes),
    };
    const made = await idp.createLoginResponse(tweaks.unsignedAssertion ? spEntity(false) : sp(), { extract: { request: { id: requestId } } }, 'post', { email: '' }, {
      relayState, customTagReplacement: (template: string) => ({ id: values.ID, context: fill(template, values, raw) }),
    });
    return made.context;
  }

  server.on('request', (req, res) => {
    void (async () => {
      const reqUrl = new URL(req.url ?? '/', url);
      const body = req.method === 'POST' ? new URLSearchParams(await new Promise<string>((resolve) => {
        let data = '';
        req.on('data', (c: Buffer) => { data += c.toString(); });
        req.on('end', () => resolve(data));
      })) : new URLSearchParams();
      const lang = negotiateLocale(req.headers['accept-language'], options.locale);
      const t = translator(lang);
      const title = t('auth.saml.demo.title', { provider: options.label });
      const send = (status: number, html: string) => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
      };
      if (reqUrl.pathname === '/sso') {
        let request: { id: string; relayState: string };
        try {
          const parsed = req.method === 'POST'
            ? await idp.parseLoginRequest(sp(), 'post', { body: Object.fromEntries(body) })
            : await idp.parseLoginRequest(sp(), 'redirect', { query: Object.fromEntries(reqUrl.searchParams), octetString: signedPart(reqUrl) });
          if (parsed.extract.issuer !== result.sp.entityId) throw new Error('another service provider');
          request = { id: String(parsed.extract.request?.id ?? ''), relayState: (req.method === 'POST' ? body : reqUrl.searchParams).get('RelayState') ?? '' };
        } catch {
          return send(400, page(lang, title, `<h1>${esc(title)}</h1><p>${esc(t('auth.saml.demo.unknown'))}</p>`));
        }
        pending.set(request.id, request.relayState);
        const hidden = `<input type="hidden" name="request" value="${esc(request.id)}">`;
        const people = options.people.map((p, i) => `<li><form method="post" action="/login">${hidden}<input type="hidden" name="person" value="${i}"><button type="submit">${esc(t('auth.saml.demo.as', { name: p.label }))}</button></form></li>`).join('');
        return send(200, page(lang, title, `<h1>${esc(title)}</h1><p class="note">${esc(t('auth.saml.demo.lead'))}</p>
<h2>${esc(t('auth.saml.demo.people'))}</h2><ul>${people}</ul>
<form method="post" action="/login">${hidden}<input type="hidden" name="person" value="cancel"><button type="submit">${esc(t('auth.saml.demo.cancel'))}</button></form>`));
      }
      if (reqUrl.pathname === '/login' && req.method === 'POST') {
        const requestId = body.get('request') ?? '';
        const relayState = pending.get(requestId);
        pending.delete(requestId);
        const person = options.people[Number(body.get('person'))] ?? null;
        if (relayState === undefined) return send(400, page(lang, title, `<h1>${esc(title)}</h1><p>${esc(t('auth.saml.demo.unknown'))}</p>`));
        const samlResponse = await answer(requestId, relayState, body.get('person') === 'cancel' ? null : person);
        const relay = relayState ? `<input type="hidden" name="RelayState" value="${esc(relayState)}">` : '';
        return send(200, page(lang, title, `<h1>${esc(title)}</h1><form id="answer" method="post" action="${esc(result.sp.acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">${relay}<p>${esc(t('auth.saml.demo.returning'))}</p>
<button type="submit">${esc(t('auth.saml.demo.continue'))}</button></form><script>document.getElementById('answer').submit()</script>`));
      }
      send(404, page(lang, title, `<h1>${esc(title)}</h1>`));
    })().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  return result;
}

/** The signed part of an HTTP-Redirect query, exactly as sent: SAMLRequest, RelayState and SigAlg in that order. */
function signedPart(u: URL): string {
  const parts = u.search.slice(1).split('&');
  return ['SAMLRequest', 'RelayState', 'SigAlg'].map((k) => parts.find((p) => p.startsWith(`${k}=`))).filter(Boolean).join('&');
}
