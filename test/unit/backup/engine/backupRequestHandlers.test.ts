import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackupProgressTracker } from '../../../../src/backup/engine/backupProgress';
import { BackupRequestHandlers } from '../../../../src/backup/engine/backupRequestHandlers';
import { DevicePathMapper } from '../../../../src/backup/transfer/devicePathMapper';
import { IN_PROGRESS_MARKER } from '../../../../src/backup/format/backupFolder';
import { isUnsafePathError } from '../../../../src/backup/format/formatErrors';
import { isBackupError } from '../../../../src/common/errors';
import { isPlistDict } from '../../../../src/plist';
import { DeviceLink } from '../../../../src/services/deviceLink';
import {
  buildContentsOfDirectory,
  buildCopyItem,
  buildCreateDirectory,
  buildDownloadFiles,
  buildGetFreeDiskSpace,
  buildMoveItems,
  buildProcessMessage,
  buildPurgeDiskSpace,
  buildRemoveItems,
  buildUploadFiles,
  DLTransferDecoder,
  encodeBlockHeader,
  encodeErrorBlock,
  encodeTransferEnd,
  encodeTransferName,
  encodeUploadedFile,
  parseMultiStatus,
  DL_BLOCK_CODE,
  type DLTransferEvent,
} from '../../../../src/services/deviceLinkCodec';
import { bytesOf, fakeDeviceLinkPair, receiveStatus, type FakeDevice } from '../../../fakes/fakeDeviceLinkPeer';

const UDID = '00008110-000A1B2C3D4E801E';

interface Fixture {
  root: string;
  staging: string;
  outside: string;
  device: FakeDevice;
  handlers: BackupRequestHandlers;
  files: () => number;
}

async function upload(device: FakeDevice, files: Array<[string, string | Buffer]>, tail: Buffer = encodeTransferEnd()): Promise<void> {
  device.send(buildUploadFiles(50, 0));
  for (const [target, content] of files) {
    for await (const part of encodeUploadedFile(`HomeDomain/${path.basename(target)}`, target, bytesOf(content))) device.sendRaw(part);
  }
  device.sendRaw(tail);
}

/** Runs the real request loop against a fake device, in a temp backup root with a staging folder. */
async function withLoop(test: (f: Fixture) => Promise<void>, expectFailure?: (err: unknown) => boolean): Promise<void> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-handlers-'));
  const root = path.join(base, 'root');
  const staging = path.join(root, `${UDID}.iosbr-staging`);
  const outside = path.join(base, 'outside');
  await fs.mkdir(staging, { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(staging, IN_PROGRESS_MARKER), '{}');
  const { host, device } = fakeDeviceLinkPair();
  const progress = new BackupProgressTracker(undefined);
  const handlers = new BackupRequestHandlers(new DevicePathMapper(root, UDID, staging), progress);
  const loop = new DeviceLink(host).runRequestLoop(handlers.table());
  try {
    if (expectFailure) {
      await test({ root, staging, outside, device, handlers, files: () => progress.snapshot().filesReceived });
      await assert.rejects(loop, expectFailure);
    } else {
      await test({ root, staging, outside, device, handlers, files: () => progress.snapshot().filesReceived });
      device.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }));
      await loop;
      assert.deepEqual(handlers.loopEnd, { kind: 'result', result: { errorCode: 0 } });
    }
    assert.deepEqual(await fs.readdir(outside), [], 'nothing may be written outside the backup folder');
  } finally {
    host.close();
    await fs.rm(base, { recursive: true, force: true });
  }
}

describe('backup request handlers', () => {
  it('DownloadFiles streams present files and answers -13 multi-status with -6 for missing ones', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.writeFile(path.join(staging, 'Status.plist'), 'status-bytes');
      device.send(buildDownloadFiles([`${UDID}/Status.plist`, `${UDID}/Manifest.plist`], 0));
      const decoder = new DLTransferDecoder(device, 'download', { timeoutMs: 2000 }, 'host');
      const events: DLTransferEvent[] = [];
      for (let e = await decoder.next(); e.kind !== 'end'; e = await decoder.next()) events.push(e);
      assert.deepEqual(events, [
        { kind: 'file', path: `${UDID}/Status.plist`, deviceName: undefined },
        { kind: 'data', bytes: Buffer.from('status-bytes') },
        { kind: 'file-end', outcome: { status: 'success' }, bytes: 12 },
        { kind: 'file', path: `${UDID}/Manifest.plist`, deviceName: undefined },
        { kind: 'file-end', outcome: { status: 'local-error', message: 'No such file or directory' }, bytes: 0 },
      ]);
      const reply = await receiveStatus(device);
      assert.equal(reply.code, -13);
      assert.equal(reply.text, 'Multi status');
      assert.deepEqual(parseMultiStatus(reply.value, 'host'), new Map([[`${UDID}/Manifest.plist`, { code: -6, text: 'No such file or directory' }]]));
    });
  });

  it('DownloadFiles of present files only answers 0 with an empty dictionary', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.writeFile(path.join(staging, 'Status.plist'), '');
      device.send(buildDownloadFiles([`${UDID}/Status.plist`], 0));
      const decoder = new DLTransferDecoder(device, 'download', {}, 'host');
      while ((await decoder.next()).kind !== 'end');
      assert.deepEqual(await receiveStatus(device), { code: 0, text: undefined, value: {} });
    });
  });

  it('UploadFiles writes each file, counting files, into the staging folder', async () => {
    await withLoop(async ({ staging, device, files }) => {
      await fs.mkdir(path.join(staging, 'Snapshot', 'ab'), { recursive: true });
      await upload(device, [[`${UDID}/Snapshot/ab/abcdef`, 'hello'], [`${UDID}/Snapshot/Manifest.db`, Buffer.alloc(70_000, 7)]]);
      assert.deepEqual(await receiveStatus(device), { code: 0, text: undefined, value: {} });
      assert.equal(await fs.readFile(path.join(staging, 'Snapshot', 'ab', 'abcdef'), 'utf8'), 'hello');
      assert.equal((await fs.stat(path.join(staging, 'Snapshot', 'Manifest.db'))).size, 70_000);
      assert.equal(files(), 2);
    });
  });

  it('UploadFiles replaces a file hard-linked to the previous backup without touching the previous copy', async () => {
    await withLoop(async ({ root, staging, device }) => {
      const previous = path.join(root, UDID);
      await fs.mkdir(path.join(previous, 'ab'), { recursive: true });
      await fs.writeFile(path.join(previous, 'ab', 'ab01'), 'old content');
      await fs.mkdir(path.join(staging, 'ab'));
      await fs.link(path.join(previous, 'ab', 'ab01'), path.join(staging, 'ab', 'ab01'));
      await upload(device, [[`${UDID}/ab/ab01`, 'new']]);
      await receiveStatus(device);
      assert.equal(await fs.readFile(path.join(previous, 'ab', 'ab01'), 'utf8'), 'old content');
      assert.equal(await fs.readFile(path.join(staging, 'ab', 'ab01'), 'utf8'), 'new');
      assert.notEqual((await fs.stat(path.join(previous, 'ab', 'ab01'))).ino, (await fs.stat(path.join(staging, 'ab', 'ab01'))).ino);
    });
  });

  it('UploadFiles drops a file the device ended with an error before any data, keeps one ended by an error after data', async () => {
    await withLoop(async ({ staging, device, handlers }) => {
      device.send(buildUploadFiles(10, 0));
      device.sendRaw(Buffer.concat([encodeTransferName('D/a'), encodeTransferName(`${UDID}/a`), encodeErrorBlock(DL_BLOCK_CODE.RemoteError, 'Input/output error')]));
      device.sendRaw(Buffer.concat([encodeTransferName('D/b'), encodeTransferName(`${UDID}/b`), encodeBlockHeader(DL_BLOCK_CODE.FileData, 2), Buffer.from('ok'), encodeErrorBlock(DL_BLOCK_CODE.RemoteError, 'end')]));
      device.sendRaw(encodeTransferEnd());
      assert.equal((await receiveStatus(device)).code, 0);
      assert.equal(existsSync(path.join(staging, 'a')), false);
      assert.equal(await fs.readFile(path.join(staging, 'b'), 'utf8'), 'ok');
      assert.deepEqual(handlers.uploadWarnings, [`${UDID}/a: Input/output error`]);
    });
  });

  it('UploadFiles reads the whole stream and answers the device error code when a file cannot be written', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.mkdir(path.join(staging, 'taken', 'inner'), { recursive: true });
      await upload(device, [[`${UDID}/taken`, 'x'], [`${UDID}/fine`, 'y']]);
      const reply = await receiveStatus(device);
      assert.ok(reply.code < 0, `expected a device error code, got ${reply.code}`);
      assert.equal(await fs.readFile(path.join(staging, 'fine'), 'utf8'), 'y');
    });
  });

  describe('refuses device paths that leave the backup folder', () => {
    const unsafe: Array<[string, string]> = [
      ['a ".." segment', `${UDID}/../../outside/evil`],
      ['an absolute path', '/tmp/evil'],
      ['another device folder', 'OTHERUDID/evil'],
      ['the root itself', 'evil'],
    ];
    for (const [what, target] of unsafe) {
      it(`UploadFiles with ${what} fails the backup and writes nothing`, async () => {
        await withLoop(async ({ device }) => {
          await upload(device, [[target, 'evil']]);
        }, (e) => isUnsafePathError(e) && /Refused the path/.test(e.message));
      });
    }
    it('a path through a symlink that leaves the folder', async () => {
      await withLoop(async ({ staging, outside, device }) => {
        await fs.symlink(outside, path.join(staging, 'link'));
        await upload(device, [[`${UDID}/link/evil`, 'evil']]);
      }, (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    });
    it('DownloadFiles of a file outside is refused before any byte is sent', async () => {
      await withLoop(async ({ device }) => {
        device.send(buildDownloadFiles([`${UDID}/../outside/secret`], 0));
      }, (e) => isUnsafePathError(e));
    });
    it('MoveItems to outside is refused before anything moves', async () => {
      await withLoop(async ({ staging, device }) => {
        await fs.writeFile(path.join(staging, 'a'), 'a');
        device.send(buildMoveItems([{ from: `${UDID}/a`, to: `${UDID}/../../outside/a` }], 90));
      }, (e) => isUnsafePathError(e));
    });
    it('RemoveItems outside is refused', async () => {
      await withLoop(async ({ device }) => {
        device.send(buildRemoveItems([`${UDID}/../../outside`], 90));
      }, (e) => isUnsafePathError(e));
    });
    it('CopyItem from outside is refused', async () => {
      await withLoop(async ({ device }) => {
        device.send(buildCopyItem('/etc/passwd', `${UDID}/passwd`));
      }, (e) => isUnsafePathError(e));
    });
    it('ContentsOfDirectory outside is refused', async () => {
      await withLoop(async ({ device }) => {
        device.send(buildContentsOfDirectory(`${UDID}/..`));
      }, (e) => isUnsafePathError(e));
    });
    it('a file written over the backup folder itself is refused', async () => {
      await withLoop(async ({ device }) => {
        await upload(device, [[UDID, 'x']]);
      }, (e) => isBackupError(e) && /backup folder itself/.test(e.message));
    });
  });

  it('CreateDirectory is mkdir -p and succeeds for an existing folder', async () => {
    await withLoop(async ({ staging, device }) => {
      device.send(buildCreateDirectory(`${UDID}/Snapshot/ab/cd`));
      assert.equal((await receiveStatus(device)).code, 0);
      device.send(buildCreateDirectory(`${UDID}/Snapshot/ab`));
      assert.equal((await receiveStatus(device)).code, 0);
      assert.ok((await fs.stat(path.join(staging, 'Snapshot', 'ab', 'cd'))).isDirectory());
    });
  });

  it('MoveItems replaces an existing destination (also a folder) and reports -6 for a missing source', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.mkdir(path.join(staging, 'Snapshot', 'ab'), { recursive: true });
      await fs.writeFile(path.join(staging, 'Snapshot', 'ab', 'f'), 'new');
      await fs.mkdir(path.join(staging, 'ab', 'old'), { recursive: true });
      device.send(buildMoveItems([{ from: `${UDID}/Snapshot/ab`, to: `${UDID}/ab` }], 95));
      assert.equal((await receiveStatus(device)).code, 0);
      assert.deepEqual(await fs.readdir(path.join(staging, 'ab')), ['f']);
      device.send(buildMoveItems([{ from: `${UDID}/missing`, to: `${UDID}/ab` }], 96));
      assert.equal((await receiveStatus(device)).code, -6);
      assert.deepEqual(await fs.readdir(path.join(staging, 'ab')), ['f'], 'a failed move deletes nothing');
    });
  });

  it('RemoveItems deletes recursively, a missing path is fine, and removing the folder itself keeps the marker', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.mkdir(path.join(staging, 'Snapshot', 'x'), { recursive: true });
      await fs.writeFile(path.join(staging, 'Snapshot', 'x', 'f'), 'f');
      device.send(buildRemoveItems([`${UDID}/Snapshot`, `${UDID}/never-there`], 99));
      assert.equal((await receiveStatus(device)).code, 0);
      assert.equal(existsSync(path.join(staging, 'Snapshot')), false);
      await fs.writeFile(path.join(staging, 'Info.plist'), 'i');
      device.send(buildRemoveItems([UDID], 99));
      assert.equal((await receiveStatus(device)).code, 0);
      assert.deepEqual(await fs.readdir(staging), [IN_PROGRESS_MARKER]);
    });
  });

  it('CopyItem copies files and folders into fresh files', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.mkdir(path.join(staging, 'd', 'e'), { recursive: true });
      await fs.writeFile(path.join(staging, 'd', 'e', 'f'), 'content');
      device.send(buildCopyItem(`${UDID}/d`, `${UDID}/copy`));
      assert.equal((await receiveStatus(device)).code, 0);
      assert.equal(await fs.readFile(path.join(staging, 'copy', 'e', 'f'), 'utf8'), 'content');
      assert.notEqual((await fs.stat(path.join(staging, 'copy', 'e', 'f'))).ino, (await fs.stat(path.join(staging, 'd', 'e', 'f'))).ino);
      device.send(buildCopyItem(`${UDID}/d`, `${UDID}/d/e/inside`));
      assert.equal((await receiveStatus(device)).code, -1, 'a folder cannot be copied into itself');
    });
  });

  it('CopyItem into the source under another case or Unicode form counts as copying into itself', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.mkdir(path.join(staging, 'Folder'));
      await fs.writeFile(path.join(staging, 'Folder', 'f'), 'content');
      // On macOS and Windows "folder" is "Folder": the copy would walk into its own output.
      device.send(buildCopyItem(`${UDID}/Folder`, `${UDID}/folder/inside`));
      assert.deepEqual(await receiveStatus(device), { code: -1, text: 'Invalid argument', value: {} });
      device.send(buildCopyItem(`${UDID}/Folder/f`, `${UDID}/FOLDER/F`));
      assert.deepEqual(await receiveStatus(device), { code: -1, text: 'Invalid argument', value: {} }, 'onto itself');
      assert.deepEqual(await fs.readdir(staging).then((names) => names.sort()), [IN_PROGRESS_MARKER, 'Folder']);
      assert.equal(await fs.readFile(path.join(staging, 'Folder', 'f'), 'utf8'), 'content');
    });
  });

  for (const [what, request] of [
    ['RemoveItems', () => buildRemoveItems([`${UDID}/${IN_PROGRESS_MARKER}`], 50)],
    ['MoveItems over it', () => buildMoveItems([{ from: `${UDID}/Status.plist`, to: `${UDID}/${IN_PROGRESS_MARKER.toUpperCase()}` }], 50)],
    ['CopyItem over it', () => buildCopyItem(`${UDID}/Status.plist`, `${UDID}/${IN_PROGRESS_MARKER}`)],
  ] as const) {
    it(`${what}: our in-progress marker is reserved, the backup fails and the marker stays`, async () => {
      let marker = '';
      await withLoop(
        async ({ staging, device }) => {
          marker = path.join(staging, IN_PROGRESS_MARKER);
          await fs.writeFile(path.join(staging, 'Status.plist'), 's');
          device.send(request());
        },
        // Looked at once the request loop has failed, before the folder is cleaned up.
        (e) => isUnsafePathError(e) && /reserved/.test(e.message) && readFileSync(marker, 'utf8') === '{}',
      );
    });
  }

  it('ContentsOfDirectory lists type, size and date, hiding our marker', async () => {
    await withLoop(async ({ staging, device }) => {
      await fs.writeFile(path.join(staging, 'Status.plist'), 'abc');
      await fs.mkdir(path.join(staging, 'ab'));
      device.send(buildContentsOfDirectory(UDID));
      const reply = await receiveStatus(device);
      assert.equal(reply.code, 0);
      assert.ok(isPlistDict(reply.value));
      assert.deepEqual(Object.keys(reply.value).sort(), ['Status.plist', 'ab']);
      const file = reply.value['Status.plist'];
      assert.ok(isPlistDict(file));
      assert.equal(file.DLFileType, 'DLFileTypeRegular');
      assert.equal(file.DLFileSize, 3);
      assert.ok(file.DLFileModificationDate instanceof Date);
      assert.ok(isPlistDict(reply.value.ab) && reply.value.ab.DLFileType === 'DLFileTypeDirectory');
    });
  });

  it('GetFreeDiskSpace answers a byte count; PurgeDiskSpace says it could not purge', async () => {
    await withLoop(async ({ device }) => {
      device.send(buildGetFreeDiskSpace());
      const free = await receiveStatus(device);
      assert.equal(free.code, 0);
      assert.ok(typeof free.value === 'number' && free.value > 0);
      device.send(buildPurgeDiskSpace(1_000_000, 4));
      assert.deepEqual(await receiveStatus(device), { code: -1, text: 'DLPurgeDiskSpace failed to purge', value: 0 });
    });
  });

  it('a Disconnect from the device ends the loop without a result', async () => {
    const { host, device } = fakeDeviceLinkPair();
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-handlers-'));
    const handlers = new BackupRequestHandlers(new DevicePathMapper(base, UDID, base), new BackupProgressTracker(undefined));
    device.send(['DLMessageDisconnect', '___EmptyParameterString___']);
    await new DeviceLink(host).runRequestLoop(handlers.table());
    assert.deepEqual(handlers.loopEnd, { kind: 'disconnect', reason: undefined });
    await fs.rm(base, { recursive: true, force: true });
  });
});
