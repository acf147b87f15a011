import assert from 'node:assert/strict';
import { decideOnAttach, type AttachDecision, type BenchAutomationSetting } from '../../../src/kitting/attachAutomation';
import type { DeviceFacts } from '../../../src/device/deviceFacts';

const SOURCE = '00008110-0000000000B00001';
const NEW = '00008110-0000000000B00002';

function device(fields: Partial<DeviceFacts> = {}): DeviceFacts {
  return { udid: NEW, connectionType: 'USB', paired: true, ...fields };
}

function skipReason(decision: AttachDecision): { en: string; ja: string } {
  assert.equal(typeof decision, 'object', `expected a skip, got ${JSON.stringify(decision)}`);
  return (decision as { skip: { en: string; ja: string } }).skip;
}

const restore: BenchAutomationSetting = { mode: 'restore', backupDir: `/backups/${SOURCE}` };

describe('kitting: attach automation', () => {
  it('off: every device is skipped, and none is recorded', () => {
    const seen = new Set<string>();
    assert.match(skipReason(decideOnAttach(device({ setupDone: false }), { mode: 'off' }, seen)).en, /automation is off/);
    assert.equal(seen.size, 0);
  });

  it('back up: a set-up device is backed up once per bench session', () => {
    const seen = new Set<string>();
    assert.equal(decideOnAttach(device({ setupDone: true }), { mode: 'back-up' }, seen), 'back-up');
    const again = skipReason(decideOnAttach(device({ setupDone: true }), { mode: 'back-up' }, seen));
    assert.match(again.en, /already handled once/);
    assert.match(again.ja, /既に一度処理しました/);
  });

  it('back up: a device whose setup state is unknown is backed up (the backup itself says what is wrong)', () => {
    assert.equal(decideOnAttach(device(), { mode: 'back-up' }, new Set()), 'back-up');
  });

  it('back up: a device still in Setup Assistant is skipped (nothing to back up; error 212)', () => {
    const seen = new Set<string>();
    assert.match(skipReason(decideOnAttach(device({ setupDone: false }), { mode: 'back-up' }, seen)).en, /still in Setup Assistant.*212/);
    assert.equal(seen.size, 0, 'a skipped device may be decided again later');
  });

  it('restore: only to a device known to be in Setup Assistant, once', () => {
    const seen = new Set<string>();
    assert.equal(decideOnAttach(device({ setupDone: false }), restore, seen), 'restore');
    assert.match(skipReason(decideOnAttach(device({ setupDone: false }), restore, seen)).en, /already handled once/);
  });

  it('restore: never to a device that finished Setup Assistant', () => {
    const reason = skipReason(decideOnAttach(device({ setupDone: true }), restore, new Set()));
    assert.match(reason.en, /finished Setup Assistant/);
    assert.match(reason.ja, /初期設定/);
  });

  it('restore: never when the setup state could not be read (an unpaired device)', () => {
    assert.match(skipReason(decideOnAttach(device({ paired: false }), restore, new Set())).en, /could not be read/);
  });

  it("restore: never to the backup's own device, by the folder's name or the given UDID, whatever the case and dashes", () => {
    assert.match(skipReason(decideOnAttach(device({ udid: SOURCE.toLowerCase(), setupDone: false }), restore, new Set())).en, /device the backup was made from/);
    const windowsPath: BenchAutomationSetting = { mode: 'restore', backupDir: `C:\\Backups\\${SOURCE}\\` };
    assert.match(skipReason(decideOnAttach(device({ udid: SOURCE, setupDone: false }), windowsPath, new Set())).en, /device the backup was made from/);
    const named: BenchAutomationSetting = { mode: 'restore', backupDir: '/backups/renamed-folder', backupUdid: NEW.replace(/-/g, '') };
    assert.match(skipReason(decideOnAttach(device({ setupDone: false }), named, new Set())).en, /device the backup was made from/);
  });

  it('the same device in another spelling counts as seen', () => {
    const seen = new Set<string>();
    assert.equal(decideOnAttach(device({ setupDone: false }), restore, seen), 'restore');
    assert.match(skipReason(decideOnAttach(device({ udid: NEW.toLowerCase(), setupDone: false }), restore, seen)).en, /already handled/);
  });
});
