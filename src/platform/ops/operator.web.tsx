import type { App, Deps } from '../http/deps.ts';

export function registerOperatorPages(_app: App, _deps: Deps): void {}
