import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeInfoPlist } from '../../../src/backup/format/infoPlist';
import { encodeManifestPlist } from '../../../src/backup/format/manifestPlist';
import { encodeStatusPlist } from '../../../src/backup/format/statusPlist';
import { BACKUP_FACTS_FILE } from '../../../src/backup/engine/backupFacts';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const OLD_PHONE = '00008110-000A1B2C3D4E801E';
const NEW_PHONE = '00008120-001C2D3E4F5A602E';

/** Writes a complete backup folder as our backup engine leaves it: the four metadata files plus the facts sidecar. */
function fakeBackup(root: string, udid: string, iosVersion: string, facts?: { supervised: boolean; mdm: 'enrolled' | 'none' }): string {
  const dir = path.join(root, udid);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Info.plist'), encodeInfoPlist({ deviceName: 'Old', productVersion: iosVersion, uniqueIdentifier: udid, targetIdentifier: udid, productType: 'iPhone14,5' }));
  // The restore checks (part of preflight) want a finished, non-empty backup.
  writeFileSync(path.join(dir, 'Status.plist'), encodeStatusPlist({ snapshotState: 'finished', backupState: 'new', isFullBackup: true }));
  writeFileSync(path.join(dir, 'Manifest.plist'), encodeManifestPlist({ isEncrypted: false, version: '10.0', lockdown: { uniqueDeviceId: udid, productVersion: iosVersion } }));
  writeFileSync(path.join(dir, 'Manifest.db'), 'SQLite format 3\0');
  if (facts) writeFileSync(path.join(dir, BACKUP_FACTS_FILE), JSON.stringify({ udid, iosVersion, ...facts }));
  return dir;
}

describe('preflight: a backup against a live target device', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;
  let root: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-preflight-'));
    h = await startSimulator({
      devices: [
        { udid: OLD_PHONE, productVersion: '16.1', supervised: true, mdm: 'enrolled' },
        { udid: NEW_PHONE, productVersion: '17.2', supervised: true, mdm: 'enrolled' },
      ],
    });
  });
  after(async () => {
    if (h) await h.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('unsupervised MDM backup to a different supervised device: supported, agent must re-authenticate', async () => {
    const dir = fakeBackup(root, OLD_PHONE, '16.1', { supervised: false, mdm: 'enrolled' });
    const r = await runCli(['preflight', NEW_PHONE, '--from', dir, '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.equal(out.report.supported, 'yes');
    assert.equal(out.report.cell.id, 'unsupervised.different.target-supervised');
    assert.equal(out.report.agent, 'reauth');
    assert.equal(out.report.mdm, 'ok');
  });

  it('unsupervised backup to the same device, now supervised: not supported (exit 1)', async () => {
    const dir = fakeBackup(root, OLD_PHONE, '16.1', { supervised: false, mdm: 'enrolled' });
    const r = await runCli(['preflight', OLD_PHONE, '--from', dir, '--ade-restore-allowed', 'yes', '--lang', 'en'], h.env);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Not supported|not supported/);
  });

  it('a target older than the backup fails the iOS precondition', async () => {
    const dir = fakeBackup(path.join(root, 'newer'), OLD_PHONE, '17.4', { supervised: true, mdm: 'enrolled' });
    const r = await runCli(['preflight', NEW_PHONE, '--from', dir, '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    const version = out.report.preconditions.find((p: { status: string; id: string }) => /ios|version/i.test(p.id));
    assert.equal(version.status, 'fail');
  });

  it('a backup without our sidecar: the unknown facts are asked, not guessed', async () => {
    const dir = fakeBackup(path.join(root, 'foreign'), OLD_PHONE, '16.1');
    const r = await runCli(['preflight', NEW_PHONE, '--from', dir, '--json'], h.env);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.report.supported, 'unknown');
    const asked = out.report.questions.map((q: { fact: string }) => q.fact);
    assert.ok(asked.includes('source.supervisedAtBackup') || asked.includes('source.mdmEnrolledAtBackup'), asked.join(','));
    const answered = await runCli(['preflight', NEW_PHONE, '--from', dir, '--source-supervised', 'yes', '--source-mdm', 'yes', '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(answered.code, 0, answered.stdout);
  });

  it('a folder that is not a backup is a usage error in one sentence', async () => {
    const r = await runCli(['preflight', NEW_PHONE, '--from', root], h.env);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
