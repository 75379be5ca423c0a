import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../../../db/database.ts';
import type { Config } from '../../../config.ts';
import { apiError, notFound } from '../../http/errors.tsx';
import type { App, Deps } from '../../http/deps.ts';
import { ApiError } from '../../ops/openapi.ts';
import { CHAIN_PATTERN, chainVisible } from '../chains.ts';
import { parseCheckpoint } from '../checkpoint.ts';
import { checkpointAt } from '../checkpoints.repo.ts';
import { checkSignature, parseVkey, splitNote, type NoteSignature, type Verifier } from '../note.ts';

/**
 * The site's side of witnessing (POST /api/v1/:municipality/ledger/:chain/cosignatures): a witness hands in a
 * checkpoint the site signed with its cosignature/v1 line(s) appended. Only the witnesses of LEDGER_WITNESSES
 * count; each of their lines must verify, be dated no later than five minutes from now, and be of exactly the
 * checkpoint text the site signed (same origin, so municipality and chain, size, root and time). Other lines
 * (the log's own, unknown witnesses') are ignored, as c2sp.org/signed-note requires of verifiers.
 */

/** The largest note taken (a checkpoint with a few dozen signature lines is far below). */
export const MAX_COSIGNED_NOTE = 16 * 1024;
/** How far in the future a cosignature's time may be (clock skew). */
export const FUTURE_SKEW_SECONDS = 300;

/** Why a note is refused: its code (as the API answers it), HTTP status and message key. */
export const COSIGNATURE_REFUSALS = {
  'ledger.cosignature.malformed': { status: 400, message: 'platform.ledger.cosignature.malformed' },
  'ledger.cosignature.unknown_checkpoint': { status: 409, message: 'platform.ledger.cosignature.unknownCheckpoint' },
  'ledger.cosignature.unknown_witness': { status: 403, message: 'platform.ledger.cosignature.unknownWitness' },
  'ledger.cosignature.bad_signature': { status: 403, message: 'platform.ledger.cosignature.badSignature' },
  'ledger.cosignature.future_time': { status: 400, message: 'platform.ledger.cosignature.futureTime' },
} as const;

export type CosignatureRefusal = keyof typeof COSIGNATURE_REFUSALS;
/** Accepted: the names of the witnesses whose cosignatures are now kept. Refused: the code, and the witness at fault. */
export type CosignatureOutcome = { accepted: string[] } | { refused: CosignatureRefusal; witness?: string };

type Witnesses = Pick<Config, 'ledgerWitnesses'>;

const refuse = (refused: CosignatureRefusal, witness?: string): CosignatureOutcome => ({ refused, ...(witness ? { witness } : {}) });

/** The configured witness a signature line claims to be (same name and key id), with its verifier. */
function witnessOf(config: Witnesses, s: NoteSignature): { name: string; v: Verifier } | undefined {
  const w = config.ledgerWitnesses.find((c) => c.name === s.name);
  const v = w && parseVkey(w.vkey);
  return v && v.keyId === s.keyId ? { name: w.name, v } : undefined;
}

export async function acceptCosignatures(
  deps: { db: Database; config: Witnesses },
  input: { municipalityId: number; chain: string; note: string; now?: Date },
): Promise<CosignatureOutcome> {
  let note: ReturnType<typeof splitNote>;
  let size: number;
  try {
    if (input.note.length > MAX_COSIGNED_NOTE) throw new RangeError('too long');
    note = splitNote(input.note);
    size = parseCheckpoint(note.text).size;
  } catch {
    return refuse('ledger.cosignature.malformed');
  }
  const stored = await checkpointAt(deps.db, input.municipalityId, input.chain, size);
  if (!stored || splitNote(stored.note).text !== note.text) return refuse('ledger.cosignature.unknown_checkpoint');

  const latest = (input.now ?? new Date()).getTime() / 1000 + FUTURE_SKEW_SECONDS;
  const byWitness = new Map<string, { keyId: number; time: number; line: string }>();
  for (const s of note.signatures) {
    const w = witnessOf(deps.config, s);
    if (!w) continue;
    const { ok, time } = checkSignature(note.text, s, w.v);
    if (!ok || time === undefined) return refuse('ledger.cosignature.bad_signature', w.name);
    if (time > latest) return refuse('ledger.cosignature.future_time', w.name);
    // One witness's several lines: its newest statement counts.
    if ((byWitness.get(w.name)?.time ?? -1) < time) byWitness.set(w.name, { keyId: s.keyId, time, line: s.line });
  }
  if (byWitness.size === 0) return refuse('ledger.cosignature.unknown_witness');

  const rows = [...byWitness].map(([witness, c]) => ({
    municipality_id: input.municipalityId, chain: input.chain, size, witness, key_id: c.keyId, signed_at: new Date(c.time * 1000), line: c.line,
  }));
  // A witness's later cosignature of the same checkpoint replaces its earlier one; an older one changes nothing.
  await deps.db.insertInto('ledger_cosignatures').values(rows)
    .onConflict((oc) => oc.columns(['municipality_id', 'chain', 'size', 'witness'])
      .doUpdateSet((eb) => ({ key_id: eb.ref('excluded.key_id'), signed_at: eb.ref('excluded.signed_at'), line: eb.ref('excluded.line'), received_at: sql<Date>`now()` }))
      .where((eb) => eb('ledger_cosignatures.signed_at', '<', eb.ref('excluded.signed_at'))))
    .execute();
  return { accepted: [...byWitness.keys()].sort() };
}

export interface Cosignature {
  witness: string;
  title: string;
  url: string | null;
  signedAt: Date;
  /** The signature line, to append to the checkpoint's note. */
  line: string;
}

/** The cosignatures of a checkpoint by witnesses configured now (with their present key), by witness name. */
export async function cosignaturesOf(deps: { db: Database; config: Witnesses }, municipalityId: number, chain: string, size: number): Promise<Cosignature[]> {
  const rows = await deps.db.selectFrom('ledger_cosignatures').select(['witness', 'key_id', 'signed_at', 'line'])
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('size', '=', size).orderBy('witness').execute();
  return rows.flatMap((r) => {
    const w = deps.config.ledgerWitnesses.find((c) => c.name === r.witness);
    if (!w || parseVkey(w.vkey).keyId !== Number(r.key_id)) return [];
    return [{ witness: w.name, title: w.title, url: w.url, signedAt: new Date(r.signed_at), line: r.line }];
  });
}

/**
 * POST /api/v1/:municipality/ledger/:chain/cosignatures (docs/API.md, docs/LEDGER.md "Witnesses"): the note in
 * the body (text/plain), 200 {accepted} or a refusal with its code; the chain must be one anyone may read.
 */
export function registerCosignatures(app: App, deps: Deps): void {
  const refusal = (description: string) => ({ ...ApiError, description });
  app.post('/api/v1/:municipality/ledger/:chain/cosignatures', {
    bodyLimit: MAX_COSIGNED_NOTE,
    config: { csrf: false, rateLimit: { max: 1000, timeWindow: 60_000 } },
    schema: {
      tags: ['ledger'],
      summary: 'A witness hands in its cosignature (c2sp.org/tlog-cosignature) of a checkpoint the site signed: the note with its line(s) appended',
      params: Type.Object({ municipality: Type.String(), chain: Type.String({ pattern: CHAIN_PATTERN, maxLength: 140 }) }),
      body: { content: { 'text/plain': { schema: Type.String({ maxLength: MAX_COSIGNED_NOTE }) } } },
      response: {
        200: Type.Object({ accepted: Type.Array(Type.String(), { description: 'The witnesses (of LEDGER_WITNESSES) whose cosignatures are kept' }) }),
        400: refusal('ledger.cosignature.malformed, ledger.cosignature.future_time, invalid_input'),
        403: refusal('ledger.cosignature.unknown_witness, ledger.cosignature.bad_signature'),
        409: refusal('ledger.cosignature.unknown_checkpoint: the site never signed that checkpoint text for this chain'),
      },
    },
  }, async (req, reply) => {
    const m = req.municipality!;
    const { chain } = req.params;
    if (!(await chainVisible(deps.db, m, chain))) return notFound(deps, req, reply);
    const outcome = await acceptCosignatures(deps, { municipalityId: m.id, chain, note: req.body as string });
    if ('accepted' in outcome) return outcome;
    const { status, message } = COSIGNATURE_REFUSALS[outcome.refused];
    const text = req.t(message, { witness: outcome.witness ?? '' });
    return apiError(reply, status, outcome.refused, text, { note: text });
  });
}
