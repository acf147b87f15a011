import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { runDeviceBackup } from './runDeviceBackup';

/** Full Backup: asks the device to send everything again, whatever the previous backup holds. */
export function backUpDeviceFull(deps: CommandDeps, node?: DeviceTreeNode, nodes?: DeviceTreeNode[]): Promise<void> {
  return runDeviceBackup(deps, true, node, nodes);
}
