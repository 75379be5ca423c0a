import type { ModuleManifest } from '../../platform/module.ts';
import { numberedSubject } from '../../platform/audit/audit.subject.ts';
import { petitionExports } from './data/exports.ts';
import { registerPetitionData } from './data/routes.ts';
import { petitionDemo } from './petition.demo.ts';
import { petitionsForSitemap } from './petition.repo.ts';
import { notifySignersJob, publicStatuses } from './petition.service.ts';
import { PetitionSettingsSchema } from './petition.settings.ts';
import { closeExpired, sealPending } from './signature.service.ts';
import { petitionChains } from './petition.chains.ts';
import { registerPetitionStaffPages } from './staff/routes.tsx';
import { registerPetitionPages } from './web/routes.tsx';

/** E-petitions to the local council: drafting, moderation, signatures with a public ledger, responses. */
export const petitions: ModuleManifest = {
  id: 'petitions',
  nameKey: 'petitions.name',
  summaryKey: 'petitions.summary',
  settings: PetitionSettingsSchema,
  openapi: { tags: [{ name: 'petitions', description: 'E-petitions, their counts and the public ledger of their signatures' }] },
  staffPages: [{ path: 'petitions/staff', labelKey: 'petitions.staffHome', action: 'petitions.dashboard' }],
  async routes(app, deps) {
    registerPetitionData(app, deps);
    registerPetitionStaffPages(app, deps);
    registerPetitionPages(app, deps);
  },
  jobs: { 'petitions.notify-signers': notifySignersJob },
  periodic: [
    { name: 'petitions.seal', everySeconds: 1, run: sealPending },
    { name: 'petitions.close-expired', everySeconds: 60, run: closeExpired },
  ],
  auditSubjects: { petition: numberedSubject('petitions', 'petitions') },
  ledger: petitionChains,
  async publicPages(db, m) {
    return (await petitionsForSitemap(db, m.id, publicStatuses(m))).map((p) => ({ path: `/petitions/${p.number}`, updated: p.updated_at }));
  },
  demo: petitionDemo,
  exports: petitionExports,
};

export { chainName, tallyFromEntries } from './signature.service.ts';
