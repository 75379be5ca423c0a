import type { ColumnType, Generated, RawBuilder, Selectable } from 'kysely';
import type { CreatedAt, Json, JsonDefault, LocalizedText, Nullable } from '../../db/schema.ts';

/** The participatory budget's tables (migration 0023), merged into the Database type in db/schema.ts. */

export type VotingRule = 'approval' | 'knapsack';
export type AgeSource = 'identity' | 'identity_or_declared';
export type CycleStatus = 'draft' | 'published';
export type ProjectStatus = 'draft' | 'submitted' | 'returned' | 'admitted' | 'rejected' | 'withdrawn';
export type ImplementationStatus = 'planned' | 'procurement' | 'in_progress' | 'completed' | 'cancelled';
export type BallotChannel = 'online' | 'paper';

/** One line of a project's cost table; unitPrice in minor units (kopiykas), quantity up to three decimals ×1000. */
export interface CostItem {
  item: string;
  /** Thousandths of a unit (2.5 m² → 2500), so every line total is an exact integer. */
  quantity: number;
  unit: string;
  unitPrice: number;
}

type Settable<T> = ColumnType<T, T | undefined, T>;
type Time = ColumnType<Date, Date | string, Date | string>;
type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface PbCycleTable {
  id: Generated<number>;
  municipality_id: number;
  number: number;
  year: number;
  title: string;
  description: Settable<string>;
  currency: string;
  total_amount: number;
  status: Settable<CycleStatus>;
  rule: Settable<VotingRule>;
  max_choices: Nullable<number>;
  max_per_category: Nullable<number>;
  min_choices: Nullable<number>;
  min_share_pct: Nullable<number>;
  vote_level: Settable<string>;
  submit_level: Settable<string>;
  min_age: Nullable<number>;
  age_source: Settable<AgeSource>;
  ballot_changes: Settable<boolean>;
  submission_opens: Time;
  submission_closes: Time;
  review_closes: Time;
  revision_closes: MaybeTime;
  voting_opens: Time;
  voting_closes: Time;
  implementation_opens: Time;
  review_days: Settable<number>;
  published_at: MaybeTime;
  frozen_at: MaybeTime;
  results_published_at: MaybeTime;
  created_at: CreatedAt;
  updated_at: Settable<Date>;
}

export interface PbCycleDocumentTable {
  id: Generated<number>;
  municipality_id: number;
  cycle_id: number;
  file_id: string;
  title: string;
  created_at: CreatedAt;
}

export interface PbCategoryTable {
  id: Generated<number>;
  municipality_id: number;
  cycle_id: number;
  slug: string;
  names: Json<LocalizedText>;
  district_id: Nullable<number>;
  amount: number;
  min_cost: Settable<number>;
  max_cost: number;
  position: Settable<number>;
  created_at: CreatedAt;
}

export interface PbProjectTable {
  id: Generated<number>;
  municipality_id: number;
  cycle_id: number;
  number: number;
  category_id: number;
  author_id: number;
  status: Settable<ProjectStatus>;
  title: string;
  summary: Settable<string>;
  description: Settable<string>;
  beneficiaries: Settable<string>;
  lat: Nullable<number>;
  lng: Nullable<number>;
  /** point(lng, lat), written with `sql` and never read: read lat and lng. */
  location: ColumnType<never, RawBuilder<unknown> | null | undefined, RawBuilder<unknown> | null>;
  address: Nullable<string>;
  district_id: Nullable<number>;
  cost_items: JsonDefault<CostItem[]>;
  cost_total: Settable<number>;
  department_cost: Nullable<number>;
  department_id: Nullable<number>;
  review_due_at: MaybeTime;
  resubmit_by: MaybeTime;
  decision_note: Nullable<string>;
  submitted_at: MaybeTime;
  decided_at: MaybeTime;
  funded: Nullable<boolean>;
  impl_status: Nullable<ImplementationStatus>;
  progress: Settable<number>;
  contracted: Nullable<number>;
  spent: Settable<number>;
  /** A date (YYYY-MM-DD) in the municipality's calendar. */
  due_on: Nullable<string>;
  /** Written with searchVector (platform/search) and never read. */
  search: ColumnType<never, RawBuilder<string> | undefined, RawBuilder<string>>;
  created_at: CreatedAt;
  updated_at: Settable<Date>;
}

export interface PbProjectAuthorTable {
  municipality_id: number;
  project_id: number;
  user_id: number;
  created_at: CreatedAt;
}

export interface PbProjectFileTable {
  id: Generated<number>;
  municipality_id: number;
  project_id: number;
  file_id: string;
  kind: 'photo' | 'document';
  stage: Settable<'proposal' | 'implementation'>;
  update_id: Nullable<number>;
  caption: Settable<string>;
  created_at: CreatedAt;
}

export interface PbProjectEventTable {
  id: Generated<number>;
  municipality_id: number;
  project_id: number;
  kind: string;
  note: Nullable<string>;
  data: JsonDefault<Record<string, unknown>>;
  public: Settable<boolean>;
  actor_id: Nullable<number>;
  created_at: CreatedAt;
}

export interface PbFollowerTable {
  municipality_id: number;
  project_id: number;
  user_id: number;
  created_at: CreatedAt;
}

export interface PbSelectionTable {
  municipality_id: number;
  cycle_id: number;
  user_id: number;
  project_id: number;
  created_at: CreatedAt;
}

export interface PbBallotTable {
  id: Generated<number>;
  municipality_id: number;
  cycle_id: number;
  channel: BallotChannel;
  user_id: Nullable<number>;
  recorded_by: Nullable<number>;
  voter: string;
  choices: number[];
  version: Settable<number>;
  district_id: Nullable<number>;
  age_band: Nullable<string>;
  cast_at: CreatedAt;
  changed_at: Settable<Date>;
}

export interface PbVoterTable {
  cycle_id: number;
  person_key: string;
  ballot_id: number;
}

export interface PbUpdateTable {
  id: Generated<number>;
  municipality_id: number;
  project_id: number;
  body: string;
  progress: Nullable<number>;
  author_id: Nullable<number>;
  created_at: CreatedAt;
}

export interface PbMilestoneTable {
  id: Generated<number>;
  municipality_id: number;
  project_id: number;
  title: string;
  due_on: string;
  done_on: Nullable<string>;
  position: Settable<number>;
}

export interface PbResultTable {
  municipality_id: number;
  cycle_id: number;
  project_id: number;
  votes: number;
  rank: number;
  funded: boolean;
}

export interface PbTables {
  pb_cycles: PbCycleTable;
  pb_cycle_documents: PbCycleDocumentTable;
  pb_categories: PbCategoryTable;
  pb_projects: PbProjectTable;
  pb_project_authors: PbProjectAuthorTable;
  pb_project_files: PbProjectFileTable;
  pb_project_events: PbProjectEventTable;
  pb_followers: PbFollowerTable;
  pb_selections: PbSelectionTable;
  pb_ballots: PbBallotTable;
  pb_voters: PbVoterTable;
  pb_updates: PbUpdateTable;
  pb_milestones: PbMilestoneTable;
  pb_results: PbResultTable;
}

export type Cycle = Selectable<PbCycleTable>;
export type Category = Selectable<PbCategoryTable>;
export type Project = Omit<Selectable<PbProjectTable>, 'location' | 'search'>;
