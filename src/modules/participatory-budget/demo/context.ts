import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { DemoPeople } from '../../../platform/module.ts';
import type { Actor } from '../cycles/cycle.service.ts';
import type { DemoTexts } from './demo-content.ts';
import { STAMPED, stampSince } from './demo.repo.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** What every step of the demo of one municipality works with. */
export interface DemoContext {
  deps: Deps;
  m: Municipality;
  texts: DemoTexts;
  people: DemoPeople;
  voters: CurrentUser[];
  official: Actor;
  admin: Actor;
  /** The department that estimates and builds the projects (communal services), where the municipality has one. */
  departmentId: number | null;
  /** The real moment the demo runs at. */
  now: number;
  clock: DemoClock;
}

/**
 * The demo replays each cycle's past through the services, which take the moment they act at (`now`): so a
 * project is submitted while submission was open and a ballot is cast while voting was. What a step stamps with
 * the database's clock instead (timeline events, implementation updates, rows' creation) is moved back to the
 * step's moment right after it, the only direct writes the demo makes.
 */
export class DemoClock {
  /**
   * Rows stamped after this were written by this run and not moved back yet: every replayed moment is hours before
   * it (notAfterNow), and a minute's margin allows for the database server's clock differing from ours.
   */
  private readonly mark = new Date(Date.now() - 60_000);

  constructor(private readonly db: Database, private readonly municipalityId: number) {}

  /** Moves what the last step wrote to the moment it happened. */
  async stamp(at: Date): Promise<void> {
    for (const table of STAMPED) await stampSince(this.db, table, this.municipalityId, this.mark, at);
  }
}

/** A moment `k + 1` of `n + 1` parts of the way from `from` to `until`. */
export const between = (from: Date, until: Date, k: number, n: number) => new Date(from.getTime() + ((k + 1) / (n + 1)) * (until.getTime() - from.getTime()));

/** The earlier of a date and a moment shortly before the demo runs (a replayed step never happens in the future). */
export const notAfterNow = (d: Date, now: number) => new Date(Math.min(d.getTime(), now - 2 * HOUR));
