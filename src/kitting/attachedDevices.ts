import type { UsbmuxClient } from '../usbmux/usbmuxClient';

/**
 * The UDIDs of the devices attached now, each once (usbmuxd lists a device once per connection, USB and
 * network), in usbmuxd's order: what `--all` works on, and what the bench polls while a restored device restarts.
 */
export async function attachedUdids(mux: UsbmuxClient): Promise<string[]> {
  return [...new Set((await mux.listDevices()).map((d) => d.udid))];
}
