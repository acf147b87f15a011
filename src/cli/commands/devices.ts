import { command } from '../context';
import { usbmuxFromContext } from '../deviceArgs';

/** `devices`: lists attached devices. */
export const devicesCommand = command({
  usage: 'devices [--json]',
  summary: 'list attached devices (udid, name, connection type)',
  async run(ctx) {
    const mux = usbmuxFromContext(ctx);
    const devices = await mux.listDevices();
    // Names come from lockdownd (available before pairing); a device that does not answer keeps an empty name.
    const { LockdownClient } = await import('../../lockdown/lockdownClient');
    const rows = [];
    for (const d of devices) {
      let name: string | undefined;
      try {
        const lockdown = await LockdownClient.connect(mux, d, ctx.logger);
        try {
          const value = await lockdown.getValue(undefined, 'DeviceName');
          name = typeof value === 'string' ? value : undefined;
        } finally {
          lockdown.close();
        }
      } catch (err) {
        ctx.logger.debug('device name unavailable', { udid: d.udid, reason: (err as Error).message });
      }
      rows.push({ udid: d.udid, name: name ?? null, connectionType: d.connectionType, deviceId: d.deviceId });
    }
    if (ctx.json) {
      ctx.out(JSON.stringify(rows, null, 2) + '\n');
    } else if (rows.length === 0) {
      ctx.note('No devices are attached.');
    } else {
      for (const r of rows) ctx.out(`${r.udid}\t${r.name ?? '(name unavailable)'}\t${r.connectionType}\n`);
    }
    return 0;
  },
});
