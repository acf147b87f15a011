import * as fc from 'fast-check';
import { type PlistValue } from '../../../src/plist';
import {
  DL_EMPTY_PARAMETER,
  DL_MESSAGE,
  DLTransferDecoder,
  encodeDataBlock,
  encodeErrorBlock,
  encodeSuccessBlock,
  encodeTransferEnd,
  encodeTransferName,
  DL_BLOCK_CODE,
  parseDLMessage,
  parseMultiStatus,
  type DLTransferDirection,
} from '../../../src/services/deviceLinkCodec';
import { encodePlistFrame } from '../../../src/transport/plistFrames';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { readPlistFrame } from '../../../src/transport/plistFrames';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { plistValueArbitrary, samplePlistValues } from '../plistSamples';
import { splitAt } from './usbmuxTarget';

/** Most events taken from one transfer stream; a hostile one could go on for ever. */
const MAX_TRANSFER_EVENTS = 10_000;

/** DeviceLink arrays as the backup loop reads them: a plist frame, parsed, checked, multi-status expanded. */
export function deviceLinkMessagesTarget(): FuzzTarget<Buffer> {
  const names = [...Object.values(DL_MESSAGE), 'DLMessage', 'DLMessageFoo', 'DL'];
  const arg = fc.oneof(plistValueArbitrary(true), fc.constantFrom<PlistValue>(DL_EMPTY_PARAMETER, 'a/b', '', '\0', 'x'.repeat(5000), -13, 2n ** 64n - 13n, 2n ** 63n, 100.5, NaN));
  const structured = fc.tuple(fc.constantFrom(...names), fc.array(arg, { maxLength: 5 })).map(([name, args]) => encodePlistFrame([name, ...args], 'binary'));
  const samples = samplePlistValues().filter(Array.isArray).flatMap((value) => [encodePlistFrame(value, 'binary'), encodePlistFrame(value, 'xml')]);
  return {
    name: 'devicelink-messages',
    arbitrary: fc.oneof({ weight: 3, arbitrary: mutatedBytes(samples) }, { weight: 3, arbitrary: structured }, { weight: 1, arbitrary: randomBytes() }),
    async run(frame) {
      const queue = new ByteQueue('device link');
      queue.push(frame);
      queue.end();
      const message = parseDLMessage(await readPlistFrame(queue, 'device link', { maxBytes: 32 * 1024 * 1024, timeoutMs: 1000 }), 'device');
      if (message.name === 'DLMessageStatusResponse') parseMultiStatus(message.value, 'device');
    },
    describe: (bytes) => hexOf(bytes),
  };
}

/** The raw file-transfer stream of DownloadFiles answers and UploadFiles, read to its end by the decoder. */
export function deviceLinkTransferTarget(): FuzzTarget<{ direction: DLTransferDirection; bytes: Buffer; cuts: number[] }> {
  const file = (name: string, data: Buffer) => Buffer.concat([encodeTransferName(name), encodeDataBlock(data), encodeSuccessBlock()]);
  const download = Buffer.concat([
    file('Snapshot/ab/abcdef', Buffer.from('hello')),
    encodeTransferName('Snapshot/Manifest.db'),
    encodeDataBlock(Buffer.alloc(300, 1)),
    encodeErrorBlock(DL_BLOCK_CODE.RemoteError, 'Input/output error'),
    encodeTransferName('missing'),
    encodeErrorBlock(DL_BLOCK_CODE.LocalError, 'No such file'),
    encodeTransferEnd(),
  ]);
  const upload = Buffer.concat([
    encodeTransferName('/var/mobile/Library/x'),
    file('ab/abcdef0123', Buffer.from('content')),
    encodeTransferName('/var/mobile/Media/DCIM/1.HEIC'),
    encodeTransferName('cd/cdef'),
    encodeDataBlock(Buffer.alloc(0)),
    encodeDataBlock(Buffer.alloc(70_000, 2)),
    encodeSuccessBlock(),
    encodeTransferEnd(),
  ]);
  return {
    name: 'devicelink-transfer',
    arbitrary: fc.record({
      direction: fc.constantFrom<DLTransferDirection>('download', 'upload'),
      bytes: fc.oneof({ weight: 5, arbitrary: mutatedBytes([download, upload]) }, { weight: 1, arbitrary: randomBytes() }),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    async run({ direction, bytes, cuts }) {
      const queue = new ByteQueue('device link');
      for (const piece of splitAt(bytes, cuts)) queue.push(piece);
      queue.end();
      const decoder = new DLTransferDecoder({ receiveRaw: (n, timeoutMs) => queue.read(n, timeoutMs) }, direction, { timeoutMs: 1000 });
      for (let i = 0; i < MAX_TRANSFER_EVENTS; i++) if ((await decoder.next()).kind === 'end') return;
    },
    describe: ({ direction, bytes, cuts }) => `${direction} ${hexOf(bytes)} cut at ${cuts.join(',')}`,
  };
}

