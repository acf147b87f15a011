import { DeviceSession } from '../lockdown/deviceSession';
import { UsbmuxClient } from '../usbmux/usbmuxClient';
import { resolveUsbmuxdAddress } from '../usbmux/socketAddress';
import { requirePositional } from './args';
import type { CliContext } from './context';

/** The usbmuxd client for a CLI run: USBMUXD_SOCKET_ADDRESS or the platform default. */
export function usbmuxFromContext(ctx: CliContext): UsbmuxClient {
  return new UsbmuxClient(resolveUsbmuxdAddress(undefined, ctx.env), ctx.logger.child('usbmux'));
}

/** The device a command works on: the UDID its first word names, and the usbmuxd client that reaches it. */
export interface CliDevice {
  udid: string;
  mux: UsbmuxClient;
}

/** The command's device; `what` names the UDID in the usage error when it is missing. */
export function deviceFromArgs(ctx: CliContext, what = 'the device UDID'): CliDevice {
  return { udid: requirePositional(ctx.args, 0, what), mux: usbmuxFromContext(ctx) };
}

/** A lockdown session with the command's device; the caller closes it. */
export function openDeviceSession(ctx: CliContext, device = deviceFromArgs(ctx)): Promise<DeviceSession> {
  return DeviceSession.open(device.mux, device.udid, ctx.logger);
}
