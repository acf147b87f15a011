import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { sendRequestedFiles } from '../../../../src/backup/transfer/sendRequestedFiles';
import { silentLogger } from '../../../../src/common/logger';
import { DeviceLink } from '../../../../src/services/deviceLink';
import { DLTransferDecoder, parseDLMessage, parseMultiStatus, type DLTransferEvent } from '../../../../src/services/deviceLinkCodec';
import { fakeDeviceLinkPair } from '../../../fakes/fakeDeviceLinkPeer';
import { makeTempDir } from '../../../builders/testBackupBuilder';

describe('sendRequestedFiles', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-send-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('serves only regular files: a FIFO, a folder and a symlink get an error block at once, the rest is sent', async function () {
    if (process.platform === 'win32') this.skip();
    const folder = path.join(root, 'backup');
    await fs.mkdir(folder);
    await fs.writeFile(path.join(root, 'outside'), 'outside bytes');
    execFileSync('mkfifo', [path.join(folder, 'Manifest.db')]);
    await fs.mkdir(path.join(folder, 'Status.plist'));
    await fs.symlink(path.join(root, 'outside'), path.join(folder, 'Info.plist'));
    await fs.writeFile(path.join(folder, 'Manifest.plist'), 'manifest bytes');
    const names = ['Manifest.db', 'Status.plist', 'Info.plist', 'Manifest.plist'];
    const { host, device } = fakeDeviceLinkPair();
    const unavailable: string[] = [];
    const sending = sendRequestedFiles(
      new DeviceLink(host),
      names.map((name) => ({ devicePath: `UDID/${name}`, absolute: path.join(folder, name) })),
      { onUnavailable: (devicePath, failure) => unavailable.push(`${devicePath}: ${failure.text}`) },
      silentLogger,
    );
    // A short read limit: a FIFO opened blocking would stall the answer for good.
    const decoder = new DLTransferDecoder(device, 'download', { timeoutMs: 3000 }, 'host');
    const events: DLTransferEvent[] = [];
    for (let e = await decoder.next(); e.kind !== 'end'; e = await decoder.next()) events.push(e);
    await sending;
    const ends = events.filter((e) => e.kind === 'file-end').map((e) => (e.kind === 'file-end' ? e.outcome : undefined));
    assert.deepEqual(ends, [
      { status: 'local-error', message: 'Not a regular file' },
      { status: 'local-error', message: 'Is a directory' },
      { status: 'local-error', message: 'Too many levels of symbolic links' },
      { status: 'success' },
    ]);
    assert.deepEqual(events.filter((e) => e.kind === 'data').map((e) => (e.kind === 'data' ? e.bytes.toString() : '')), ['manifest bytes']);
    const reply = parseDLMessage(await device.receive(), 'host');
    assert.ok(reply.name === 'DLMessageStatusResponse' && reply.code === -13);
    assert.deepEqual([...parseMultiStatus(reply.value, 'host').keys()], ['UDID/Manifest.db', 'UDID/Status.plist', 'UDID/Info.plist']);
    assert.equal(unavailable.length, 3);
    host.close();
  });
});
