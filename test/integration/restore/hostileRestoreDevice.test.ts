import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IN_PROGRESS_MARKER } from '../../../src/backup/format/backupFolder';
import { runRestore, type RestoreRunResult } from '../../../src/restore/restoreEngine';
import { READ_ONLY_TEXT, REFUSED_PATH_TEXT } from '../../../src/restore/restoreRequestHandlers';
import { getString, PlistReal } from '../../../src/plist';
import {
  buildContentsOfDirectory,
  buildCopyItem,
  buildCreateDirectory,
  buildDownloadFiles,
  buildMoveItems,
  buildProcessMessage,
  buildRemoveItems,
  buildUploadFiles,
  DLTransferDecoder,
  type DLMessageArray,
  encodeTransferEnd,
  encodeUploadedFile,
} from '../../../src/services/deviceLinkCodec';
import { DeviceLinkSession } from '../../../src/simulator/backup/deviceLinkSession';
import { DEVICE_SERVICES, type DeviceServiceDefinition } from '../../../src/simulator/deviceServices';
import { parseScenario } from '../../../src/simulator/scenario';
import { silentLogger } from '../../../src/common/logger';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { writeDeviceBackupFolder } from '../../builders/deviceBackupFolder';

const UDID = '00008110-000A1B2C3D4E801E';
const MOBILEBACKUP2 = 'com.apple.mobilebackup2';

/** What the hostile device saw: the host's answer to each of its requests, by a label. */
interface HostileRecord {
  statuses: Map<string, { code: number; text: string | undefined }>;
  /** Files of each DownloadFiles as they arrived: content when the host sent one, undefined when it refused. */
  downloads: Map<string, Buffer | undefined>;
}

/** One file's bytes, or undefined for a file the host answered with an error block. */
async function readDownloads(session: DeviceLinkSession, into: Map<string, Buffer | undefined>): Promise<void> {
  const decoder = new DLTransferDecoder(session.connection, 'download', { timeoutMs: 30_000 }, 'host');
  let current: { path: string; parts: Buffer[] } | undefined;
  for (;;) {
    const event = await decoder.next();
    if (event.kind === 'end') return;
    if (event.kind === 'file') current = { path: event.path, parts: [] };
    else if (event.kind === 'data') current?.parts.push(event.bytes);
    else if (current) {
      into.set(current.path, event.outcome.status === 'success' ? Buffer.concat(current.parts) : undefined);
      current = undefined;
    }
  }
}

async function* bytesOf(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

/**
 * The device side of mobilebackup2 as a hostile device plays it: the usual handshake and Hello, and
 * on Restore the request sequence of issue #13 (a symlink in the backup folder moved over a folder
 * the host already checked, then an upload through it), plus attempts on our in-progress marker and
 * reads through the symlink; then it reports success as if nothing happened.
 */
function hostileMobileBackup2(record: HostileRecord): DeviceServiceDefinition['serve'] {
  return async (connection) => {
    const session = new DeviceLinkSession(connection, silentLogger);
    await session.handshake();
    const ask = async (label: string, message: DLMessageArray): Promise<void> => {
      const status = await session.request(message);
      record.statuses.set(label, { code: status.code, text: status.text });
    };
    for (;;) {
      const message = await session.receive(60_000);
      if (message.name === 'DLMessageDisconnect') return;
      if (message.name !== 'DLMessageProcessMessage') continue;
      const name = getString(message.content, 'MessageName');
      if (name === 'Hello') {
        session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0, ProtocolVersion: new PlistReal(2.1) }));
        continue;
      }
      if (name !== 'Restore') throw new Error(`the hostile device expected Restore, got ${name}`);
      const u = (rest: string): string => `${UDID}/${rest}`;
      await ask('create b/victim', buildCreateDirectory(u('b/victim')));
      await ask('list b/victim/x', buildContentsOfDirectory(u('b/victim/x')));
      await ask('move lnk over b', buildMoveItems([{ from: u('d1/d2/d3/lnk'), to: u('b') }], 10));
      session.send(buildUploadFiles(20, 0));
      for await (const part of encodeUploadedFile('HomeDomain/outside.txt', u('b/victim/outside.txt'), bytesOf('written by the device'))) await session.writeRaw(part);
      await session.writeRaw(encodeTransferEnd());
      const upload = await session.awaitStatus('DLMessageUploadFiles');
      record.statuses.set('upload b/victim/outside.txt', { code: upload.code, text: upload.text });
      await ask('list through lnk', buildContentsOfDirectory(u('d1/d2/d3/lnk')));
      session.send(buildDownloadFiles([u('b/secret.txt'), u('d1/d2/d3/lnk/Info.plist'), u('Info.plist')], 30));
      await readDownloads(session, record.downloads);
      const download = await session.awaitStatus('DLMessageDownloadFiles');
      record.statuses.set('download', { code: download.code, text: download.text });
      await ask('remove marker', buildRemoveItems([u(IN_PROGRESS_MARKER)], 40));
      await ask('copy over marker', buildCopyItem(u('Info.plist'), u(IN_PROGRESS_MARKER.toUpperCase())));
      await ask('remove Manifest.db', buildRemoveItems([u('Manifest.db')], 50));
      session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }));
    }
  };
}

/** Every entry below `folder`: type, symlink target or content hash, and permission bits. */
async function snapshotTree(folder: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await fs.readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(folder, full);
      const stats = await fs.lstat(full);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) entries.set(rel, `link ${await fs.readlink(full)}`);
      else if (stats.isDirectory()) {
        entries.set(rel, `dir ${mode}`);
        await walk(full);
      } else entries.set(rel, `file ${mode} ${createHash('sha256').update(await fs.readFile(full)).digest('hex')}`);
    }
  };
  await walk(folder);
  return entries;
}

/**
 * Issue #13 item 1: a restore served a hostile device's changes inside the backup folder, and a
 * symlink moved over a folder the host had already checked let an upload land two folders above
 * the backup root. Over real sockets (usbmux, lockdown TLS, DeviceLink) against the real restore
 * engine: every change is refused, no symlink is followed, and nothing in or around the backup changes.
 */
describe('restore against a hostile device', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;
  let base: string;
  let root: string;
  let backupDir: string;
  let original: DeviceServiceDefinition;
  const record: HostileRecord = { statuses: new Map(), downloads: new Map() };
  let result: RestoreRunResult;
  let treeBefore: Map<string, string>;

  before(async () => {
    h = await startSimulator(parseScenario({ devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '17.2', dataset: { files: 5, totalBytes: 5000, seed: 3 } }] }));
    base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-hostile-restore-')));
    // Two folders above the backup root is where the upload landed.
    root = path.join(base, 'g1', 'g2', 'root');
    const device = h.simulator.device(UDID);
    assert.ok(device);
    backupDir = await writeDeviceBackupFolder(root, device);
    await fs.writeFile(path.join(base, 'g1', 'secret.txt'), 'outside the backup');
    await fs.mkdir(path.join(backupDir, 'd1', 'd2', 'd3'), { recursive: true });
    // Leads back to the backup folder itself: harmless where it is, an escape once moved one level up.
    await fs.symlink('../../..', path.join(backupDir, 'd1', 'd2', 'd3', 'lnk'));
    treeBefore = await snapshotTree(base);

    // The simulator runs in this process, so the CLI below meets the hostile device too.
    original = DEVICE_SERVICES[MOBILEBACKUP2];
    DEVICE_SERVICES[MOBILEBACKUP2] = { ...original, serve: hostileMobileBackup2(record) };
    result = await runRestore({ mux: new UsbmuxClient(h.simulator.address), udid: UDID, backupDir, reboot: false });
  });
  after(async () => {
    if (original) DEVICE_SERVICES[MOBILEBACKUP2] = original;
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('nothing in the backup folder or the folders around it changed, byte for byte', async () => {
    assert.deepEqual(await snapshotTree(base), treeBefore);
  });

  it('every request to change the backup folder is answered with an error', () => {
    for (const label of ['create b/victim', 'move lnk over b', 'upload b/victim/outside.txt', 'remove marker', 'copy over marker', 'remove Manifest.db']) {
      assert.deepEqual(record.statuses.get(label), { code: -1, text: READ_ONLY_TEXT }, label);
    }
  });

  it('nothing is listed or read through the symlink, and nothing outside is read', () => {
    assert.deepEqual(record.statuses.get('list through lnk'), { code: -1, text: REFUSED_PATH_TEXT });
    assert.notEqual(record.statuses.get('list b/victim/x')?.code, 0);
    assert.equal(record.statuses.get('download')?.code, -13, 'a multi-status naming the files not sent');
    assert.equal(record.downloads.get(`${UDID}/b/secret.txt`), undefined);
    assert.equal(record.downloads.get(`${UDID}/d1/d2/d3/lnk/Info.plist`), undefined);
    assert.ok(record.downloads.get(`${UDID}/Info.plist`)?.length, 'the backup itself is still served');
  });

  it('the result names every refused path', () => {
    for (const devicePath of ['b/victim', 'd1/d2/d3/lnk', 'b', 'b/victim/outside.txt', 'd1/d2/d3/lnk/Info.plist', IN_PROGRESS_MARKER, 'Manifest.db']) {
      assert.ok(result.refusedPaths.includes(`${UDID}/${devicePath}`), `${devicePath} in ${result.refusedPaths.join(', ')}`);
    }
  });

  it('the CLI says which requests it refused, and the folders stay unchanged', async () => {
    const cli = await runCli(['restore', UDID, '--from', backupDir, '--no-reboot'], h.env, { timeoutMs: 60_000 });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stderr, new RegExp(`Refused a device request for ${UDID}/b/victim/outside\\.txt: a restore only reads the backup folder`));
    assert.deepEqual(await snapshotTree(base), treeBefore);
  });
});
