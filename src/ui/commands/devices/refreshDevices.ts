import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { deviceOfNode } from './pickDevices';

/** Refresh: on a device, reads its facts again; otherwise reconnects to usbmuxd and re-reads every device. */
export async function refreshDevices(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  if (node && typeof node === 'object' && 'kind' in node) {
    await deps.monitor.refreshFacts(deviceOfNode(node).udid);
    return;
  }
  await deps.monitor.refresh();
}
