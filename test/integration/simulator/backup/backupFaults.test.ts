import assert from 'node:assert/strict';
import { getInteger, getString, isPlistDict, PlistReal } from '../../../../src/plist';
import { parseScenario } from '../../../../src/simulator/scenario';
import { startSimulator, type SimulatorHarness } from '../../../helpers/simulatorHarness';
import { hello, openMobileBackup2, runScriptedBackup } from '../../../helpers/scriptedBackupHost';

const PLAIN = '00008110-000A1B2C3D4E801E';
const MALICIOUS = '00008110-000B2C3D4E5F602E';
const DROPPING = '00008110-000C3D4E5F60702E';
const LOW_DISK = '00008110-000D4E5F6070802E';
const ENCRYPTED = '00008110-000E5F607080902E';

/** The simulated device's mobilebackup2 behaviour and fault switches, seen from a scripted host. */
describe('simulated device backup protocol and faults', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;

  before(async () => {
    h = await startSimulator(
      parseScenario({
        devices: [
          { udid: PLAIN, dataset: { files: 30, totalBytes: 300_000, seed: 5 } },
          { udid: MALICIOUS, dataset: { files: 10, totalBytes: 10_000, seed: 5 }, faults: { uploadOutsidePath: true } },
          { udid: DROPPING, dataset: { files: 30, totalBytes: 300_000, seed: 5 }, faults: { disconnectAfterFiles: 3 } },
          { udid: LOW_DISK, productVersion: '17.2', dataset: { files: 10, totalBytes: 10_000, seed: 5 }, faults: { lowHostDiskQuery: true } },
          { udid: ENCRYPTED, backupPassword: 'secret', dataset: { files: 10, totalBytes: 10_000, seed: 5 } },
        ],
      }),
    );
  });
  after(async () => h && (await h.stop()));

  it('negotiates the highest common mobilebackup2 version and refuses when there is none', async () => {
    const mb = await openMobileBackup2(h, PLAIN);
    try {
      const both = await hello(mb.connection, [2.0, 2.1]);
      assert.equal(getInteger(both, 'ErrorCode'), 0);
      assert.ok(both.ProtocolVersion instanceof PlistReal || typeof both.ProtocolVersion === 'number');
      assert.equal(Number(both.ProtocolVersion instanceof PlistReal ? both.ProtocolVersion.value : both.ProtocolVersion), 2.1);
      const old = await hello(mb.connection, [2.0]);
      assert.equal(Number(old.ProtocolVersion), 2.0);
      const none = await hello(mb.connection, [3.0]);
      assert.equal(getInteger(none, 'ErrorCode'), 1);
    } finally {
      await mb.close();
    }
  });

  it('runs the real request order: downloads, free space, directories, uploads into Snapshot, moves, removes, result', async () => {
    const mb = await openMobileBackup2(h, PLAIN);
    try {
      const record = await runScriptedBackup(mb.connection, PLAIN);
      assert.equal(getInteger(record.result!, 'ErrorCode'), 0);
      const distinct = record.messages.filter((m, i) => m !== record.messages[i - 1]);
      assert.deepEqual(distinct, [
        'DLMessageDownloadFiles', 'DLMessageGetFreeDiskSpace', 'DLMessageCreateDirectory', 'DLMessageUploadFiles',
        'DLMessageCreateDirectory', 'DLMessageMoveItems', 'DLMessageRemoveItems', 'DLMessageUploadFiles', 'DLMessageProcessMessage',
      ]);
      assert.equal(record.uploads[0].path, `${PLAIN}/Status.plist`);
      assert.equal(record.uploads.at(-1)?.path, `${PLAIN}/Status.plist`);
      const hashed = record.uploads.filter((u) => /\/Snapshot\/[0-9a-f]{2}\/[0-9a-f]{40}$/.test(u.path));
      assert.equal(hashed.length, 30);
      assert.equal(hashed.reduce((s, u) => s + u.bytes, 0), 300_000);
      assert.ok(record.uploads.some((u) => u.path === `${PLAIN}/Snapshot/Manifest.db`));
      assert.ok(record.uploads.some((u) => u.path === `${PLAIN}/Snapshot/Manifest.plist`));
    } finally {
      await mb.close();
    }
  });

  it('uploadOutsidePath: sends names that climb out of the backup folder, and fails with 104 when the host refuses them', async () => {
    const mb = await openMobileBackup2(h, MALICIOUS);
    try {
      const unsafe = (p: string) => p.startsWith('../') || p.split('/').includes('..');
      const record = await runScriptedBackup(mb.connection, MALICIOUS, {
        answerUpload: (paths) => (paths.some(unsafe) ? { code: -1, text: 'Refused a path outside the backup folder' } : { code: 0 }),
      });
      const paths = record.uploads.map((u) => u.path);
      assert.ok(paths.includes('../outside/evil.txt'));
      assert.ok(paths.includes(`${MALICIOUS}/../../escape`));
      assert.equal(getInteger(record.result!, 'ErrorCode'), 104);
      assert.match(getString(record.result!, 'ErrorDescription') ?? '', /MBErrorDomain\/104/);
    } finally {
      await mb.close();
    }
  });

  it('disconnectAfterFiles: the host receives exactly N whole files, then the connection drops', async () => {
    const mb = await openMobileBackup2(h, DROPPING);
    try {
      const record = await runScriptedBackup(mb.connection, DROPPING, { forceFull: true });
      assert.equal(record.dropped, true);
      assert.equal(record.uploads.filter((u) => /[0-9a-f]{40}$/.test(u.path)).length, 3);
      const report = h.simulator.device(DROPPING)?.lastBackup;
      assert.equal(report?.outcome, 'dropped');
      assert.equal(report?.filesUploaded, 3);
    } finally {
      await mb.close();
    }
  });

  it('lowHostDiskQuery: asks the host to purge (iOS 14+), then fails with 105', async () => {
    const mb = await openMobileBackup2(h, LOW_DISK);
    try {
      const record = await runScriptedBackup(mb.connection, LOW_DISK);
      assert.equal(record.purgeRequests.length, 1);
      assert.ok(record.purgeRequests[0].bytes >= 2 * 1024 ** 3);
      assert.equal(record.purgeRequests[0].urgency, 4);
      assert.equal(getInteger(record.result!, 'ErrorCode'), 105);
      assert.equal(record.uploads.length, 0);
    } finally {
      await mb.close();
    }
  });

  it('backs an encrypted device up encrypted: every dataset file arrives, none of them in plaintext', async () => {
    const mb = await openMobileBackup2(h, ENCRYPTED);
    try {
      const record = await runScriptedBackup(mb.connection, ENCRYPTED, { forceFull: true });
      assert.equal(getInteger(record.result!, 'ErrorCode'), 0);
      const hashed = record.uploads.filter((u) => /\/[0-9a-f]{40}$/.test(u.path));
      assert.equal(hashed.length, 10);
      // AES-CBC with PKCS#7 padding: every stored file is a whole number of blocks, longer than its plaintext.
      assert.ok(hashed.every((u) => u.bytes % 16 === 0));
      assert.ok(hashed.reduce((s, u) => s + u.bytes, 0) > 10_000);
    } finally {
      await mb.close();
    }
  });

  it('answers requests it does not serve with an error Response instead of hanging', async () => {
    const mb = await openMobileBackup2(h, PLAIN);
    try {
      mb.connection.sendPlist(['DLMessageProcessMessage', { MessageName: 'Unback', TargetIdentifier: PLAIN }], 'binary');
      const reply = await mb.connection.receivePlist(10_000);
      assert.ok(Array.isArray(reply) && reply[0] === 'DLMessageProcessMessage' && isPlistDict(reply[1]));
      assert.equal(getInteger(reply[1], 'ErrorCode'), 1);
    } finally {
      await mb.close();
    }
  });
});
