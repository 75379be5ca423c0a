import type { App, Deps } from '../../../../platform/http/deps.ts';
import { registerBallotApi } from './api.ts';
import { registerBallotPage } from './ballot.web.tsx';
import { registerConfirmPages } from './confirm.web.tsx';
import { registerBallotLedgerPage } from './ledger.web.tsx';
import { registerPaperPages } from './paper.web.tsx';
import { registerReceiptPages } from './receipt.web.tsx';
import { registerBallotSections } from './sections.tsx';

/** The ballot: selection, confirmation and casting, receipts, the cycle's public chain, paper ballots, the JSON state. */
export function registerBallotRoutes(app: App, deps: Deps): void {
  registerBallotSections();
  registerBallotPage(app, deps);
  registerConfirmPages(app, deps);
  registerReceiptPages(app, deps);
  registerBallotLedgerPage(app, deps);
  registerPaperPages(app, deps);
  registerBallotApi(app, deps);
}
