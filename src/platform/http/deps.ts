import type { Identifiers } from '../auth/identifiers.ts';
import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { Mailer } from '../notify/mailer.ts';
import type { FileStorage } from '../files/storage.ts';

/** The Fastify instance type every route file registers on. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What the platform hands to every route and service: built once in app.ts. */
export interface Deps {
  config: Readonly<Config>;
  db: Database;
  dialect: 'pglite' | 'postgres';
  mailer: Mailer;
  storage: FileStorage;
  /** Keyed hashes of national ids and document numbers. */
  identifiers: Identifiers;
}
