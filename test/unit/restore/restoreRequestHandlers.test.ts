import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevicePathMapper } from '../../../src/backup/transfer/devicePathMapper';
import { IN_PROGRESS_MARKER } from '../../../src/backup/format/backupFolder';
import { RestoreProgressTracker } from '../../../src/restore/restoreProgress';
import { READ_ONLY_TEXT, REFUSED_PATH_TEXT, RestoreRequestHandlers } from '../../../src/restore/restoreRequestHandlers';
import { isPlistDict, type PlistValue } from '../../../src/plist';
import { isProtocolError } from '../../../src/common/errors';
import { DeviceLink } from '../../../src/services/deviceLink';
import {
  buildContentsOfDirectory,
  buildCopyItem,
  buildCreateDirectory,
  buildDisconnect,
  buildDownloadFiles,
  buildGetFreeDiskSpace,
  buildMoveItems,
  buildProcessMessage,
  buildPurgeDiskSpace,
  buildRemoveItems,
  buildUploadFiles,
  DL_BLOCK_CODE,
  DL_SEND_CHUNK_BYTES,
  encodeTransferEnd,
  encodeUploadedFile,
  parseMultiStatus,
} from '../../../src/services/deviceLinkCodec';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { encodePlistFrame, readPlistFrame } from '../../../src/transport/plistFrames';
import type { DeviceLinkConnection } from '../../../src/services/deviceLink';
import { bytesOf, fakeDeviceLinkPair, receiveStatus, type FakeDevice } from '../../fakes/fakeDeviceLinkPeer';

const UDID = '00008110-000A1B2C3D4E801E';

interface Fixture {
  backupDir: string;
  outside: string;
  device: FakeDevice;
  handlers: RestoreRequestHandlers;
  progress: RestoreProgressTracker;
}

/** One file of a DownloadFiles answer as the device sees it on the wire. */
interface ReceivedFile {
  path: string;
  content: Buffer;
  /** Payload sizes of the data blocks, in order. */
  blocks: number[];
  outcome: 'success' | 'local-error';
  errorText?: string;
}

/** Reads a DownloadFiles answer the way a device does: name, blocks, until the zero terminator. */
async function readDownload(device: FakeDevice): Promise<ReceivedFile[]> {
  const files: ReceivedFile[] = [];
  for (;;) {
    const nameLength = (await device.receiveRaw(4)).readUInt32BE(0);
    if (nameLength === 0) return files;
    const file: ReceivedFile = { path: (await device.receiveRaw(nameLength)).toString('utf8'), content: Buffer.alloc(0), blocks: [], outcome: 'success' };
    const parts: Buffer[] = [];
    for (;;) {
      const length = (await device.receiveRaw(4)).readUInt32BE(0);
      const code = (await device.receiveRaw(1))[0];
      const payload = length > 1 ? await device.receiveRaw(length - 1) : Buffer.alloc(0);
      if (code === DL_BLOCK_CODE.FileData) {
        parts.push(payload);
        file.blocks.push(payload.length);
        continue;
      }
      if (code === DL_BLOCK_CODE.LocalError) {
        file.outcome = 'local-error';
        file.errorText = payload.toString('utf8');
      } else {
        assert.equal(code, DL_BLOCK_CODE.Success);
      }
      break;
    }
    file.content = Buffer.concat(parts);
    files.push(file);
  }
}

/** Runs the real request loop against a fake device, serving a temp backup folder `<root>/<UDID>`. */
async function withLoop(test: (f: Fixture) => Promise<void>): Promise<void> {
  const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-restore-handlers-')));
  const backupDir = path.join(base, 'root', UDID);
  const outside = path.join(base, 'outside');
  await fs.mkdir(backupDir, { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'secret'), 'outside secret');
  const { host, device } = fakeDeviceLinkPair();
  const progress = new RestoreProgressTracker(undefined);
  const handlers = new RestoreRequestHandlers(new DevicePathMapper(path.dirname(backupDir), UDID, backupDir), progress);
  const loop = new DeviceLink(host).runRequestLoop(handlers.table());
  try {
    await test({ backupDir, outside, device, handlers, progress });
    device.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }));
    await loop;
    assert.deepEqual(handlers.loopEnd, { kind: 'result', result: { errorCode: 0 } });
    assert.deepEqual((await fs.readdir(outside)).sort(), ['secret'], 'nothing may be written outside the backup folder');
    assert.equal(await fs.readFile(path.join(outside, 'secret'), 'utf8'), 'outside secret');
  } finally {
    host.close();
    await fs.rm(base, { recursive: true, force: true });
  }
}

describe('restore request handlers', () => {
  describe('DownloadFiles', () => {
    it('streams a large file in 32 KiB blocks and counts files and bytes', async () => {
      await withLoop(async ({ backupDir, device, progress }) => {
        const big = Buffer.alloc(200_000);
        for (let i = 0; i < big.length; i++) big[i] = i % 251;
        await fs.mkdir(path.join(backupDir, 'ab'));
        await fs.writeFile(path.join(backupDir, 'ab', 'ab12'), big);
        await fs.writeFile(path.join(backupDir, 'Manifest.plist'), 'manifest');
        device.send(buildDownloadFiles([`${UDID}/ab/ab12`, `${UDID}/Manifest.plist`], 12.5));
        const files = await readDownload(device);
        assert.equal(files.length, 2);
        assert.equal(files[0].path, `${UDID}/ab/ab12`);
        assert.ok(files[0].content.equals(big));
        assert.ok(files[0].blocks.every((n) => n <= DL_SEND_CHUNK_BYTES), `blocks: ${files[0].blocks.join(',')}`);
        assert.ok(files[0].blocks.length >= Math.ceil(big.length / DL_SEND_CHUNK_BYTES));
        assert.equal(files[1].content.toString(), 'manifest');
        assert.deepEqual(await receiveStatus(device), { code: 0, text: undefined, value: {} });
        const counters = progress.snapshot();
        assert.equal(counters.filesSent, 2);
        assert.equal(counters.bytesSent, big.length + 'manifest'.length);
      });
    });

    it('streams with backpressure: a slow device never has more than a little of a big file queued', async () => {
      const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-restore-stream-')));
      const backupDir = path.join(base, UDID);
      await fs.mkdir(backupDir);
      const size = 16 * 1024 * 1024;
      await fs.writeFile(path.join(backupDir, 'big'), Buffer.alloc(size, 7));
      // A connection that, like a socket, reports when its unsent backlog is small again.
      const toDevice = new ByteQueue('host');
      const toHost = new ByteQueue('device');
      const backlogLimit = 256 * 1024;
      const host: DeviceLinkConnection = {
        sendPlist: (value) => toDevice.push(encodePlistFrame(value, 'binary')),
        receivePlist: (timeoutMs = 2000) => readPlistFrame(toHost, 'com.apple.mobilebackup2', { maxBytes: 1 << 20, timeoutMs }),
        sendRaw: (bytes) => toDevice.push(Buffer.from(bytes)),
        receiveRaw: (n, timeoutMs = 2000) => toHost.read(n, timeoutMs),
        close: () => {
          toHost.end();
          toDevice.end();
        },
        drained: async () => {
          while (toDevice.length > backlogLimit) await new Promise((resolve) => setTimeout(resolve, 5));
        },
      };
      const handlers = new RestoreRequestHandlers(new DevicePathMapper(base, UDID, backupDir), new RestoreProgressTracker(undefined));
      const loop = new DeviceLink(host).runRequestLoop(handlers.table());
      try {
        toHost.push(encodePlistFrame(buildDownloadFiles([`${UDID}/big`]), 'xml'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        let peak = toDevice.length;
        assert.ok(peak < 2 * backlogLimit, `queued ${peak} bytes before the device read anything`);
        let received = 0;
        const nameLength = (await toDevice.read(4, 2000)).readUInt32BE(0);
        await toDevice.read(nameLength, 2000);
        for (;;) {
          const header = await toDevice.read(5, 2000);
          const payload = header.readUInt32BE(0) - 1;
          if (header[4] !== DL_BLOCK_CODE.FileData) break;
          await toDevice.read(payload, 2000);
          received += payload;
          peak = Math.max(peak, toDevice.length);
        }
        assert.equal(received, size);
        assert.ok(peak < 2 * backlogLimit, `at most ${peak} bytes were ever queued`);
        assert.equal((await toDevice.read(4, 2000)).readUInt32BE(0), 0);
        toHost.push(encodePlistFrame(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }), 'xml'));
        await loop;
      } finally {
        host.close();
        await fs.rm(base, { recursive: true, force: true });
      }
    });

    it('an empty file is just the success block', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.writeFile(path.join(backupDir, 'Status.plist'), '');
        device.send(buildDownloadFiles([`${UDID}/Status.plist`]));
        assert.deepEqual(await readDownload(device), [{ path: `${UDID}/Status.plist`, content: Buffer.alloc(0), blocks: [], outcome: 'success' }]);
        assert.equal((await receiveStatus(device)).code, 0);
      });
    });

    it('answers a missing file with -6 inside a -13 multi-status and still serves the others', async () => {
      await withLoop(async ({ backupDir, device, handlers }) => {
        await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
        device.send(buildDownloadFiles([`${UDID}/Missing.plist`, `${UDID}/Info.plist`]));
        const files = await readDownload(device);
        assert.equal(files[0].outcome, 'local-error');
        assert.equal(files[0].errorText, 'No such file or directory');
        assert.equal(files[1].content.toString(), 'info');
        const reply = await receiveStatus(device);
        assert.equal(reply.code, -13);
        assert.equal(reply.text, 'Multi status');
        assert.deepEqual(parseMultiStatus(reply.value, 'host'), new Map([[`${UDID}/Missing.plist`, { code: -6, text: 'No such file or directory' }]]));
        assert.deepEqual(handlers.unavailableFiles, [`${UDID}/Missing.plist: No such file or directory`]);
      });
    });

    it('answers a directory with -9 (is a directory)', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.mkdir(path.join(backupDir, 'ab'));
        device.send(buildDownloadFiles([`${UDID}/ab`]));
        assert.equal((await readDownload(device))[0].outcome, 'local-error');
        assert.deepEqual(parseMultiStatus((await receiveStatus(device)).value, 'host').get(`${UDID}/ab`), { code: -9, text: 'Is a directory' });
      });
    });

    const escapes: Array<[string, string]> = [
      ['a "../" path', `${UDID}/../../outside/secret`],
      ['a leading "../"', '../outside/secret'],
      ['an absolute path', '/etc/passwd'],
      ['another device folder', '00008120-001C2D3E4F5A602E/Info.plist'],
      ['the backup root itself', 'Info.plist'],
    ];
    for (const [what, devicePath] of escapes) {
      it(`refuses ${what} with -1 for that file alone and reads nothing outside`, async () => {
        await withLoop(async ({ backupDir, device, handlers }) => {
          await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
          device.send(buildDownloadFiles([devicePath, `${UDID}/Info.plist`]));
          const files = await readDownload(device);
          assert.deepEqual(files[0], { path: devicePath, content: Buffer.alloc(0), blocks: [], outcome: 'local-error', errorText: REFUSED_PATH_TEXT });
          assert.equal(files[1].content.toString(), 'info');
          const reply = await receiveStatus(device);
          assert.equal(reply.code, -13);
          assert.deepEqual(parseMultiStatus(reply.value, 'host'), new Map([[devicePath, { code: -1, text: REFUSED_PATH_TEXT }]]));
          assert.deepEqual(handlers.refusedPaths, [devicePath]);
        });
      });
    }

    it('refuses a file symlink that leads outside the backup folder', async () => {
      await withLoop(async ({ backupDir, outside, device, handlers }) => {
        await fs.symlink(path.join(outside, 'secret'), path.join(backupDir, 'Manifest.db'));
        device.send(buildDownloadFiles([`${UDID}/Manifest.db`]));
        const [file] = await readDownload(device);
        assert.equal(file.outcome, 'local-error');
        assert.equal(file.content.length, 0);
        assert.equal((await receiveStatus(device)).code, -13);
        assert.deepEqual(handlers.refusedPaths, [`${UDID}/Manifest.db`]);
      });
    });

    it('refuses a path through a folder symlink that leads outside', async () => {
      await withLoop(async ({ backupDir, outside, device }) => {
        await fs.symlink(outside, path.join(backupDir, 'ab'));
        device.send(buildDownloadFiles([`${UDID}/ab/secret`]));
        const [file] = await readDownload(device);
        assert.equal(file.outcome, 'local-error');
        assert.deepEqual(parseMultiStatus((await receiveStatus(device)).value, 'host').get(`${UDID}/ab/secret`), { code: -1, text: REFUSED_PATH_TEXT });
      });
    });

    it('refuses a symlink even when it stays inside, as the last component or on the way', async () => {
      await withLoop(async ({ backupDir, device, handlers }) => {
        await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
        await fs.symlink(path.join(backupDir, 'Info.plist'), path.join(backupDir, 'alias'));
        await fs.mkdir(path.join(backupDir, 'd1', 'd2', 'd3'), { recursive: true });
        await fs.symlink('../../..', path.join(backupDir, 'd1', 'd2', 'd3', 'lnk'));
        device.send(buildDownloadFiles([`${UDID}/alias`, `${UDID}/d1/d2/d3/lnk/Info.plist`, `${UDID}/Info.plist`]));
        const files = await readDownload(device);
        assert.deepEqual(files.map((f) => f.outcome), ['local-error', 'local-error', 'success']);
        const failures = parseMultiStatus((await receiveStatus(device)).value, 'host');
        assert.deepEqual(failures.get(`${UDID}/alias`), { code: -1, text: REFUSED_PATH_TEXT });
        assert.deepEqual(failures.get(`${UDID}/d1/d2/d3/lnk/Info.plist`), { code: -1, text: REFUSED_PATH_TEXT });
        device.send(buildContentsOfDirectory(`${UDID}/d1/d2/d3/lnk`));
        assert.deepEqual(await receiveStatus(device), { code: -1, text: REFUSED_PATH_TEXT, value: {} });
        assert.deepEqual(handlers.refusedPaths, [`${UDID}/alias`, `${UDID}/d1/d2/d3/lnk/Info.plist`, `${UDID}/d1/d2/d3/lnk`]);
      });
    });

    it('refuses our in-progress marker, in any case', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.writeFile(path.join(backupDir, IN_PROGRESS_MARKER), '{}');
        device.send(buildDownloadFiles([`${UDID}/${IN_PROGRESS_MARKER}`, `${UDID}/${IN_PROGRESS_MARKER.toUpperCase()}/x`]));
        assert.deepEqual((await readDownload(device)).map((f) => f.errorText), [REFUSED_PATH_TEXT, REFUSED_PATH_TEXT]);
        assert.equal((await receiveStatus(device)).code, -13);
      });
    });

    it('accepts the UDID folder in either case', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
        device.send(buildDownloadFiles([`${UDID.toLowerCase()}/Info.plist`]));
        assert.equal((await readDownload(device))[0].content.toString(), 'info');
        assert.equal((await receiveStatus(device)).code, 0);
      });
    });
  });

  describe('other requests', () => {
    it('GetFreeDiskSpace answers the free bytes as a number; PurgeDiskSpace says it cannot', async () => {
      await withLoop(async ({ device }) => {
        device.send(buildGetFreeDiskSpace());
        const free = await receiveStatus(device);
        assert.equal(free.code, 0);
        assert.equal(typeof free.value, 'number');
        assert.ok((free.value as number) > 0);
        device.send(buildPurgeDiskSpace(1000));
        assert.equal((await receiveStatus(device)).code, -1);
      });
    });

    it('ContentsOfDirectory lists the backup without our marker; outside paths are refused', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
        await fs.writeFile(path.join(backupDir, IN_PROGRESS_MARKER), '{}');
        await fs.mkdir(path.join(backupDir, 'ab'));
        device.send(buildContentsOfDirectory(UDID));
        const listing = await receiveStatus(device);
        assert.equal(listing.code, 0);
        assert.ok(isPlistDict(listing.value));
        assert.deepEqual(Object.keys(listing.value).sort(), ['Info.plist', 'ab']);
        assert.deepEqual((listing.value['ab'] as Record<string, PlistValue>).DLFileType, 'DLFileTypeDirectory');
        device.send(buildContentsOfDirectory(`${UDID}/../..`));
        assert.deepEqual(await receiveStatus(device), { code: -1, text: REFUSED_PATH_TEXT, value: {} });
        device.send(buildContentsOfDirectory(`${UDID}/nothing`));
        assert.equal((await receiveStatus(device)).code, -6);
      });
    });

    it('CreateDirectory, MoveItems, CopyItem and RemoveItems are refused as read-only and change nothing', async () => {
      await withLoop(async ({ backupDir, device, handlers }) => {
        await fs.mkdir(path.join(backupDir, 'ab'));
        await fs.writeFile(path.join(backupDir, 'ab', 'ab01'), 'one');
        const readOnly = { code: -1, text: READ_ONLY_TEXT, value: {} };
        device.send(buildCreateDirectory(`${UDID}/Snapshot/ab`));
        assert.deepEqual(await receiveStatus(device), readOnly);
        device.send(buildMoveItems([{ from: `${UDID}/ab/ab01`, to: `${UDID}/ab/ab02` }], 50));
        assert.deepEqual(await receiveStatus(device), readOnly);
        device.send(buildCopyItem(`${UDID}/ab`, `${UDID}/cd`));
        assert.deepEqual(await receiveStatus(device), readOnly);
        device.send(buildRemoveItems([`${UDID}/ab`], 90));
        assert.deepEqual(await receiveStatus(device), readOnly);
        assert.deepEqual((await fs.readdir(backupDir)).sort(), ['ab']);
        assert.deepEqual(await fs.readdir(path.join(backupDir, 'ab')), ['ab01']);
        assert.equal(await fs.readFile(path.join(backupDir, 'ab', 'ab01'), 'utf8'), 'one');
        assert.deepEqual(handlers.refusedPaths, [`${UDID}/Snapshot/ab`, `${UDID}/ab/ab01`, `${UDID}/ab/ab02`, `${UDID}/ab`, `${UDID}/cd`, `${UDID}/ab`]);
      });
    });

    it('never moves, copies over or removes the backup folder itself, nor anything outside', async () => {
      await withLoop(async ({ backupDir, device }) => {
        await fs.writeFile(path.join(backupDir, 'Info.plist'), 'info');
        device.send(buildRemoveItems([UDID], 10));
        assert.equal((await receiveStatus(device)).code, -1);
        device.send(buildRemoveItems([`${UDID}/../../outside`], 10));
        assert.deepEqual(await receiveStatus(device), { code: -1, text: READ_ONLY_TEXT, value: {} });
        device.send(buildMoveItems([{ from: `${UDID}/Info.plist`, to: `${UDID}/../../outside/stolen` }], 10));
        assert.equal((await receiveStatus(device)).code, -1);
        device.send(buildMoveItems([{ from: UDID, to: `${UDID}/x` }], 10));
        assert.equal((await receiveStatus(device)).code, -1);
        device.send(buildCopyItem(`${UDID}/Info.plist`, UDID));
        assert.equal((await receiveStatus(device)).code, -1);
        device.send(buildCopyItem(`${UDID}/../../outside/secret`, `${UDID}/copied`));
        assert.equal((await receiveStatus(device)).code, -1);
        device.send(buildCreateDirectory('/tmp/evil'));
        assert.equal((await receiveStatus(device)).code, -1);
        assert.equal(await fs.readFile(path.join(backupDir, 'Info.plist'), 'utf8'), 'info');
        assert.equal(existsSync(path.join(backupDir, 'copied')), false);
      });
    });

    it('UploadFiles is read to its end, written nowhere, and answered read-only', async () => {
      await withLoop(async ({ backupDir, device, handlers }) => {
        device.send(buildUploadFiles(20, 0));
        for await (const part of encodeUploadedFile('HomeDomain/a', `${UDID}/../../outside/evil`, bytesOf('evil'))) device.sendRaw(part);
        for await (const part of encodeUploadedFile('HomeDomain/b', `${UDID}/uploaded/b`, bytesOf('fine'))) device.sendRaw(part);
        device.sendRaw(encodeTransferEnd());
        assert.deepEqual(await receiveStatus(device), { code: -1, text: READ_ONLY_TEXT, value: {} });
        assert.deepEqual(await fs.readdir(backupDir), []);
        assert.deepEqual(handlers.refusedPaths, [`${UDID}/../../outside/evil`, `${UDID}/uploaded/b`]);
        // Still in step: the next request is answered normally.
        device.send(buildContentsOfDirectory(UDID));
        assert.equal((await receiveStatus(device)).code, 0);
      });
    });
  });

  describe('end of the loop', () => {
    it('a final result with an error code ends the loop with that result', async () => {
      const { host, device } = fakeDeviceLinkPair();
      const handlers = new RestoreRequestHandlers(new DevicePathMapper(os.tmpdir(), UDID, os.tmpdir()), new RestoreProgressTracker(undefined));
      const loop = new DeviceLink(host).runRequestLoop(handlers.table());
      device.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 211, ErrorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' }));
      await loop;
      assert.deepEqual(handlers.loopEnd, { kind: 'result', result: { errorCode: 211, errorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' } });
      host.close();
    });

    it('a device disconnect ends the loop without a result', async () => {
      const { host, device } = fakeDeviceLinkPair();
      const handlers = new RestoreRequestHandlers(new DevicePathMapper(os.tmpdir(), UDID, os.tmpdir()), new RestoreProgressTracker(undefined));
      const loop = new DeviceLink(host).runRequestLoop(handlers.table());
      device.send(buildDisconnect('bye'));
      await loop;
      assert.deepEqual(handlers.loopEnd, { kind: 'disconnect', reason: 'bye' });
      host.close();
    });

    it('a dropped link rejects the loop', async () => {
      const { host, device } = fakeDeviceLinkPair();
      const handlers = new RestoreRequestHandlers(new DevicePathMapper(os.tmpdir(), UDID, os.tmpdir()), new RestoreProgressTracker(undefined));
      const loop = new DeviceLink(host).runRequestLoop(handlers.table());
      device.close();
      await assert.rejects(loop, (e) => isProtocolError(e) && /closed the connection/.test(e.message));
      assert.equal(handlers.loopEnd, undefined);
      host.close();
    });
  });
});
