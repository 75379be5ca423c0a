import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../../db/schema.ts';

/** The ways a municipality may offer to become a confirmed resident (`municipalities.resident_ways`). */
export const RESIDENT_WAYS = ['identity', 'in_person', 'request', 'letter', 'census'] as const;
export type ResidentWay = (typeof RESIDENT_WAYS)[number];

/** How a confirmation was made (`resident_verifications.method`); `official` is the older, per-account confirmation. */
export type ResidentMethod = 'official' | 'census' | 'in_person' | 'request' | 'letter';

/** Kinds of identity document a registrar may record (the number is kept only as a keyed hash). */
export const DOCUMENT_TYPES = ['passport', 'id_card', 'residence_permit', 'driving_licence', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type ResidenceRequestStatus = 'pending' | 'approved' | 'refused' | 'withdrawn';

export interface ResidenceRequestTable {
  id: Generated<number>;
  municipality_id: number;
  user_id: number;
  address: string;
  document_file_id: string | null;
  next_path: string | null;
  /** The district the resident named (migration 0031), where the municipality has districts. */
  district_id: ColumnType<number | null, number | null | undefined, number | null>;
  status: ColumnType<ResidenceRequestStatus, ResidenceRequestStatus | undefined, ResidenceRequestStatus>;
  reason: string | null;
  due_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ResidenceLetterTable {
  id: Generated<number>;
  municipality_id: number;
  user_id: number;
  recipient: string;
  address: string;
  code_hash: string | null;
  printed_by: number | null;
  printed_at: Timestamp | null;
  expires_at: Timestamp | null;
  attempts: Generated<number>;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

/** The residence tables (migration 0016), merged into the database's type. */
export interface ResidenceTables {
  residence_requests: ResidenceRequestTable;
  residence_letters: ResidenceLetterTable;
}
