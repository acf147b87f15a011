import type { NetConnectOpts } from 'node:net';

/** Where usbmuxd listens: a UNIX socket path or a TCP host and port. */
export type UsbmuxdAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number };

/** The platform's usbmuxd endpoint: /var/run/usbmuxd, or TCP 127.0.0.1:27015 on Windows. */
export function defaultUsbmuxdAddress(platform: NodeJS.Platform = process.platform): UsbmuxdAddress {
  return platform === 'win32' ? { kind: 'tcp', host: '127.0.0.1', port: 27015 } : { kind: 'unix', path: '/var/run/usbmuxd' };
}

/**
 * Parses an address the way libusbmuxd reads USBMUXD_SOCKET_ADDRESS: `UNIX:<path>`, or
 * `host:port` split at the last colon (brackets around IPv6 removed). Returns undefined for
 * text libusbmuxd would not accept (it then falls back to the platform default).
 */
export function parseUsbmuxdAddress(text: string, options: { allowPortZero?: boolean } = {}): UsbmuxdAddress | undefined {
  if (text.startsWith('UNIX:')) {
    const path = text.slice(5);
    return path ? { kind: 'unix', path } : undefined;
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  // Port 0 only makes sense for a server asking the system for a free port.
  if (port < (options.allowPortZero ? 0 : 1) || port > 65535) return undefined;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { kind: 'tcp', host, port };
}

/** The address to use: the explicit setting, else USBMUXD_SOCKET_ADDRESS, else the platform default. */
export function resolveUsbmuxdAddress(explicit?: string, env: NodeJS.ProcessEnv = process.env): UsbmuxdAddress {
  for (const candidate of [explicit, env.USBMUXD_SOCKET_ADDRESS]) {
    if (candidate) {
      const parsed = parseUsbmuxdAddress(candidate);
      if (parsed) return parsed;
    }
  }
  return defaultUsbmuxdAddress();
}

/** The address as a user reads it (and as USBMUXD_SOCKET_ADDRESS would spell it). */
export function formatUsbmuxdAddress(address: UsbmuxdAddress): string {
  if (address.kind === 'unix') return `UNIX:${address.path}`;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Node socket options for the address. */
export function netOptionsFor(address: UsbmuxdAddress): NetConnectOpts {
  return address.kind === 'unix' ? { path: address.path } : { host: address.host, port: address.port };
}
