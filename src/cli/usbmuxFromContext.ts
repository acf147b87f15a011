import { UsbmuxClient } from '../usbmux/usbmuxClient';
import { resolveUsbmuxdAddress } from '../usbmux/socketAddress';
import type { CliContext } from './context';

/** The usbmuxd client for a CLI run: USBMUXD_SOCKET_ADDRESS or the platform default. */
export function usbmuxFromContext(ctx: CliContext): UsbmuxClient {
  return new UsbmuxClient(resolveUsbmuxdAddress(undefined, ctx.env), ctx.logger.child('usbmux'));
}
