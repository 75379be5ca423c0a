import type { Checkpoint } from '../checkpoint.ts';
import { canonicalJson, type PublishedEntry } from '../ledger.ts';
import { checkReceipt, type CheckStep, type Promise_, type ReceiptCheck } from '../receipt.ts';
import { translator } from '../../i18n/i18n.ts';
import { jcs } from './canonical.ts';
import { CheckFailed, openFor, type Site } from './checks.ts';
import { entryFrom } from './entries.ts';
import type { LedgerKeys } from './keys.ts';
import type { ChainReplay } from './replay.ts';
import { isJsonObject, parseStrictJson } from './strict-json.ts';

/**
 * A receipt file (hromada-ledger-receipt/v1, docs/LEDGER.md "Receipts") checked offline by the platform's own
 * checkReceipt, then against the chain read: a sealed receipt's checkpoint must be the root of the chain's
 * first entries (so a removed or rewritten entry fails); a promise must be kept, judged by the chain and by
 * the signed checkpoint checked with it when that is later than the deadline. The steps say what the receipt
 * page says (its English messages).
 */

const t = translator('en');
const say = (s: CheckStep) => t(`platform.ledger.receipt.${s.ok ? 'ok' : 'no'}.${s.code}`, s.params);

export class ReceiptWatch {
  readonly checked: ReceiptCheck;
  readonly lines: string[];
  private readonly wanted: { kind: string; payload: string } | null;
  /** The receipt's checkpoint note, when sealed. */
  private readonly note: string;
  /** The seq of the first entry that is what the promise promised. */
  private found: number | null = null;

  /** Reads and checks the receipt offline; throws CheckFailed('receipt') where it fails. */
  constructor(text: string, private readonly keys: LedgerKeys) {
    let doc;
    try {
      doc = parseStrictJson(text.replace(/^\uFEFF/, ''));
      if (isJsonObject(doc) && doc.entry !== null && doc.entry !== undefined) entryFrom(doc.entry, 'entry');
    } catch (e) {
      throw new CheckFailed('receipt', (e as Error).message);
    }
    this.checked = checkReceipt(doc, keys.keys);
    this.note = isJsonObject(doc) && typeof doc.checkpoint === 'string' ? doc.checkpoint : '';
    this.lines = this.checked.steps.filter((s) => s.ok).map((s) => `receipt: ok, ${say(s)}`);
    const failed = this.checked.steps.find((s) => !s.ok);
    if (failed) throw new CheckFailed('receipt', say(failed));
    const p = this.checked.promise as Promise_;
    this.wanted = this.checked.sealed ? null : { kind: p.kind, payload: canonicalJson(p.payload) };
  }

  get origin(): string {
    return (this.checked.promise as Promise_).origin;
  }

  /** Sees each entry of the chain as it is read. */
  readonly onEntry = (e: PublishedEntry) => {
    if (this.wanted && this.found === null && e.kind === this.wanted.kind && jcs(e.payload) === this.wanted.payload) this.found = e.seq;
  };

  /**
   * The receipt against the chain read; `signed` is the checkpoint matched with the chain in this run, if any.
   * Returns the lines of the steps passed; throws CheckFailed('receipt') where one fails.
   */
  againstChain(replay: ChainReplay, site: Site | null, signed: Checkpoint | null, now: Date): string[] {
    const [log, municipality, chain] = this.origin.split('/');
    if (log !== this.keys.log || chain !== replay.chain || (site && municipality !== site.municipality)) throw new CheckFailed('receipt', say({ code: 'otherChain', ok: false }));
    const line = (s: CheckStep) => {
      if (!s.ok) throw new CheckFailed('receipt', say(s));
      return [`receipt: ok, ${say(s)}`];
    };
    if (this.checked.sealed) {
      const r = this.checked as Required<ReceiptCheck>;
      // The checkpoint's signature by a key signing at its time (checkReceipt takes any of the keys).
      openFor('receipt', this.note, this.keys, replay, site);
      if (r.size > replay.size) return line({ code: 'logShrunk', ok: false, params: { size: replay.size } });
      if (!replay.rootAt(r.size).equals(r.root)) return line({ code: 'logRewritten', ok: false, params: { size: replay.size } });
      return line({ code: 'logConsistent', ok: true, params: { size: replay.size } });
    }
    const deadline = (this.checked.promise as Promise_).deadline;
    // A signed checkpoint from after the deadline is evidence: the entry must be among its entries.
    const judge = signed && signed.time && signed.time >= deadline ? signed : null;
    if (judge && (this.found === null || this.found > judge.size)) return line({ code: 'promiseOverdue', ok: false });
    if (this.found !== null) return line({ code: 'sealedSince', ok: true, params: { seq: this.found } });
    return line(deadline < now ? { code: 'promiseOverdue', ok: false } : { code: 'stillPending', ok: true });
  }
}
