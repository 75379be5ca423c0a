import type { ColumnType } from 'kysely';

/** The district a voter declared for a cycle's ballot while building it (migration 0028). */
export interface PbDeclaredDistrictTable {
  municipality_id: number;
  cycle_id: number;
  user_id: number;
  district_id: number;
  declared_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The ballots' own tables, merged into the Database type in db/schema.ts. */
export interface BallotTables {
  pb_declared_districts: PbDeclaredDistrictTable;
}
