import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/*
 * Checks of an OpenAPI 3.1 document and of real answers against it, for tests. The structure below is
 * written from the OpenAPI 3.1 specification's fixed fields (the parts this platform uses, closed to
 * typos, `x-` extensions allowed); every Schema Object is then checked against JSON Schema 2020-12's own
 * meta-schema, which ajv carries.
 */

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

const SchemaObject = { type: ['object', 'boolean'] };
const fields = (names: string[]) => ({ propertyNames: { anyOf: [{ enum: names }, { pattern: '^x-' }] } });
const MediaType = { type: 'object', required: ['schema'], properties: { schema: SchemaObject }, ...fields(['schema', 'example', 'examples', 'encoding']) };
const Content = { type: 'object', minProperties: 1, propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+$' }, additionalProperties: MediaType };
const Parameter = {
  type: 'object', required: ['name', 'in', 'schema'],
  properties: { name: { type: 'string', minLength: 1 }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, description: { type: 'string' }, schema: SchemaObject },
  ...fields(['name', 'in', 'description', 'required', 'deprecated', 'allowEmptyValue', 'style', 'explode', 'allowReserved', 'schema', 'example', 'examples']),
  // A path parameter is always required (OpenAPI 3.1, Parameter Object).
  if: { properties: { in: { const: 'path' } } }, then: { required: ['required'], properties: { required: { const: true } } },
};
const Response = {
  type: 'object', required: ['description'],
  properties: { description: { type: 'string', minLength: 1 }, content: Content, headers: { type: 'object', additionalProperties: { type: 'object', required: ['schema'], properties: { schema: SchemaObject } } } },
  ...fields(['description', 'headers', 'content', 'links']),
};
const Operation = {
  type: 'object', required: ['responses'],
  properties: {
    tags: { type: 'array', items: { type: 'string' } }, summary: { type: 'string' }, description: { type: 'string' }, operationId: { type: 'string' },
    parameters: { type: 'array', items: Parameter },
    requestBody: { type: 'object', required: ['content'], properties: { content: Content, required: { type: 'boolean' } }, ...fields(['description', 'content', 'required']) },
    responses: { type: 'object', minProperties: 1, propertyNames: { pattern: '^([1-5][0-9X]{2}|default)$' }, additionalProperties: Response },
  },
  ...fields(['tags', 'summary', 'description', 'externalDocs', 'operationId', 'parameters', 'requestBody', 'responses', 'callbacks', 'deprecated', 'security', 'servers']),
};
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const Document = {
  type: 'object', required: ['openapi', 'info'], anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.[0-9]+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' } }, ...fields(['title', 'summary', 'description', 'termsOfService', 'contact', 'license', 'version']) },
    tags: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, description: { type: 'string' } } } },
    paths: { type: 'object', propertyNames: { pattern: '^/' }, additionalProperties: { type: 'object', properties: Object.fromEntries(METHODS.map((m) => [m, Operation])), ...fields([...METHODS, '$ref', 'summary', 'description', 'servers', 'parameters']) } },
    components: { type: 'object', properties: { schemas: { type: 'object', additionalProperties: SchemaObject } } },
  },
  ...fields(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs']),
};

/** The validation errors of `value` against a JSON Schema 2020-12 (formats included), as one line; '' when it conforms. */
export function jsonSchemaProblems(schema: object, value: unknown): string {
  const validate = ajv.compile(schema);
  return validate(value) ? '' : ajv.errorsText(validate.errors, { separator: '; ' });
}

interface Param { name: string; in: string; required?: boolean; schema: Record<string, unknown> }
interface Op { tags?: string[]; parameters?: Param[]; responses: Record<string, { content?: Record<string, { schema: object }>; headers?: Record<string, { schema: object }> }>; requestBody?: { content: Record<string, { schema: object }> } }
export interface OpenApiDoc { tags?: { name: string }[]; paths: Record<string, Record<string, Op>>; components?: { schemas?: Record<string, object> } }

/** Every operation of the document as [method, path template, operation]. */
export const operations = (doc: OpenApiDoc) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]) => [m, path, op] as const));

/** What is wrong with an OpenAPI 3.1 document: its structure, its Schema Objects, and rules JSON Schema cannot state. */
export function openApiProblems(doc: OpenApiDoc): string[] {
  const problems: string[] = [];
  if (!ajv.validate(Document, doc)) problems.push(`structure: ${ajv.errorsText(ajv.errors, { separator: '; ' })}`);
  if (problems.length) return problems;
  const declared = new Set((doc.tags ?? []).map((t) => t.name));
  const schema = (where: string, s: object) => {
    if (!ajv.validateSchema(s)) problems.push(`${where}: not a JSON Schema 2020-12 (${ajv.errorsText(ajv.errors)})`);
  };
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) schema(`components.schemas.${name}`, s);
  for (const [method, path, op] of operations(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    const params = op.parameters ?? [];
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const name of inPath) if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${at}: {${name}} has no path parameter`);
    for (const p of params) {
      if (p.in === 'path' && !inPath.includes(p.name)) problems.push(`${at}: path parameter ${p.name} is not in the path`);
      if (params.filter((q) => q.in === p.in && q.name === p.name).length > 1) problems.push(`${at}: ${p.in} parameter ${p.name} twice`);
      if (p.required && p.in !== 'path' && 'default' in p.schema) problems.push(`${at}: ${p.name} has a default, so it is not required`);
      schema(`${at} parameter ${p.name}`, p.schema);
    }
    for (const t of op.tags ?? []) if (!declared.has(t)) problems.push(`${at}: tag ${t} is not declared`);
    for (const [type, m] of Object.entries(op.requestBody?.content ?? {})) schema(`${at} request ${type}`, m.schema);
    for (const [status, r] of Object.entries(op.responses)) {
      if (!r.content) problems.push(`${at} ${status}: no content type or schema`);
      for (const [type, m] of Object.entries(r.content ?? {})) schema(`${at} ${status} ${type}`, m.schema);
      for (const [h, header] of Object.entries(r.headers ?? {})) schema(`${at} ${status} header ${h}`, header.schema);
    }
    if (!Object.keys(op.responses).some((s) => /^[45]/.test(s))) problems.push(`${at}: no error response documented`);
  }
  return problems;
}

/** The operation a real request met: the path template it matches with the fewest parameters. */
export function operationFor(doc: OpenApiDoc, method: string, url: string): { path: string; op: Op } | undefined {
  const pathname = new URL(url, 'http://x').pathname;
  const matches = operations(doc).filter(([m, path]) => m === method.toLowerCase()
    && new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+?')}$`).test(pathname));
  const best = matches.sort((a, b) => a[1].split('{').length - b[1].split('{').length)[0];
  return best && { path: best[1], op: best[2] };
}

/** How a real answer departs from what the document says of it ('' when it conforms). */
export function answerProblems(doc: OpenApiDoc, method: string, url: string, res: { statusCode: number; headers: Record<string, unknown>; body: string }): string {
  const found = operationFor(doc, method, url);
  if (!found) return `${method} ${url}: no documented operation`;
  const known = new Set((found.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  const unknown = [...new URL(url, 'http://x').searchParams.keys()].filter((k) => !known.has(k));
  if (unknown.length) return `${method} ${url}: query parameters ${unknown.join(', ')} are not documented for ${found.path}`;
  const status = String(res.statusCode);
  const r = found.op.responses[status] ?? found.op.responses[`${status[0]}XX`] ?? found.op.responses.default;
  if (!r) return `${method} ${url}: ${status} is not documented for ${found.path}`;
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  const media = r.content?.[type];
  if (!media) return `${method} ${url}: ${status} as ${type} is not documented (only ${Object.keys(r.content ?? {}).join(', ')})`;
  const value = /json$/.test(type) ? JSON.parse(res.body) as unknown : res.body;
  const validate = ajv.compile(media.schema);
  return validate(value) ? '' : `${method} ${url}: ${status} ${type}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`;
}
