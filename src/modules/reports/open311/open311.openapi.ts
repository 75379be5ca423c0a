import { Type, type TSchema } from 'typebox';
import type { OpenApiPart } from '../../../platform/module.ts';
import { DESCRIPTION_MAX } from '../report.service.ts';
import { Discovery, Open311Errors, PostedRequests, ServiceDefinition, ServiceRequests, Services, TokenRequests } from './open311.schemas.ts';
import { CONTACT_LIMITS } from './params.ts';

/*
 * Open311 in the OpenAPI document. Its routes take the resource and the format from one file name
 * (`services.xml`), so they cannot describe themselves per resource: each is described here, with the
 * schemas written from the specification, and the tests hold real answers to this description.
 */

const tags = ['open311'];
const query = (name: string, description: string, schema: TSchema | object = Type.String()) => ({ in: 'query', name, required: false, description, schema });
const path = (name: string, description: string, schema: TSchema | object = Type.String()) => ({ in: 'path', name, required: true, description, schema });

const format = path('format', 'json or xml: the format of the answer (errors too)', Type.Union([Type.Literal('json'), Type.Literal('xml')]));
const jurisdiction = query('jurisdiction_id', 'The municipality\'s slug; may be left out while a single municipality serves reports');
const languages = [
  query('locale', 'Language of names: uk, sr-Cyrl, sr-Latn, pl or en (else Accept-Language, else the municipality\'s)'),
  query('lang', 'The same as locale'),
];

const xml = (root: string) => ({ schema: Type.String({ description: `The same answer in GeoReport v2 XML, under <${root}>` }) });
const answer = (description: string, schema: TSchema, root: string) => ({ description, content: { 'application/json': { schema }, 'text/xml': xml(root) } });
const failures = (statuses: Record<number, string>) => Object.fromEntries(Object.entries(statuses).map(([status, description]) =>
  [status, { description, content: { 'application/json': { schema: Open311Errors }, 'text/xml': xml('errors') } }]));
const failed = { 400: 'A bad parameter, or jurisdiction_id missing where several municipalities serve reports', 404: 'Unknown jurisdiction, resource or format' };

const When = Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], { description: 'W3C date-time with a time zone, or a day' });

const PostBody = Type.Object({
  api_key: Type.String({ description: 'Issued by the municipality\'s administrator (see discovery\'s key_service)' }),
  jurisdiction_id: Type.Optional(Type.String()),
  service_code: Type.String(),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  address_string: Type.Optional(Type.String({ maxLength: 300 })),
  description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: CONTACT_LIMITS.email })),
  ...Object.fromEntries((['first_name', 'last_name', 'phone', 'device_id', 'account_id'] as const).map((k) => [k, Type.Optional(Type.String({ maxLength: CONTACT_LIMITS[k] }))])),
}, { additionalProperties: Type.Union([Type.String(), Type.Array(Type.String())]), description: 'Form-encoded; answers to the service\'s attributes as attribute[code]=value (attribute[code][]=value for several). Contact fields are kept for staff, never published.' });

/** The GeoReport v2 endpoint's operations, for the module's manifest. */
export const open311OpenApi: OpenApiPart = {
  tags: [{ name: 'reports', description: 'Problem reports on the map' }, { name: 'open311', description: 'Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2); errors are the specification\'s [{ code, description }]' }],
  paths: {
    '/open311/v2/discovery.{format}': {
      get: {
        tags, summary: 'Service discovery', parameters: [format, jurisdiction, ...languages],
        responses: { 200: answer('The endpoint, its specification and formats; key_service is where keys are issued', Discovery, 'discovery'), ...failures({ 404: failed[404] }) },
      },
    },
    '/open311/v2/services.{format}': {
      get: {
        tags, summary: 'The municipality\'s services (report categories)', parameters: [format, jurisdiction, ...languages],
        responses: { 200: answer('Active services', Services, 'services'), ...failures(failed) },
      },
    },
    '/open311/v2/services/{service_code}.{format}': {
      get: {
        tags, summary: 'A service\'s definition: its attributes', parameters: [path('service_code', 'The category\'s slug'), format, jurisdiction, ...languages],
        responses: { 200: answer('The service\'s attributes', ServiceDefinition, 'service_definition'), ...failures(failed) },
      },
    },
    '/open311/v2/requests.{format}': {
      get: {
        tags, summary: 'Service requests (reports), newest first, at most 1,000',
        parameters: [format, jurisdiction, ...languages,
          query('service_request_id', 'Report numbers separated by commas; overrides the other filters\' default window', Type.String({ pattern: '^[0-9]+(,[0-9]+)*$' })),
          query('service_code', 'One service; an unknown one answers 400'),
          query('start_date', 'Earliest requested_datetime (without any date: the last 90 days)', When),
          query('end_date', 'Latest requested_datetime; a day includes that day', When),
          query('status', 'open or closed', Type.Union([Type.Literal('open'), Type.Literal('closed')]))],
        responses: { 200: answer('Matching requests', ServiceRequests, 'service_requests'), ...failures(failed) },
      },
      post: {
        tags, summary: 'File a service request', parameters: [format],
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: PostBody } } },
        responses: {
          201: answer('Filed: its service_request_id and a token', PostedRequests, 'service_requests'),
          ...failures({ 400: 'Missing or bad fields, an unknown service_code, a place outside the municipality or bad attributes; nothing is written', 403: 'A missing, unknown or revoked api_key', 404: failed[404] }),
        },
      },
    },
    '/open311/v2/requests/{service_request_id}.{format}': {
      get: {
        tags, summary: 'One service request', parameters: [path('service_request_id', 'The report\'s number', Type.String({ pattern: '^[0-9]+$' })), format, jurisdiction, ...languages],
        responses: { 200: answer('The request, in a list of one', ServiceRequests, 'service_requests'), ...failures(failed) },
      },
    },
    '/open311/v2/tokens/{token}.{format}': {
      get: {
        tags, summary: 'The service request a POST\'s token became', parameters: [path('token', 'As the POST answered it'), format, jurisdiction],
        responses: { 200: answer('The token and its service_request_id', TokenRequests, 'service_requests'), ...failures(failed) },
      },
    },
  },
};
