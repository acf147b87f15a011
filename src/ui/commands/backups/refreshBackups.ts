import type { CommandDeps } from '../commandDeps';

/** Refresh: reads the backup folder again. */
export async function refreshBackups(deps: CommandDeps): Promise<void> {
  deps.backups.invalidate();
  await deps.backups.list().catch(() => undefined);
}
