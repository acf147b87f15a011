import type { CommandDeps } from '../commandDeps';

/** Show Log: brings the "iOS Backup & Restore" output channel into view. */
export function showLog(deps: CommandDeps): void {
  deps.log.show();
}
