import type { App, Deps } from '../http/deps.ts';

export function registerAdminPages(_app: App, _deps: Deps): void {}
