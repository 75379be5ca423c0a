import type { ColumnType, Generated, Insertable, RawBuilder, Selectable, Updateable } from 'kysely';
import type { ReportTables } from './schema.reports.ts';
import type { DocumentType, ResidenceTables, ResidentMethod, ResidentWay } from '../platform/residence/residence.tables.ts';
import type { SamlTables } from '../platform/auth/identity/saml.tables.ts';
import type { LedgerTables } from '../platform/ledger/ledger.tables.ts';
import type { PbTables } from '../modules/participatory-budget/pb.tables.ts';
import type { BallotTables } from '../modules/participatory-budget/ballots/ballots.tables.ts';

/** A text stored per locale: `{ "uk": "Жовква", "en": "Zhovkva" }`. */
export type LocalizedText = Partial<Record<string, string>>;
export type Json<T> = ColumnType<T, string, string>;
export type JsonDefault<T> = ColumnType<T, string | undefined, string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface AssociationTable {
  id: Generated<number>;
  names: Json<LocalizedText>;
  created_at: CreatedAt;
}

export interface MunicipalityTable {
  id: Generated<number>;
  slug: string;
  names: Json<LocalizedText>;
  official_code: string;
  population: Generated<number>;
  center_lat: number;
  center_lng: number;
  zoom: Generated<number>;
  enabled_modules: JsonDefault<string[]>;
  settings: JsonDefault<Record<string, Record<string, unknown>>>;
  default_locale: string;
  currency: string;
  time_zone: Generated<string>;
  logo_file_id: ColumnType<string | null, string | null | undefined, string | null>;
  host: ColumnType<string | null, string | null | undefined, string | null>;
  /** Public contact residents are sent to (migration 0015). */
  contact_email: ColumnType<string | null, string | null | undefined, string | null>;
  contact_phone: ColumnType<string | null, string | null | undefined, string | null>;
  contact_address: ColumnType<string | null, string | null | undefined, string | null>;
  /** Ways offered to become a confirmed resident (migration 0016). */
  resident_ways: JsonDefault<ResidentWay[]>;
  created_at: CreatedAt;
}

export interface DepartmentTable {
  id: Generated<number>;
  municipality_id: number;
  slug: string;
  names: Json<LocalizedText>;
  email: string | null;
  created_at: CreatedAt;
}

/** A named part of a municipality (migration 0008); its shape is in district_parts. */
export interface DistrictTable {
  id: Generated<number>;
  municipality_id: number;
  slug: string;
  names: Json<LocalizedText>;
  created_at: CreatedAt;
}

/** One polygon of a district (x = longitude, y = latitude), written as PostgreSQL polygon text. */
export interface DistrictPartTable {
  id: Generated<number>;
  municipality_id: number;
  district_id: number;
  shape: ColumnType<string, string | RawBuilder<unknown>, never>;
}

export type PlatformRole = 'platform_admin' | 'association_admin';

export interface UserTable {
  id: Generated<number>;
  email: string | null;
  password_hash: string | null;
  full_name: string;
  locale: string;
  email_verified_at: Timestamp | null;
  identity_verified_at: Timestamp | null;
  identity_provider: string | null;
  identity_subject: string | null;
  residence_municipality_id: number | null;
  /** Keyed hash of the national id a national identity provider vouched for (migration 0019). */
  national_id_hash: ColumnType<string | null, string | null | undefined, string | null>;
  platform_role: PlatformRole | null;
  /** A calendar date (YYYY-MM-DD) and whose word it is (migration 0024). */
  birth_date: ColumnType<string | null, string | null | undefined, string | null>;
  birth_date_source: ColumnType<'identity' | 'declared' | null, 'identity' | 'declared' | null | undefined, 'identity' | 'declared' | null>;
  deleted_at: Timestamp | null;
  created_at: CreatedAt;
}

export type MunicipalRole = 'moderator' | 'official' | 'admin' | 'registrar';

export interface MembershipTable {
  municipality_id: number;
  user_id: number;
  role: MunicipalRole;
  created_at: CreatedAt;
}

export interface OfficialDepartmentTable {
  municipality_id: number;
  user_id: number;
  department_id: number;
}

export interface ResidentVerificationTable {
  municipality_id: number;
  user_id: number;
  method: ResidentMethod;
  verified_by: number | null;
  document_type: ColumnType<DocumentType | null, DocumentType | null | undefined, DocumentType | null>;
  /** A keyed hash of the document's number (platform/auth/identifiers.ts), never the number. */
  document_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** The district of the confirmed address, where one was recorded (migration 0024). */
  district_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

export interface CensusEntryTable {
  municipality_id: number;
  /** An e-mail address (lower-cased), or for `document` a keyed hash of a document number. */
  identifier: string;
  kind: ColumnType<'email' | 'document', 'email' | 'document' | undefined, 'email' | 'document'>;
  address: ColumnType<string | null, string | null | undefined, string | null>;
  uploaded_by: number | null;
  created_at: CreatedAt;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export type TokenPurpose = 'verify_email' | 'reset_password' | 'setup';

export interface TokenTable {
  id: string;
  user_id: number | null;
  purpose: TokenPurpose;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  municipality_id: number | null;
  state: Generated<JobState>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: Timestamp | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  municipality_id: number | null;
  kind: string;
  params: Json<Record<string, string | number>>;
  link: string | null;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationPreferenceTable {
  user_id: number;
  kind: string;
  email: boolean;
  in_app: boolean;
}

export interface OutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  municipality_id: number | null;
  actor_id: number | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  ip: string | null;
  created_at: CreatedAt;
}

export interface FileTable {
  id: string;
  municipality_id: number | null;
  owner_id: number | null;
  mime: string;
  size: number;
  sha256: string;
  original_name: string;
  storage_key: string;
  created_at: CreatedAt;
}

export interface LedgerEntryTable {
  id: Generated<number>;
  municipality_id: number;
  chain: string;
  seq: number;
  kind: string;
  payload: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
  /** The entry's Merkle leaf hash (platform/ledger/merkle.ts); null only before the tree was built for it. */
  leaf: Buffer | null;
  created_at: CreatedAt;
}

export interface RateLimitTable {
  key: string;
  count: number;
  reset_at: Timestamp;
  /** Attempt limits only (`platform/auth/attempts.ts`): locked until then after too many failures. */
  blocked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A create already done for a (municipality, actor, key): see platform/idempotency. */
export interface IdempotencyKeyTable {
  municipality_id: number;
  actor: string;
  key: string;
  answer: Json<unknown>;
  created_at: CreatedAt;
}

export interface SecretTable {
  name: string;
  value: string;
}

// --- petitions (migration 2026_11_24_0003_petitions) ---

export type PetitionStatus = 'draft' | 'supporters' | 'moderation' | 'open' | 'awaiting_response' | 'answered' | 'closed' | 'rejected';
export type PetitionOutcome = 'supported' | 'partly_supported' | 'not_supported';
export type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface PetitionCategoryTable {
  id: Generated<number>;
  municipality_id: number;
  slug: string;
  names: Json<LocalizedText>;
  position: Generated<number>;
}

export interface PetitionTable {
  id: Generated<number>;
  municipality_id: number;
  number: number;
  author_id: number | null;
  category_id: Nullable<number>;
  title: string;
  body: string;
  status: ColumnType<PetitionStatus, PetitionStatus | undefined, PetitionStatus>;
  threshold: Nullable<number>;
  period_days: Nullable<number>;
  supporters_needed: Generated<number>;
  submitted_at: Nullable<Date>;
  moderation_due_at: Nullable<Date>;
  published_at: Nullable<Date>;
  closes_at: Nullable<Date>;
  threshold_reached_at: Nullable<Date>;
  response_due_at: Nullable<Date>;
  answered_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  rejection_reason: Nullable<string>;
  close_reason: Nullable<string>;
  response_outcome: Nullable<PetitionOutcome>;
  response_text: Nullable<string>;
  response_file_id: Nullable<string>;
  responded_by: Nullable<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PetitionFileTable {
  municipality_id: number;
  petition_id: number;
  file_id: string;
}

export interface PetitionInvalidationTable {
  id: Generated<number>;
  municipality_id: number;
  petition_id: number;
  actor_id: number | null;
  reason: string;
  filter: Json<Record<string, unknown>>;
  /** Opens the commitment to the filter in the invalidation's ledger entries (hex); null before migration 0022. */
  filter_salt: string | null;
  count: number;
  created_at: CreatedAt;
}

export interface PetitionSignatureTable {
  id: Generated<number>;
  municipality_id: number;
  petition_id: number;
  user_id: number;
  signed_at: CreatedAt;
  ip_prefix: Nullable<string>;
  email_domain: Nullable<string>;
  invalidation_id: Nullable<number>;
}

/** Signatures waiting for the sealing task (see migration 0006). */
export interface PetitionUnsealedTable {
  municipality_id: number;
  petition_id: number;
  signature_id: number;
  user_id: number;
  signed_at: Date;
}

/** One sealed batch: signature ids in ascending order and, position by position, their seq in the chain. */
export interface PetitionSealBatchTable {
  id: Generated<number>;
  municipality_id: number;
  petition_id: number;
  first_signature_id: number;
  last_signature_id: number;
  signature_ids: number[];
  seqs: number[];
  sealed_at: CreatedAt;
}

export interface PetitionTallyTable {
  petition_id: number;
  municipality_id: number;
  sealed_valid: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PetitionEventTable {
  id: Generated<number>;
  municipality_id: number;
  petition_id: number;
  kind: string;
  actor_id: number | null;
  note: Nullable<string>;
  created_at: CreatedAt;
}

export interface PetitionBlockedDomainTable {
  municipality_id: number;
  domain: string;
  created_at: CreatedAt;
}

/** Every table; module tables that would make this file too long live in schema.<module>.ts. */
export interface DB extends ReportTables, ResidenceTables, SamlTables, LedgerTables, PbTables, BallotTables {
  association: AssociationTable;
  municipalities: MunicipalityTable;
  departments: DepartmentTable;
  districts: DistrictTable;
  district_parts: DistrictPartTable;
  users: UserTable;
  memberships: MembershipTable;
  official_departments: OfficialDepartmentTable;
  resident_verifications: ResidentVerificationTable;
  census_entries: CensusEntryTable;
  sessions: SessionTable;
  tokens: TokenTable;
  jobs: JobTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  files: FileTable;
  ledger_entries: LedgerEntryTable;
  rate_limits: RateLimitTable;
  idempotency_keys: IdempotencyKeyTable;
  secrets: SecretTable;
  petition_categories: PetitionCategoryTable;
  petitions: PetitionTable;
  petition_files: PetitionFileTable;
  petition_invalidations: PetitionInvalidationTable;
  petition_signatures: PetitionSignatureTable;
  petition_tallies: PetitionTallyTable;
  petition_unsealed: PetitionUnsealedTable;
  petition_seal_batches: PetitionSealBatchTable;
  petition_events: PetitionEventTable;
  petition_blocked_domains: PetitionBlockedDomainTable;
}

export type Municipality = Selectable<MunicipalityTable>;
export type NewMunicipality = Insertable<MunicipalityTable>;
export type MunicipalityUpdate = Updateable<MunicipalityTable>;
export type Department = Selectable<DepartmentTable>;
export type User = Selectable<UserTable>;
export type Petition = Selectable<PetitionTable>;
export type PetitionCategory = Selectable<PetitionCategoryTable>;
