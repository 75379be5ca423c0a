import type { TObject } from 'typebox';
import type { Database } from '../db/database.ts';
import type { Municipality } from '../db/schema.ts';
import type { App, Deps } from './http/deps.ts';
import type { JobHandler } from './jobs/queue.ts';
import type { AuditSubject } from './audit/audit.subject.ts';
import type { ChainMeaning } from './ledger/verify/replay.ts';

/** What a feature module tells the platform about itself, through its index.ts. */
export interface ModuleManifest {
  /** URL segment and settings key, e.g. `petitions`. */
  id: string;
  /** Message key of the module's name in navigation. */
  nameKey: string;
  /** Message key of one sentence shown on the municipality home. */
  summaryKey: string;
  /** Registers routes; municipality pages live under `/:locale/:municipality/<id>`. */
  routes?(app: App, deps: Deps): void | Promise<void>;
  jobs?: Record<string, JobHandler>;
  /** Work the worker repeats on its own (sealing batches, closing expired items); each run must be safe to overlap with another worker's. */
  periodic?: PeriodicTask[];
  /** Staff pages listed in the municipality's administration for those holding `action`; `path` follows the municipality slug. */
  staffPages?: { path: string; labelKey: string; action: string }[];
  /** Per-municipality settings with defaults, edited on the admin settings page. */
  settings?: TObject;
  /**
   * How the audit log shows the module's subjects (`report` → a link to `/<slug>/reports/12` and its title).
   * Its actions are named by the messages `audit.action.<action>` and its subjects by `audit.subject.<type>`.
   */
  auditSubjects?: Record<string, AuditSubject>;
  /** What the module documents in the OpenAPI document by hand (routes under /api/v1 document themselves). */
  openapi?: OpenApiPart;
  /** The module's public pages of a municipality past its list (`/petitions/7`), for sitemap.xml; paths follow the slug. */
  publicPages?(db: Database, municipality: Municipality): Promise<SitemapPage[]>;
  /** The ledger chains the module writes (`petition:12`), and which of them anyone may read. */
  ledger?: LedgerChains;
  /** Fills a municipality with realistic demo content, through the platform's own dependencies (its keys among them). */
  demo?(deps: Deps, municipality: Municipality, people: DemoPeople): Promise<void>;
  /** The public datasets the module publishes, for the open-data catalogue (src/platform/data-exports.ts). */
  exports?: DataExport[];
}

/** A format a dataset is published in; DATA_FORMAT_TYPES gives its media type. */
export type DataFormat = 'json' | 'csv' | 'geojson' | 'atom' | 'xml';

/**
 * One public dataset of a module. Each format's `url` is a path template on the site: `{municipality}` (the slug)
 * and `{locale}` are filled by the catalogue, any other placeholder (`{cycle}`, `{petition}`) by `instances`.
 */
export interface DataExport {
  /** Stable within the module: `projects`, `ballots`. */
  id: string;
  /** Message keys of its name and of one or two sentences on what it holds. */
  titleKey: string;
  descriptionKey: string;
  formats: { format: DataFormat; url: string }[];
  /** For a dataset published per item (a cycle, a petition): the values of its placeholders, one set per item published now. */
  instances?(db: Database, municipality: Municipality): Promise<Record<string, string>[]>;
}

/** A module's chains in the public ledger: named `<prefix>:<key>`; `visible` says whether anyone may read one. */
export interface LedgerChains {
  prefix: string;
  visible(db: Database, municipality: Municipality, key: string): Promise<boolean>;
  /** The page that shows the chain to people (a local path after the locale), e.g. `/zhovkva/petitions/12/ledger`. */
  page(municipality: Municipality, key: string): string;
  /** What `hromada verify-ledger` checks of the chain's entries beyond the hash chain and tree (their meaning, the count). */
  meaning?: () => ChainMeaning;
}

/** Tags and OpenAPI 3.1 path items a module adds to /api/openapi.json. */
export interface OpenApiPart {
  tags?: { name: string; description: string }[];
  paths?: Record<string, Record<string, unknown>>;
}

/** A page in sitemap.xml: its path after the municipality's slug, and when it last changed. */
export interface SitemapPage {
  path: string;
  updated?: Date;
}

/** A task every worker runs at most once per `everySeconds`. */
export interface PeriodicTask {
  name: string;
  everySeconds: number;
  run(deps: Deps): Promise<unknown>;
}

/** The demo accounts a module may attach content to. */
export interface DemoPeople {
  residents: number[];
  officials: number[];
  moderators: number[];
  admin: number;
}
