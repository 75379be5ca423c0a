import type { App, Deps } from '../http/deps.ts';

export function registerStaffPages(_app: App, _deps: Deps): void {}
