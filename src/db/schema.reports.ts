import type { ColumnType, Generated, RawBuilder } from 'kysely';
import type { CreatedAt, Json, JsonDefault, LocalizedText, Nullable, Timestamp } from './schema.ts';

export type ReportStatus = 'new' | 'acknowledged' | 'in_progress' | 'scheduled' | 'fixed' | 'closed';
export type ReportCloseReason = 'not_responsible' | 'duplicate' | 'no_action';
export type QuestionKind = 'text' | 'number' | 'date' | 'single' | 'multiple';

/** One extra question of a report category. */
export interface ReportQuestion {
  key: string;
  kind: QuestionKind;
  required: boolean;
  labels: LocalizedText;
  options?: { value: string; labels: LocalizedText }[];
}

export interface ReportCategoryTable {
  id: Generated<number>;
  municipality_id: number;
  slug: string;
  names: Json<LocalizedText>;
  department_id: Nullable<number>;
  questions: JsonDefault<ReportQuestion[]>;
  ack_hours: Generated<number>;
  fix_days: Generated<number>;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface ReportTable {
  id: Generated<number>;
  municipality_id: number;
  number: number;
  category_id: number;
  department_id: Nullable<number>;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  close_reason: Nullable<ReportCloseReason>;
  duplicate_of: Nullable<number>;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  lat: number;
  lng: number;
  /** point(lng, lat), written with `sql` and never read: read lat and lng. */
  location: ColumnType<never, RawBuilder<unknown>, RawBuilder<unknown>>;
  /** False when only an address was given: lat/lng are then the municipality's centre. */
  located: ColumnType<boolean, boolean | undefined, boolean>;
  address: Nullable<string>;
  author_id: Nullable<number>;
  show_name: ColumnType<boolean, boolean | undefined, boolean>;
  answers: JsonDefault<Record<string, string | number | string[]>>;
  supporters: Generated<number>;
  source: ColumnType<'web' | 'open311', 'web' | 'open311' | undefined, never>;
  api_key_id: Nullable<number>;
  /** What an Open311 client gave of the person (name, e-mail, phone): staff only. */
  contact: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  open311_token: Nullable<string>;
  created_at: CreatedAt;
  acknowledged_at: Nullable<Date>;
  fixed_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReportEventTable {
  id: Generated<number>;
  municipality_id: number;
  report_id: number;
  kind: string;
  from_status: Nullable<ReportStatus>;
  to_status: Nullable<ReportStatus>;
  note: Nullable<string>;
  public: ColumnType<boolean, boolean | undefined, boolean>;
  actor_id: Nullable<number>;
  created_at: CreatedAt;
}

export interface ReportSupporterTable {
  municipality_id: number;
  report_id: number;
  user_id: number;
  created_at: CreatedAt;
}

export interface Open311KeyTable {
  id: Generated<number>;
  municipality_id: number;
  name: string;
  key_hash: string;
  created_by: Nullable<number>;
  created_at: CreatedAt;
  revoked_at: Nullable<Date>;
}

export interface ReportSubscriptionTable {
  id: Generated<number>;
  municipality_id: number;
  user_id: number;
  /** A circle around a point, or else a district. */
  lat: Nullable<number>;
  lng: Nullable<number>;
  radius_m: Nullable<number>;
  district_id: Nullable<number>;
  category_id: Nullable<number>;
  created_at: CreatedAt;
}

export interface ReportPhotoTable {
  municipality_id: number;
  report_id: number;
  file_id: string;
  kind: 'report' | 'fix';
  created_by: Nullable<number>;
  created_at: CreatedAt;
}

export interface ReportTemplateTable {
  id: Generated<number>;
  municipality_id: number;
  title: string;
  body: string;
  created_by: Nullable<number>;
  created_at: CreatedAt;
}

/** A resident following a report's updates (migration 0009). */
export interface ReportFollowerTable {
  municipality_id: number;
  report_id: number;
  user_id: number;
  created_at: CreatedAt;
}

/** A guest's report waiting for its e-mail link to be followed (migration 0008). */
export interface ReportPendingTable {
  municipality_id: number;
  token_hash: string;
  email: string;
  full_name: string;
  locale: string;
  /** The report as typed (see NewReport), filed when confirmed. */
  report: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  confirmed_at: Timestamp | null;
  report_number: Nullable<number>;
}

/** The tables of the reports module (migrations 0007 to 0009). */
export interface ReportTables {
  report_categories: ReportCategoryTable;
  reports: ReportTable;
  report_events: ReportEventTable;
  report_supporters: ReportSupporterTable;
  open311_keys: Open311KeyTable;
  report_subscriptions: ReportSubscriptionTable;
  report_photos: ReportPhotoTable;
  report_templates: ReportTemplateTable;
  report_pending: ReportPendingTable;
  report_followers: ReportFollowerTable;
}
