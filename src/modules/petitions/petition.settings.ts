import { Type, type Static } from 'typebox';
import type { Municipality } from '../../db/schema.ts';
import { levelSetting, moduleSettings } from '../../platform/module-settings.tsx';

/**
 * What each municipality decides for itself under art. 23-1 of the law "On citizens' appeals"
 * (threshold and period in its statute) and for its own moderation. Edited at
 * /{locale}/{municipality}/admin/modules/petitions; labels are `petitions.settings.<key>`.
 */
export const PetitionSettingsSchema = Type.Object({
  threshold: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 100 }),
  periodDays: Type.Integer({ minimum: 1, maximum: 365, default: 60 }),
  moderationDays: Type.Integer({ minimum: 1, maximum: 60, default: 3 }),
  responseDays: Type.Integer({ minimum: 1, maximum: 60, default: 10 }),
  supportersNeeded: Type.Integer({ minimum: 0, maximum: 50, default: 0 }),
  createLevel: levelSetting('email'),
  signLevel: levelSetting('resident'),
  signatoryNames: Type.Enum(['full', 'initials'], { default: 'full' }),
  rejectedVisibility: Type.Enum(['public', 'hidden'], { default: 'public' }),
});

export type PetitionSettings = Static<typeof PetitionSettingsSchema>;

/** The municipality's petition settings, defaults filled in. */
export function petitionSettings(m: Municipality): PetitionSettings {
  return moduleSettings(m, 'petitions', PetitionSettingsSchema);
}
