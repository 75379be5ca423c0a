import { Type, type Static } from 'typebox';
import type { Municipality } from '../../db/schema.ts';
import { levelSetting, moduleSettings } from '../../platform/module-settings.tsx';

/**
 * What each municipality decides for its problem reports. Edited at
 * /{locale}/{municipality}/admin/modules/reports; labels are `reports.settings.<key>`.
 */
export const ReportSettingsSchema = Type.Object({
  /** Reports are accepted within this distance of the municipality's centre. */
  radiusKm: Type.Integer({ minimum: 1, maximum: 200, default: 15 }),
  reportLevel: levelSetting('email'),
  /**
   * Whether people without an account may report, confirming by a link mailed to them (only while reportLevel
   * asks no more than e-mail): "report first, confirm by e-mail" by default; migration 0015 kept "no" for
   * municipalities that existed before.
   */
  guests: Type.Enum(['no', 'email'], { default: 'email' }),
  /** Open reports of the same category this close are offered before a new one is filed. */
  duplicateMeters: Type.Integer({ minimum: 10, maximum: 1000, default: 100 }),
});

export type ReportSettings = Static<typeof ReportSettingsSchema>;

/** The municipality's report settings, defaults filled in. */
export function reportSettings(m: Municipality): ReportSettings {
  return moduleSettings(m, 'reports', ReportSettingsSchema);
}
