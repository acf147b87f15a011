/**
 * usbmuxd wire layout (see docs/protocol/usbmux.md#packet-header): a 16-byte little-endian header
 * {length incl. header, version, message, tag} followed by an XML plist payload.
 */
export const USBMUX_HEADER_SIZE = 16;

/** Header `version`: 0 = binary protocol, 1 = plist protocol. */
export const USBMUX_VERSION_BINARY = 0;
export const USBMUX_VERSION_PLIST = 1;

/**
 * Header `message` types. Plain numbers, not an enum: a decoded header carries whatever number the peer sent, and
 * is compared with these.
 */
export const UsbmuxMessageType = {
  Result: 1,
  Connect: 2,
  Listen: 3,
  DeviceAdd: 4,
  DeviceRemove: 5,
  DevicePaired: 6,
  Plist: 8,
} as const;

/** `Number` values of a Result message. */
export const enum UsbmuxResult {
  Ok = 0,
  BadCommand = 1,
  BadDevice = 2,
  ConnectionRefused = 3,
  BadVersion = 6,
}

/** Largest usbmux packet we accept: pair records and device lists are a few KiB; anything near this is hostile. */
export const USBMUX_MAX_PACKET = 4 * 1024 * 1024;

/** Lockdown's port on the device. */
export const LOCKDOWN_PORT = 62078;

/** Encodes one usbmux packet header + payload. */
export function encodeUsbmuxPacket(version: number, message: number, tag: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(USBMUX_HEADER_SIZE);
  header.writeUInt32LE(USBMUX_HEADER_SIZE + payload.length, 0);
  header.writeUInt32LE(version, 4);
  header.writeUInt32LE(message, 8);
  header.writeUInt32LE(tag, 12);
  return Buffer.concat([header, payload]);
}

/** A decoded usbmux header. */
export interface UsbmuxHeader {
  length: number;
  version: number;
  message: number;
  tag: number;
}

/** Decodes a 16-byte header. */
export function decodeUsbmuxHeader(bytes: Buffer): UsbmuxHeader {
  return {
    length: bytes.readUInt32LE(0),
    version: bytes.readUInt32LE(4),
    message: bytes.readUInt32LE(8),
    tag: bytes.readUInt32LE(12),
  };
}

/** usbmux carries the TCP port with its two bytes swapped (htons); this converts both ways. */
export function swapPortBytes(port: number): number {
  return ((port & 0xff) << 8) | ((port >> 8) & 0xff);
}

/** Inserts the dash new-style 24-character UDIDs have after the 8th character, as usbmuxd does. */
export function normalizeUdid(serial: string): string {
  return serial.length === 24 && !serial.includes('-') ? `${serial.slice(0, 8)}-${serial.slice(8)}` : serial;
}
