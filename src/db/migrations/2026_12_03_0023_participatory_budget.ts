import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Participatory budget (module `participatory-budget`): yearly cycles with dated phases and categories, residents'
 * projects with their cost tables, technical review, ballots (each also an entry of the cycle's ledger chain),
 * results and implementation. Money is kept in minor units (kopiykas, grosze, pare) as bigint, so every sum is
 * exact and every amount in the ledger an integer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE pb_cycles (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      number integer NOT NULL,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      title text NOT NULL CHECK (length(title) BETWEEN 3 AND 160),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      total_amount bigint NOT NULL CHECK (total_amount >= 0),
      -- draft: prepared by the administrator, seen only by staff; published: its phases run by their dates.
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
      -- Voting rule: approval (up to max_choices projects, at most max_per_category in a category, at least
      -- min_choices) or knapsack (projects whose costs fit each category's amount, at least min_share_pct of it).
      rule text NOT NULL DEFAULT 'approval' CHECK (rule IN ('approval', 'knapsack')),
      max_choices integer CHECK (max_choices BETWEEN 1 AND 100),
      max_per_category integer CHECK (max_per_category BETWEEN 1 AND 100),
      min_choices integer CHECK (min_choices BETWEEN 1 AND 100),
      min_share_pct integer CHECK (min_share_pct BETWEEN 1 AND 100),
      -- Eligibility: the verification level (platform/auth/current-user.ts), a minimum age and whose word on it counts.
      vote_level text NOT NULL DEFAULT 'resident',
      submit_level text NOT NULL DEFAULT 'email',
      min_age integer CHECK (min_age BETWEEN 1 AND 120),
      age_source text NOT NULL DEFAULT 'identity_or_declared' CHECK (age_source IN ('identity', 'identity_or_declared')),
      -- Whether a cast ballot may be changed until voting closes (each change a new ledger entry).
      ballot_changes boolean NOT NULL DEFAULT false,
      -- Phase dates; revision is optional. Information runs from publication to submission_opens.
      submission_opens timestamptz NOT NULL,
      submission_closes timestamptz NOT NULL,
      review_closes timestamptz NOT NULL,
      revision_closes timestamptz,
      voting_opens timestamptz NOT NULL,
      voting_closes timestamptz NOT NULL,
      implementation_opens timestamptz NOT NULL,
      review_days integer NOT NULL DEFAULT 10 CHECK (review_days BETWEEN 1 AND 120),
      published_at timestamptz,
      -- Set by the first ballot: from then on rule, limits, categories and amounts are frozen.
      frozen_at timestamptz,
      results_published_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, number),
      UNIQUE (municipality_id, id),
      CHECK (submission_opens < submission_closes AND submission_closes <= review_closes
        AND (revision_closes IS NULL OR review_closes <= revision_closes)
        AND COALESCE(revision_closes, review_closes) <= voting_opens
        AND voting_opens < voting_closes AND voting_closes <= implementation_opens)
    );

    -- Rules documents (PDF) of a cycle.
    CREATE TABLE pb_cycle_documents (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      file_id text NOT NULL REFERENCES files(id),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pb_cycle_documents_cycle ON pb_cycle_documents (cycle_id, id);

    CREATE TABLE pb_categories (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      names jsonb NOT NULL,
      -- A district category: only its district's residents vote in it.
      district_id integer REFERENCES districts(id) ON DELETE RESTRICT,
      amount bigint NOT NULL CHECK (amount > 0),
      min_cost bigint NOT NULL DEFAULT 0 CHECK (min_cost >= 0),
      max_cost bigint NOT NULL CHECK (max_cost > 0),
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, slug),
      CHECK (min_cost <= max_cost)
    );

    CREATE TABLE pb_projects (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      number integer NOT NULL,
      category_id integer NOT NULL REFERENCES pb_categories(id),
      author_id integer NOT NULL REFERENCES users(id),
      status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'returned', 'admitted', 'rejected', 'withdrawn')),
      title text NOT NULL CHECK (length(title) BETWEEN 5 AND 160),
      summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
      beneficiaries text NOT NULL DEFAULT '' CHECK (length(beneficiaries) <= 2000),
      lat double precision CHECK (lat BETWEEN -90 AND 90),
      lng double precision CHECK (lng BETWEEN -180 AND 180),
      location point,
      address text CHECK (length(address) <= 300),
      district_id integer REFERENCES districts(id) ON DELETE SET NULL,
      -- [{ item, quantity, unit, unitPrice }] with unitPrice in minor units; cost_total is their sum, checked at save.
      cost_items jsonb NOT NULL DEFAULT '[]',
      cost_total bigint NOT NULL DEFAULT 0 CHECK (cost_total >= 0),
      -- The department's estimate, beside the author's; the cost that counts at voting is this where set.
      department_cost bigint CHECK (department_cost >= 0),
      department_id integer REFERENCES departments(id) ON DELETE SET NULL,
      review_due_at timestamptz,
      resubmit_by timestamptz,
      decision_note text CHECK (length(decision_note) <= 5000),
      submitted_at timestamptz,
      decided_at timestamptz,
      -- After results: funded or not, and the implementation that follows.
      funded boolean,
      impl_status text CHECK (impl_status IN ('planned', 'procurement', 'in_progress', 'completed', 'cancelled')),
      progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      contracted bigint CHECK (contracted >= 0),
      spent bigint NOT NULL DEFAULT 0 CHECK (spent >= 0),
      due_on date,
      search tsvector,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, number)
    );
    CREATE INDEX pb_projects_cycle ON pb_projects (cycle_id, status, category_id);
    CREATE INDEX pb_projects_author ON pb_projects (author_id);
    CREATE INDEX pb_projects_location ON pb_projects USING gist (location);
    CREATE INDEX pb_projects_search ON pb_projects USING gin (search);
    CREATE INDEX pb_projects_review ON pb_projects (municipality_id, status, review_due_at);

    -- Co-authors a project's author named; they may edit it while its author may.
    CREATE TABLE pb_project_authors (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, user_id)
    );
    CREATE INDEX pb_project_authors_user ON pb_project_authors (user_id);

    -- Photos and PDF attachments: of the proposal, or of its implementation (with an update).
    CREATE TABLE pb_project_files (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      file_id text NOT NULL REFERENCES files(id),
      kind text NOT NULL CHECK (kind IN ('photo', 'document')),
      stage text NOT NULL DEFAULT 'proposal' CHECK (stage IN ('proposal', 'implementation')),
      update_id integer,
      caption text NOT NULL DEFAULT '' CHECK (length(caption) <= 300),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pb_project_files_project ON pb_project_files (project_id, stage, id);

    -- The project's public timeline (submission, review decisions, results, implementation), and staff notes.
    CREATE TABLE pb_project_events (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      kind text NOT NULL,
      note text CHECK (length(note) <= 5000),
      data jsonb NOT NULL DEFAULT '{}',
      public boolean NOT NULL DEFAULT true,
      actor_id integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pb_project_events_project ON pb_project_events (project_id, id);

    CREATE TABLE pb_followers (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, user_id)
    );
    CREATE INDEX pb_followers_user ON pb_followers (user_id);

    -- What a resident has chosen so far, before casting: kept here, so it survives tabs and needs no script.
    CREATE TABLE pb_selections (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cycle_id, user_id, project_id)
    );

    -- Cast ballots, online or recorded on paper by an official. choices are project numbers, ascending.
    -- No foreign keys to the cycle or the voter: under a rush they would share-lock the same rows per ballot.
    CREATE TABLE pb_ballots (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL,
      cycle_id integer NOT NULL,
      channel text NOT NULL CHECK (channel IN ('online', 'paper')),
      user_id integer,
      recorded_by integer,
      -- The pseudonymous voter id published in the ledger (platform/ledger/ledger.ts pseudonym).
      voter text NOT NULL,
      choices integer[] NOT NULL,
      version integer NOT NULL DEFAULT 1,
      -- For statistics only, taken at casting: the voter's district and age band.
      district_id integer,
      age_band text,
      cast_at timestamptz NOT NULL DEFAULT now(),
      changed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, voter)
    );
    CREATE INDEX pb_ballots_user ON pb_ballots (cycle_id, user_id);

    -- Every key that names the person behind a ballot: the account (user:<id>), the keyed hash of a national id
    -- (nid:…) or of an identity document (doc:…). One person, one ballot per cycle, online or on paper.
    CREATE TABLE pb_voters (
      cycle_id integer NOT NULL,
      person_key text NOT NULL,
      ballot_id bigint NOT NULL,
      PRIMARY KEY (cycle_id, person_key)
    );

    -- Implementation updates of a funded project (with photos in pb_project_files) and its milestones.
    CREATE TABLE pb_updates (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
      progress integer CHECK (progress BETWEEN 0 AND 100),
      author_id integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pb_updates_project ON pb_updates (project_id, id);

    CREATE TABLE pb_milestones (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      due_on date NOT NULL,
      done_on date,
      position integer NOT NULL DEFAULT 0
    );
    CREATE INDEX pb_milestones_project ON pb_milestones (project_id, position);

    -- Each cycle's published result per project: votes counted from the ledger, rank in its category, funded.
    CREATE TABLE pb_results (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      project_id integer NOT NULL REFERENCES pb_projects(id) ON DELETE CASCADE,
      votes integer NOT NULL,
      rank integer NOT NULL,
      funded boolean NOT NULL,
      PRIMARY KEY (cycle_id, project_id)
    );
  `);
}
