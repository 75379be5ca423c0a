import type { App, Deps } from '../http/deps.ts';

export function registerNotificationPages(_app: App, _deps: Deps): void {}
