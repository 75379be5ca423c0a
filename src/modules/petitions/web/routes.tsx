import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerDraftPages } from './draft.web.tsx';
import { registerListPages } from './list.web.tsx';
import { registerShowPages } from './show.web.tsx';
import { registerReceiptPage } from './receipt.web.tsx';
import { registerSignPages } from './sign.web.tsx';

/** Residents' pages: list, search, petition page, drafting, signing, receipts. */
export function registerPetitionPages(app: App, deps: Deps): void {
  registerListPages(app, deps);
  registerDraftPages(app, deps);
  registerSignPages(app, deps);
  registerReceiptPage(app, deps);
  registerShowPages(app, deps);
}
