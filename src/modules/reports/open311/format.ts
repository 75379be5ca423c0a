import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fieldErrors } from '../../../platform/http/forms.ts';
import { translator } from '../../../platform/i18n/i18n.ts';
import { xmlEscape } from '../../../platform/feeds/atom.ts';

/** GeoReport v2 answers in JSON or XML; the format is the URL's extension (`services.xml`). */
export type Format = 'json' | 'xml';

/** `services.json` → ['services', 'json']; null for any other extension. */
export function splitFormat(file: string): [string, Format] | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? [m[1]!, m[2] as Format] : null;
}

type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

/** The element name of one item of a list, as GeoReport v2's XML names them. */
const ITEM: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format',
};

function element(name: string, v: Value): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) return `<${name}>${v.map((x) => element(ITEM[name] ?? 'item', x)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, x]) => element(k, x)).join('')}</${name}>`;
  return `<${name}>${xmlEscape(String(v))}</${name}>`;
}

/** Sends `body` as JSON, or as XML under the root element `root` (`services`, `service_requests`…). */
export function sendOpen311(reply: FastifyReply, format: Format, root: string, body: Value, status = 200): FastifyReply {
  reply.code(status).header('access-control-allow-origin', '*');
  if (format === 'json') return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  return reply.header('content-type', 'text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>\n${element(root, body)}`);
}

/** An error in the specification's shape: `[{ code, description }]`, with the same HTTP status. */
export const sendOpen311Error = (reply: FastifyReply, format: Format, status: number, description: string) =>
  sendOpen311(reply, format, 'errors', [{ code: status, description }], status);

/**
 * Bad input on an Open311 route (a parameter the schema refuses, control characters): the specification's error
 * list, in the format the URL asks for, never the platform's HTML page. Descriptions are English, as the rest of
 * this API's; a path that names nothing is a 404.
 */
export function open311ErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const format: Format = /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json';
  if (!error.validation) {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: error }, 'request failed');
    return sendOpen311Error(reply, format, status, status === 500 ? 'Internal error.' : error.message);
  }
  const status = error.validationContext === 'params' ? 404 : 400;
  const messages = Object.values(fieldErrors(error.validation as never, translator('en')));
  return sendOpen311Error(reply, format, status, messages.join(' ') || 'The request is not valid.');
}
