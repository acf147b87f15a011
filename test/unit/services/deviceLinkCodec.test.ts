import assert from 'node:assert/strict';
import { isProtocolError } from '../../../src/common/errors';
import { buildBinaryPlist, buildXmlPlist, parsePlist, type PlistValue } from '../../../src/plist';
import {
  buildContentsOfDirectory,
  buildCopyItem,
  buildCreateDirectory,
  buildDeviceReady,
  buildDirectoryContents,
  buildDisconnect,
  buildDownloadFiles,
  buildGetFreeDiskSpace,
  buildMoveItems,
  buildMultiStatusResponse,
  buildPing,
  buildProcessMessage,
  buildPurgeDiskSpace,
  buildRemoveItems,
  buildStatusResponse,
  buildUploadFiles,
  buildVersionAccept,
  buildVersionOffer,
  buildVersionRefuse,
  deviceErrorFromErrno,
  DL_BLOCK_CODE,
  DL_DEVICE_ERROR,
  DL_EMPTY_PARAMETER,
  DL_MAX_CONSECUTIVE_EMPTY_BLOCKS,
  DL_MAX_NAME_BYTES,
  DLTransferDecoder,
  encodeBlockHeader,
  encodeDataBlocks,
  encodeDownloadedFile,
  encodeErrorBlock,
  encodeSuccessBlock,
  encodeTransferEnd,
  encodeTransferName,
  encodeUnavailableFile,
  encodeUploadedFile,
  expectDLMessage,
  normalizeStatusCode,
  parseDLMessage,
  parseMultiStatus,
  type DLRawByteSource,
  type DLTransferEvent,
} from '../../../src/services/deviceLinkCodec';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { decodeFloodInWorker } from './emptyBlockFlood';

/** Sends a value through both plist encodings, as it would cross the wire. */
function overTheWire(value: PlistValue): PlistValue[] {
  return [parsePlist(buildBinaryPlist(value)), parsePlist(Buffer.from(buildXmlPlist(value), 'utf8'))];
}

function sourceOf(bytes: Buffer): DLRawByteSource & { queue: ByteQueue } {
  const queue = new ByteQueue('device');
  queue.push(bytes);
  queue.end();
  return { queue, receiveRaw: (n, timeoutMs) => queue.read(n, timeoutMs ?? 1000) };
}

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of gen) parts.push(part);
  return Buffer.concat(parts);
}

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield part;
}

async function decodeAll(bytes: Buffer, direction: 'upload' | 'download', readPieceBytes = 7): Promise<DLTransferEvent[]> {
  const decoder = new DLTransferDecoder(sourceOf(bytes), direction, { readPieceBytes, timeoutMs: 1000 });
  const events: DLTransferEvent[] = [];
  for (;;) {
    const event = await decoder.next();
    events.push(event);
    if (event.kind === 'end') return events;
  }
}

function isCorrupt(pattern: RegExp) {
  return (e: unknown) => isProtocolError(e) && pattern.test(e.message);
}

describe('DeviceLink codec: messages', () => {
  it('round-trips the version exchange in both directions', () => {
    for (const wire of overTheWire(buildVersionOffer())) {
      assert.deepEqual(parseDLMessage(wire), { name: 'DLMessageVersionExchange', kind: 'offer', major: 300, minor: 0 });
    }
    for (const wire of overTheWire(buildVersionAccept(400))) {
      assert.deepEqual(parseDLMessage(wire, 'host'), { name: 'DLMessageVersionExchange', kind: 'reply', accepted: true, status: 'DLVersionsOk', major: 400 });
    }
    const refused = parseDLMessage(buildVersionRefuse(), 'host');
    assert.equal(refused.name === 'DLMessageVersionExchange' && refused.kind === 'reply' && refused.accepted, false);
  });

  it('round-trips DeviceReady, ProcessMessage, Ping and Disconnect (placeholder → undefined)', () => {
    for (const wire of overTheWire(buildDeviceReady())) assert.deepEqual(parseDLMessage(wire), { name: 'DLMessageDeviceReady' });
    for (const wire of overTheWire(buildProcessMessage({ MessageName: 'Hello', SupportedProtocolVersions: [2.0, 2.1] }))) {
      const m = expectDLMessage(wire, 'DLMessageProcessMessage');
      assert.equal(m.content.MessageName, 'Hello');
    }
    assert.deepEqual(parseDLMessage(buildDisconnect()), { name: 'DLMessageDisconnect', reason: undefined });
    assert.deepEqual(parseDLMessage(buildDisconnect('bye')), { name: 'DLMessageDisconnect', reason: 'bye' });
    assert.deepEqual(parseDLMessage(buildPing('x')), { name: 'DLMessagePing', text: 'x' });
    assert.deepEqual(buildDisconnect(), ['DLMessageDisconnect', DL_EMPTY_PARAMETER]);
  });

  it('round-trips StatusResponse with negative codes, numbers and placeholders', () => {
    for (const wire of overTheWire(buildStatusResponse(0))) {
      assert.deepEqual(parseDLMessage(wire, 'host'), { name: 'DLMessageStatusResponse', code: 0, text: undefined, value: undefined });
    }
    for (const wire of overTheWire(buildStatusResponse(0, undefined, 123456789012))) {
      assert.deepEqual(parseDLMessage(wire, 'host'), { name: 'DLMessageStatusResponse', code: 0, text: undefined, value: 123456789012 });
    }
    for (const wire of overTheWire(buildStatusResponse(-1, 'Operation not supported', {}))) {
      assert.deepEqual(parseDLMessage(wire, 'host'), { name: 'DLMessageStatusResponse', code: -1, text: 'Operation not supported', value: {} });
    }
  });

  it('reads the unsigned 64-bit form of a negative status code', () => {
    assert.equal(normalizeStatusCode(2n ** 64n - 13n), -13);
    assert.equal(normalizeStatusCode(-6), -6);
    const m = parseDLMessage(['DLMessageStatusResponse', 2n ** 64n - 13n, 'Multi status', {}], 'host');
    assert.equal(m.name === 'DLMessageStatusResponse' && m.code, -13);
  });

  it('round-trips a multi-status answer', () => {
    const failures = new Map([['U/Status.plist', { code: DL_DEVICE_ERROR.NoSuchFile, text: 'No such file or directory' }]]);
    for (const wire of overTheWire(buildMultiStatusResponse(failures))) {
      const m = expectDLMessage(wire, 'DLMessageStatusResponse', 'host');
      assert.equal(m.code, -13);
      assert.equal(m.text, 'Multi status');
      assert.deepEqual(parseMultiStatus(m.value, 'host'), failures);
    }
    assert.throws(() => parseMultiStatus({ a: 'x' }), isCorrupt(/not a dictionary/));
    assert.throws(() => parseMultiStatus({ a: { DLFileErrorCode: -6 } }), isCorrupt(/without an error code and text/));
  });

  it('round-trips every device request', () => {
    const cases: Array<[PlistValue, unknown]> = [
      [buildDownloadFiles(['U/Status.plist', 'U/Manifest.db'], 12.5), { name: 'DLMessageDownloadFiles', paths: ['U/Status.plist', 'U/Manifest.db'], progress: 12.5 }],
      [buildUploadFiles(40, 1234), { name: 'DLMessageUploadFiles', progress: 40, batchBytes: 1234 }],
      [buildGetFreeDiskSpace(), { name: 'DLMessageGetFreeDiskSpace' }],
      [buildPurgeDiskSpace(5000, 4), { name: 'DLMessagePurgeDiskSpace', bytes: 5000, urgency: 4 }],
      [buildContentsOfDirectory('U/Snapshot'), { name: 'DLContentsOfDirectory', path: 'U/Snapshot' }],
      [buildCreateDirectory('U/Snapshot/ab'), { name: 'DLMessageCreateDirectory', path: 'U/Snapshot/ab' }],
      [buildMoveItems([{ from: 'U/Snapshot/a', to: 'U/a' }], 90), { name: 'DLMessageMoveItems', moves: [{ from: 'U/Snapshot/a', to: 'U/a' }], progress: 90 }],
      [buildMoveItems([{ from: 'x', to: 'y' }], 1, 'DLMessageMoveFiles'), { name: 'DLMessageMoveFiles', moves: [{ from: 'x', to: 'y' }], progress: 1 }],
      [buildRemoveItems(['U/Snapshot'], 99), { name: 'DLMessageRemoveItems', paths: ['U/Snapshot'], progress: 99 }],
      [buildRemoveItems(['U/x'], 99, 'DLMessageRemoveFiles'), { name: 'DLMessageRemoveFiles', paths: ['U/x'], progress: 99 }],
      [buildCopyItem('U/a', 'U/b'), { name: 'DLMessageCopyItem', from: 'U/a', to: 'U/b' }],
    ];
    for (const [built, expected] of cases) {
      for (const wire of overTheWire(built)) assert.deepEqual(parseDLMessage(wire), expected);
    }
  });

  it('accepts integer progress and clamps it to 0–100', () => {
    assert.deepEqual(parseDLMessage(['DLMessageDownloadFiles', ['a'], {}, 0, 0]), { name: 'DLMessageDownloadFiles', paths: ['a'], progress: 0 });
    assert.deepEqual(parseDLMessage(['DLMessageUploadFiles', {}, 250, 0]), { name: 'DLMessageUploadFiles', progress: 100, batchBytes: 0 });
    assert.deepEqual(parseDLMessage(['DLMessageUploadFiles']), { name: 'DLMessageUploadFiles', progress: undefined, batchBytes: undefined });
  });

  it('builds directory contents and maps errno symbols to device codes', () => {
    const modified = new Date('2024-01-01T00:00:00Z');
    assert.deepEqual(buildDirectoryContents(new Map([['a', { type: 'DLFileTypeRegular', size: 3, modified }]])), {
      a: { DLFileType: 'DLFileTypeRegular', DLFileSize: 3, DLFileModificationDate: modified },
    });
    assert.equal(deviceErrorFromErrno('ENOENT'), -6);
    assert.equal(deviceErrorFromErrno('ENOSPC'), -15);
    assert.equal(deviceErrorFromErrno('ELOOP'), -10);
    assert.equal(deviceErrorFromErrno('EWHATEVER'), -1);
    assert.equal(deviceErrorFromErrno(undefined), -1);
  });

  describe('refuses malformed messages with a clear ProtocolError', () => {
    const malformed: Array<[string, PlistValue, RegExp]> = [
      ['a dictionary', { a: 1 }, /not an array/],
      ['an empty array', [], /empty DeviceLink message/],
      ['a non-string name', [42], /without a DL message name/],
      ['a name without the DL prefix', ['MessageVersionExchange'], /without a DL message name/],
      ['a short DL name', ['DLMessage'], /unknown DeviceLink message/],
      ['an unknown name', ['DLMessageFrobnicate', 1], /unknown DeviceLink message "DLMessageFrobnicate"/],
      ['too few arguments', ['DLMessageProcessMessage'], /with 0 arguments; 1 expected/],
      ['too many arguments', ['DLMessageDeviceReady', 1], /with 1 arguments; 0 expected/],
      ['too many arguments to a ranged message', ['DLMessageDownloadFiles', [], {}, 0, 0, 0], /1 to 4 expected/],
      ['a version that is not an integer', ['DLMessageVersionExchange', 300.5, 0], /version major is not an integer/],
      ['a version minor that is a string', ['DLMessageVersionExchange', 300, 'x'], /version minor is not an integer/],
      ['a ProcessMessage that is not a dict', ['DLMessageProcessMessage', 'Hello'], /argument is not a dictionary/],
      ['a status code that is a string', ['DLMessageStatusResponse', '0', 'x', {}], /status code is not an integer/],
      ['a status code that is a real', ['DLMessageStatusResponse', 0.5, 'x', {}], /status code is not an integer/],
      ['a status text that is a number', ['DLMessageStatusResponse', 0, 1, {}], /status text is not a string/],
      ['a status code out of range', ['DLMessageStatusResponse', 2n ** 62n, 'x', {}], /status code out of range/],
      ['a Disconnect reason that is a dict', ['DLMessageDisconnect', {}], /argument is not a string/],
      ['a path list that is a string', ['DLMessageDownloadFiles', 'a', {}, 0, 0], /path list is not an array/],
      ['a path that is a number', ['DLMessageRemoveItems', [1], {}, 0], /path that is not a string/],
      ['an empty path', ['DLMessageCreateDirectory', ''], /empty path/],
      ['a path with NUL', ['DLMessageCreateDirectory', 'a\0b'], /NUL character/],
      ['a path too long', ['DLContentsOfDirectory', 'a'.repeat(DL_MAX_NAME_BYTES + 1)], /longer than 4096 bytes/],
      ['moves that are an array', ['DLMessageMoveItems', ['a', 'b'], {}, 0], /moves are not a dictionary/],
      ['a move target that is a number', ['DLMessageMoveItems', { a: 1 }, {}, 0], /path that is not a string/],
      ['a progress that is a string', ['DLMessageUploadFiles', {}, '50', 0], /progress is not a number/],
      ['a progress that is NaN', ['DLMessageRemoveItems', ['a'], {}, Number.NaN], /progress is not a number/],
      ['upload options that are a number', ['DLMessageUploadFiles', 3, 0, 0], /options are not a dictionary/],
      ['a negative byte count', ['DLMessageUploadFiles', {}, 0, -1], /negative byte count/],
      ['a purge size that is a real', ['DLMessagePurgeDiskSpace', 1.5, 4], /byte count is not an integer/],
      ['a copy source that is missing', ['DLMessageCopyItem', 'a'], /with 1 arguments; 2 expected/],
    ];
    for (const [what, value, pattern] of malformed) {
      it(`refuses ${what}`, () => assert.throws(() => parseDLMessage(value), isCorrupt(pattern)));
    }
    it('refuses an unexpected message where another was expected', () => {
      assert.throws(() => expectDLMessage(buildPing(), 'DLMessageDeviceReady'), isCorrupt(/DLMessagePing where DLMessageDeviceReady was expected/));
    });
    it('names the host as the sender when parsing host messages', () => {
      assert.throws(() => parseDLMessage([], 'host'), isCorrupt(/^The host sent/));
    });
  });
});

describe('DeviceLink codec: raw file transfer', () => {
  it('encodes blocks exactly as the protocol lays them out', async () => {
    assert.deepEqual(encodeSuccessBlock(), Buffer.from([0, 0, 0, 1, 0]));
    assert.deepEqual(encodeTransferEnd(), Buffer.from([0, 0, 0, 0]));
    assert.deepEqual(encodeTransferName('ab'), Buffer.from([0, 0, 0, 2, 0x61, 0x62]));
    assert.deepEqual(encodeBlockHeader(DL_BLOCK_CODE.FileData, 3), Buffer.from([0, 0, 0, 4, 0x0c]));
    assert.deepEqual(encodeErrorBlock(DL_BLOCK_CODE.LocalError, 'no'), Buffer.from([0, 0, 0, 3, 0x06, 0x6e, 0x6f]));
    assert.deepEqual(encodeUnavailableFile('a', 'x'), Buffer.from([0, 0, 0, 1, 0x61, 0, 0, 0, 2, 0x06, 0x78]));
    assert.throws(() => encodeTransferName(''), RangeError);
    assert.throws(() => encodeTransferName('a'.repeat(DL_MAX_NAME_BYTES + 1)), RangeError);
  });

  it('re-cuts content into blocks of at most the chunk size', async () => {
    const bytes = await collect(encodeDataBlocks(chunks(Buffer.alloc(10, 1), Buffer.alloc(3, 2)), 4));
    // 10 → 4+4+2, 3 → 3: four blocks of 5-byte header each.
    assert.equal(bytes.length, 13 + 4 * 5);
    assert.deepEqual(bytes.subarray(0, 5), Buffer.from([0, 0, 0, 5, 0x0c]));
  });

  it('round-trips an upload stream (two names per file), including an empty file', async () => {
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const stream = Buffer.concat([
      await collect(encodeUploadedFile('HomeDomain/Library/a.db', 'U/Snapshot/ab/abcd', chunks(big), 30_000)),
      await collect(encodeUploadedFile('HomeDomain/empty', 'U/Snapshot/cd/cdef', chunks())),
      encodeTransferEnd(),
    ]);
    const events = await decodeAll(stream, 'upload', 8192);
    assert.deepEqual(events[0], { kind: 'file', path: 'U/Snapshot/ab/abcd', deviceName: 'HomeDomain/Library/a.db' });
    const data = Buffer.concat(events.filter((e): e is Extract<DLTransferEvent, { kind: 'data' }> => e.kind === 'data').map((e) => e.bytes));
    assert.deepEqual(data, big);
    assert.ok(events.every((e) => e.kind !== 'data' || e.bytes.length <= 8192), 'pieces are bounded');
    const ends = events.filter((e) => e.kind === 'file-end');
    assert.deepEqual(ends, [
      { kind: 'file-end', outcome: { status: 'success' }, bytes: 100_000 },
      { kind: 'file-end', outcome: { status: 'success' }, bytes: 0 },
    ]);
    assert.deepEqual(events.at(-1), { kind: 'end' });
  });

  it('round-trips a download stream with a served and an unavailable file', async () => {
    const stream = Buffer.concat([
      await collect(encodeDownloadedFile('U/Status.plist', chunks(Buffer.from('hello')), () => 'x')),
      encodeUnavailableFile('U/Manifest.db', 'No such file or directory'),
      encodeTransferEnd(),
    ]);
    const events = await decodeAll(stream, 'download');
    assert.deepEqual(events, [
      { kind: 'file', path: 'U/Status.plist', deviceName: undefined },
      { kind: 'data', bytes: Buffer.from('hello') },
      { kind: 'file-end', outcome: { status: 'success' }, bytes: 5 },
      { kind: 'file', path: 'U/Manifest.db', deviceName: undefined },
      { kind: 'file-end', outcome: { status: 'local-error', message: 'No such file or directory' }, bytes: 0 },
      { kind: 'end' },
    ]);
  });

  it('ends a download with a LocalError block when reading fails midway', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('abc');
      throw new Error('disk gone');
    }
    let reported: unknown;
    const stream = Buffer.concat([
      await collect(encodeDownloadedFile('U/x', failing(), (e) => { reported = e; return 'Input/output error'; })),
      encodeTransferEnd(),
    ]);
    assert.match(String(reported), /disk gone/);
    const events = await decodeAll(stream, 'download');
    assert.deepEqual(events[2], { kind: 'file-end', outcome: { status: 'local-error', message: 'Input/output error' }, bytes: 3 });
  });

  it('treats a RemoteError block as "file ended, message attached", noting whether data came first', async () => {
    const stream = Buffer.concat([
      encodeTransferName('D/a'), encodeTransferName('U/a'),
      encodeBlockHeader(DL_BLOCK_CODE.FileData, 2), Buffer.from('hi'),
      encodeErrorBlock(DL_BLOCK_CODE.RemoteError, 'end marker'),
      encodeTransferName('D/b'), encodeTransferName('U/b'),
      encodeErrorBlock(DL_BLOCK_CODE.RemoteError, 'real error'),
      encodeTransferEnd(),
    ]);
    const ends = (await decodeAll(stream, 'upload')).filter((e) => e.kind === 'file-end');
    assert.deepEqual(ends, [
      { kind: 'file-end', outcome: { status: 'remote-error', message: 'end marker', afterData: true }, bytes: 2 },
      { kind: 'file-end', outcome: { status: 'remote-error', message: 'real error', afterData: false }, bytes: 0 },
    ]);
  });

  describe('refuses corrupt transfer streams', () => {
    const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
    const corruptStreams: Array<[string, Buffer, 'upload' | 'download', RegExp]> = [
      ['a name over 4096 bytes', u32(4097), 'download', /file name of 4097 bytes/],
      ['a huge name length', u32(0xffffffff), 'upload', /over the limit of 4096/],
      ['an empty upload target name', Buffer.concat([encodeTransferName('D/a'), u32(0)]), 'upload', /empty target name/],
      ['a zero-length block', Buffer.concat([encodeTransferName('a'), u32(0)]), 'download', /block of length zero/],
      ['a block over the cap', Buffer.concat([encodeTransferName('a'), u32(4 * 1024 * 1024 + 1), Buffer.from([0x0c])]), 'download', /over the limit of 4194304/],
      ['an unknown block code', Buffer.concat([encodeTransferName('a'), u32(1), Buffer.from([0x42])]), 'download', /unknown code 0x42/],
      ['a success block with payload', Buffer.concat([encodeTransferName('a'), u32(2), Buffer.from([0x00, 0x01])]), 'download', /success block with a payload/],
      ['an error text over its cap', Buffer.concat([encodeTransferName('a'), u32(70_000), Buffer.from([0x06])]), 'download', /error text of 69999 bytes/],
      ['a name that is not UTF-8', Buffer.concat([u32(2), Buffer.from([0xc3, 0x28])]), 'download', /not valid UTF-8/],
      ['a name with NUL', Buffer.concat([u32(3), Buffer.from('a\0b')]), 'download', /NUL character/],
      ['a stream cut short', Buffer.concat([encodeTransferName('a'), encodeBlockHeader(DL_BLOCK_CODE.FileData, 10), Buffer.from('abc')]), 'download', /closed the connection/],
    ];
    for (const [what, bytes, direction, pattern] of corruptStreams) {
      it(`refuses ${what}`, async () => {
        await assert.rejects(decodeAll(bytes, direction), isCorrupt(pattern));
      });
    }
    it('refuses a file over the per-file cap', async () => {
      const stream = Buffer.concat([encodeTransferName('a'), encodeBlockHeader(DL_BLOCK_CODE.FileData, 10), Buffer.alloc(10), encodeTransferEnd()]);
      const decoder = new DLTransferDecoder(sourceOf(stream), 'download', { maxFileBytes: 5, timeoutMs: 1000 });
      await decoder.next();
      await assert.rejects(decoder.next(), isCorrupt(/larger than 5 bytes/));
    });
    it(`accepts ${DL_MAX_CONSECUTIVE_EMPTY_BLOCKS} empty data blocks in a row and refuses one more`, async () => {
      const empties = (n: number) => Buffer.concat(Array.from({ length: n }, () => encodeBlockHeader(DL_BLOCK_CODE.FileData, 0)));
      const stream = (n: number) => Buffer.concat([encodeTransferName('a'), empties(n), encodeBlockHeader(DL_BLOCK_CODE.FileData, 3), Buffer.from('abc'), encodeSuccessBlock(), encodeTransferEnd()]);
      const events = await decodeAll(stream(DL_MAX_CONSECUTIVE_EMPTY_BLOCKS), 'download', 64);
      assert.deepEqual(events.map((e) => e.kind), ['file', 'data', 'file-end', 'end']);
      await assert.rejects(decodeAll(stream(DL_MAX_CONSECUTIVE_EMPTY_BLOCKS + 1), 'download'), isCorrupt(/more than 1024 empty file blocks in a row/));
    });
    it('ends a flood of 2 million empty blocks with an error, reading little of it, with heap growth bounded', async () => {
      // Measured in a worker (its own heap): reading the whole flood recursively held ~200 MB; the
      // cap stops the decoder within its first chunk or two, ~2 MB.
      const result = await decodeFloodInWorker(2_000_000, 256);
      assert.equal(result.firstEvent, 'file');
      assert.match(result.error ?? '', /empty file blocks in a row/);
      assert.ok(result.heapGrowthBytes < 32 * 1024 * 1024, `heap grew by ${Math.round(result.heapGrowthBytes / 1024 / 1024)} MB`);
      assert.ok(result.bytesRead < 1024 * 1024, `read ${result.bytesRead} bytes of the flood`);
    });
    it('never reads more than one piece of a large block at a time', async () => {
      const queue = new ByteQueue('device');
      const reads: number[] = [];
      const source: DLRawByteSource = { receiveRaw: (n) => { reads.push(n); return queue.read(n, 1000); } };
      queue.push(Buffer.concat([encodeTransferName('a'), encodeBlockHeader(DL_BLOCK_CODE.FileData, 1_000_000), Buffer.alloc(1_000_000), encodeSuccessBlock(), encodeTransferEnd()]));
      const decoder = new DLTransferDecoder(source, 'download', { readPieceBytes: 65536 });
      while ((await decoder.next()).kind !== 'end');
      assert.ok(Math.max(...reads) <= 65536);
    });
  });
});
