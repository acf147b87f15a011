import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { runDeviceBackup } from './runDeviceBackup';

/** Back Up: an incremental backup (only what changed since the last backup is sent). */
export function backUpDevice(deps: CommandDeps, node?: DeviceTreeNode, nodes?: DeviceTreeNode[]): Promise<void> {
  return runDeviceBackup(deps, false, node, nodes);
}
