import { Type, type TSchema } from 'typebox';

/**
 * GeoReport v2's resources as JSON Schemas, written from the specification (wiki.open311.org/GeoReport_v2
 * and the Open311 project's schema-validation JSON Schemas): what a conforming client may rely on, not
 * what this server happens to send. The OpenAPI document publishes them and the tests hold real answers,
 * JSON and XML, to them.
 */
const OrNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A field the specification lets a server leave out or send empty. */
const Maybe = <T extends TSchema>(t: T) => Type.Optional(OrNull(t));
const When = Type.String({ format: 'date-time' });

export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), {
  minItems: 1, description: 'GeoReport v2 errors: `[{ code, description }]` (`<errors><error>` in XML), `code` the HTTP status.',
});

export const Discovery = Type.Object({
  changeset: When, contact: Type.String(), key_service: Type.String(),
  endpoints: Type.Array(Type.Object({
    specification: Type.String({ format: 'uri' }), url: Type.String({ format: 'uri' }), changeset: When,
    type: Type.Union([Type.Literal('production'), Type.Literal('test')]), formats: Type.Array(Type.String()),
  })),
});

export const Services = Type.Array(Type.Object({
  service_code: Type.String(), service_name: Type.String(), description: Maybe(Type.String()), metadata: Type.Boolean(),
  type: Type.Union(['realtime', 'batch', 'blackbox'].map((s) => Type.Literal(s))), keywords: Maybe(Type.String()), group: Maybe(Type.String()),
}));

export const ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Type.Object({
    variable: Type.Boolean(), code: Type.String(),
    datatype: Type.Union(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].map((s) => Type.Literal(s))),
    required: Type.Boolean(), datatype_description: Maybe(Type.String()), order: Maybe(Type.Integer()), description: Maybe(Type.String()),
    values: Type.Optional(Type.Array(Type.Object({ key: Type.String(), name: Type.String() }))),
  })),
});

/** The specification limits a description to 4,000 characters. */
export const ServiceRequests = Type.Array(Type.Object({
  service_request_id: Type.String(), status: Type.Union([Type.Literal('open'), Type.Literal('closed')]), status_notes: Maybe(Type.String()),
  service_name: Maybe(Type.String()), service_code: Type.String(), description: Maybe(Type.String({ maxLength: 4000 })),
  agency_responsible: Maybe(Type.String()), service_notice: Maybe(Type.String()), requested_datetime: When,
  updated_datetime: Maybe(When), expected_datetime: Maybe(When), address: Maybe(Type.String()), address_id: Maybe(Type.String()),
  zipcode: Maybe(Type.String()), lat: Maybe(Type.Number({ minimum: -90, maximum: 90 })), long: Maybe(Type.Number({ minimum: -180, maximum: 180 })),
  media_url: Maybe(Type.String({ format: 'uri' })),
}));

/** What POST answers: the new request's id (or a token, for servers that file later). */
export const PostedRequests = Type.Array(Type.Object({
  service_request_id: Type.Optional(Type.String()), token: Type.Optional(Type.String()), service_notice: Maybe(Type.String()), account_id: Maybe(Type.String()),
}, { anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }] }), { minItems: 1 });

export const TokenRequests = Type.Array(Type.Object({ service_request_id: OrNull(Type.String()), token: Type.String() }));
