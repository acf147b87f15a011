import { MuxError } from '../common/errors';
import { UsbmuxResult } from './protocol';

/** One sentence per usbmuxd Result number, for the operation that got it. */
const RESULT_MESSAGES: Record<number, (what: string) => string> = {
  [UsbmuxResult.BadCommand]: (what) => `usbmuxd rejected the ${what} request as malformed.`,
  [UsbmuxResult.BadDevice]: (what) => `usbmuxd does not know that device (${what}); it may have been unplugged.`,
  [UsbmuxResult.ConnectionRefused]: (what) => `The device refused the connection (${what}): nothing is listening on that port.`,
  [UsbmuxResult.BadVersion]: (what) => `usbmuxd does not speak the protocol version used for ${what}.`,
};

/** Maps a usbmuxd Result number to a MuxError. */
export function muxErrorFromResult(result: number, what: string, address: string): MuxError {
  const message = RESULT_MESSAGES[result]?.(what) ?? `usbmuxd answered ${what} with error ${result}.`;
  return new MuxError(message, `usbmux.result.${result}`, address, result);
}

/** What should be running to provide usbmuxd on this platform. */
function whatShouldRun(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'Start iTunes or Apple Devices (Apple Mobile Device Service)';
  if (platform === 'darwin') return 'On macOS usbmuxd is part of the system; open Finder with the device attached';
  return 'Start usbmuxd (for example "sudo systemctl start usbmuxd"), or run "iosbr simulate" for demo devices';
}

/** The one-sentence error for a usbmuxd that cannot be reached. */
export function muxUnreachableError(address: string, cause: unknown, platform: NodeJS.Platform = process.platform): MuxError {
  return new MuxError(
    `No usbmuxd is answering at ${address}: ${whatShouldRun(platform)}, or set USBMUXD_SOCKET_ADDRESS to where it listens.`,
    'usbmux.unreachable',
    address,
    undefined,
    { cause },
  );
}
