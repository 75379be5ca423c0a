import type { App, Deps } from './http/deps.ts';
import { registerHomePages } from './tenancy/home.web.tsx';
import { registerSetupPage } from './tenancy/setup.web.tsx';
import { registerAdminPages } from './tenancy/admin.web.tsx';
import { registerStaffPages } from './tenancy/staff.web.tsx';
import { registerResidencePages } from './residence/residence.web.tsx';
import { registerDistrictPages } from './tenancy/districts.web.tsx';
import { registerModuleSettingsPages } from './tenancy/module-settings.web.tsx';
import { registerNotificationPages } from './notify/notify.web.tsx';
import { registerOperatorPages } from './ops/operator.web.tsx';
import { registerLetterPages } from './residence/letters.web.tsx';
import { registerLetterStaffPages } from './residence/letters.staff.web.tsx';
import { registerCensusPages } from './residence/census.web.tsx';

/** The platform's own pages: homes, setup, administration, notifications. */
export async function registerPlatformPages(app: App, deps: Deps): Promise<void> {
  registerHomePages(app, deps);
  registerSetupPage(app, deps);
  registerAdminPages(app, deps);
  registerStaffPages(app, deps);
  registerResidencePages(app, deps);
  registerDistrictPages(app, deps);
  registerModuleSettingsPages(app, deps);
  registerNotificationPages(app, deps);
  registerOperatorPages(app, deps);
  registerLetterPages(app, deps);
  registerLetterStaffPages(app, deps);
  registerCensusPages(app, deps);
}
