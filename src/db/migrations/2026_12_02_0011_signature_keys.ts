import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A signature's foreign keys locked rows on every INSERT: the petition's and the municipality's row (the
 * same two rows for every signer of a rush, so concurrent batches piled up shared locks on them) and the
 * signer's row (a written lock per signature). Measured with pgbench, four connections writing batches of
 * 16 signatures: 1 900 batches/s with the keys, 2 700 without the petition's and municipality's, 3 400
 * without the signer's too. What the keys guarded is kept another way:
 * - on insert, the signing statement joins the petition it signs (same municipality, collecting) and the
 *   signer comes from a live session; imports join both (signature.repo.ts);
 * - deleting a petition (or a municipality, which deletes its petitions) deletes its signatures and their
 *   queue rows, as ON DELETE CASCADE did;
 * - deleting a user who signed is refused, as the key's NO ACTION did (the platform anonymises instead).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE petition_signatures DROP CONSTRAINT petition_signatures_petition_id_fkey,
      DROP CONSTRAINT petition_signatures_municipality_id_fkey, DROP CONSTRAINT petition_signatures_user_id_fkey;

    CREATE FUNCTION petition_signatures_follow_petitions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM petition_unsealed u USING gone g WHERE u.petition_id = g.id; DELETE FROM petition_signatures s USING gone g WHERE s.petition_id = g.id; RETURN NULL; END $$;
    CREATE TRIGGER petitions_delete_signatures AFTER DELETE ON petitions REFERENCING OLD TABLE AS gone
      FOR EACH STATEMENT EXECUTE FUNCTION petition_signatures_follow_petitions();

    CREATE FUNCTION petition_signatures_keep_signers() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF EXISTS (SELECT 1 FROM petition_signatures s JOIN gone g ON s.user_id = g.id) THEN RAISE EXCEPTION 'users who signed petitions cannot be deleted (anonymise them instead)' USING ERRCODE = 'foreign_key_violation'; END IF; RETURN NULL; END $$;
    CREATE TRIGGER users_delete_signers AFTER DELETE ON users REFERENCING OLD TABLE AS gone
      FOR EACH STATEMENT EXECUTE FUNCTION petition_signatures_keep_signers();
  `);
}
