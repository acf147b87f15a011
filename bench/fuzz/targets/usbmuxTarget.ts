import * as fc from 'fast-check';
import { getArray, getString } from '../../../src/plist';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { readUsbmuxPlist } from '../../../src/usbmux/usbmuxClient';
import { deviceFromAttached, preferUsb } from '../../../src/usbmux/usbmuxDevice';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { sampleUsbmuxStreams } from '../frameSamples';
import { hexOf, type FuzzTarget } from '../fuzzTarget';

/** Most packets read from one input (a Listen stream is endless; a case is not). */
const MAX_PACKETS = 64;

/** What usbmuxd sends the host, arriving in arbitrary pieces, read as the client's ListDevices and Listen do. */
export function usbmuxFramesTarget(): FuzzTarget<{ bytes: Buffer; cuts: number[] }> {
  return {
    name: 'usbmux-frames',
    arbitrary: fc.record({
      bytes: fc.oneof({ weight: 4, arbitrary: mutatedBytes(sampleUsbmuxStreams()) }, { weight: 1, arbitrary: randomBytes() }),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    async run({ bytes, cuts }) {
      const queue = new ByteQueue('usbmuxd');
      for (const piece of splitAt(bytes, cuts)) queue.push(piece);
      queue.end();
      for (let i = 0; i < MAX_PACKETS; i++) {
        const message = await readUsbmuxPlist(queue, 1000);
        const list = getArray(message, 'DeviceList');
        if (list) preferUsb(list.map(deviceFromAttached));
        if (getString(message, 'MessageType') === 'Attached') deviceFromAttached(message);
      }
    },
    describe: ({ bytes, cuts }) => `${hexOf(bytes)} cut at ${cuts.join(',')}`,
  };
}

/** The bytes split at the given positions (modulo the length), as TCP may deliver them. */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}
