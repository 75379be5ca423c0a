import type { ModuleManifest } from '../platform/module.ts';
import { petitions } from './petitions/index.ts';
import { reports } from './reports/index.ts';
import { participatoryBudget } from './participatory-budget/index.ts';

/** Every feature module of the platform, in navigation order. Each lives in its own folder. */
export const modules: ModuleManifest[] = [petitions, participatoryBudget, reports];
