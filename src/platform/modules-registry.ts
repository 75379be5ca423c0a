import type { Municipality } from '../db/schema.ts';
import { modules } from '../modules/index.ts';
import type { ModuleManifest } from './module.ts';

/** The modules a municipality has switched on, in the platform's order. */
export function enabledModules(m: Municipality): ModuleManifest[] {
  const on = new Set(m.enabled_modules);
  return modules.filter((mod) => on.has(mod.id));
}

/** Every installed module. */
export function allModules(): ModuleManifest[] {
  return modules;
}
