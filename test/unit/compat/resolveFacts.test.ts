import assert from 'node:assert/strict';
import { sourceFactLines, unknownReasonText } from '../../../src/compat/factProvenanceText';
import { UNKNOWN_REASON_CODES } from '../../../src/compat/factProvenance';
import { resolveFacts } from '../../../src/compat/resolveFacts';
import { sourceSlotsFromDevice, targetSlotsFromDevice } from '../../../src/compat/deviceFactSlots';

const STORE_FILE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/CloudConfigurationDetails.plist';

describe('compat: resolving restore facts (shared by the restore checks, the CLI and the panel)', () => {
  it('keeps what was read with its origin, and fills only unknown facts from answers', () => {
    const resolved = resolveFacts(
      {
        'source.supervisedAtBackup': { value: true, origin: { kind: 'backup', file: STORE_FILE } },
        'source.mdmEnrolledAtBackup': { reason: { code: 'backup-encrypted-needs-password', detail: 'No password.' } },
        'target.supervised': { value: false, origin: { kind: 'device' } },
      },
      { 'source.supervisedAtBackup': false, 'source.mdmEnrolledAtBackup': true, 'target.supervised': true },
    );
    assert.equal(resolved.source.supervisedAtBackup, true);
    assert.deepEqual(resolved.origins['source.supervisedAtBackup'], { kind: 'backup', file: STORE_FILE });
    assert.equal(resolved.source.mdmEnrolledAtBackup, true);
    assert.deepEqual(resolved.origins['source.mdmEnrolledAtBackup'], { kind: 'answer' });
    assert.equal(resolved.target.supervised, false);
    assert.deepEqual(resolved.unusedAnswers, ['source.supervisedAtBackup', 'target.supervised']);
    // A fact nobody filled says so instead of disappearing.
    assert.deepEqual(resolved.unknown['target.udid'], { code: 'device-not-reported' });
  });

  it('lets an explicit statement about the restore moment win over what is read now, and lists the overridden read', () => {
    const read = { 'target.supervised': { value: false, origin: { kind: 'device' as const } } };
    const overridden = resolveFacts(read, {}, { 'target.supervised': true });
    assert.equal(overridden.target.supervised, true);
    assert.deepEqual(overridden.origins['target.supervised'], { kind: 'answer' });
    assert.deepEqual(overridden.overriddenReads, ['target.supervised']);
    const same = resolveFacts(read, {}, { 'target.supervised': false });
    assert.deepEqual(same.overriddenReads, []);
    const wrongShape = resolveFacts(read, {}, { 'target.supervised': 'yes' });
    assert.equal(wrongShape.target.supervised, false);
  });

  it('turns a version that is not an iOS version into an unknown with the text, and refuses an answer of the wrong shape', () => {
    const resolved = resolveFacts({ 'source.iosVersion': { value: 'sixteen', origin: { kind: 'backup', file: 'Info.plist' } } }, { 'target.supervised': 'yes' });
    assert.equal(resolved.source.iosVersion, undefined);
    assert.deepEqual(resolved.unknown['source.iosVersion'], { code: 'malformed-version', detail: 'sixteen' });
    assert.equal(resolved.target.supervised, undefined);
  });

  it('reads device facts as slots: a limitation explains what the device did not tell; the ADE setting is never on a device', () => {
    const target = targetSlotsFromDevice({ udid: 'T', connectionType: 'USB', paired: false, limitation: 'The device is not paired.' });
    assert.deepEqual(target['target.supervised'], { reason: { code: 'device-limited', detail: 'The device is not paired.' } });
    assert.deepEqual(target['target.adeRestoreFromBackupAllowed'], { reason: { code: 'management-site' } });
    const source = sourceSlotsFromDevice({ udid: 'S', connectionType: 'USB', paired: true, supervised: false, mdm: 'none', iosVersion: '16.1' });
    assert.deepEqual(source['source.mdmEnrolledAtBackup'], { value: false, origin: { kind: 'device' } });
  });

  it('words every reason in both languages, keeping the reader\'s sentence, and names the file of each backup fact', () => {
    for (const code of UNKNOWN_REASON_CODES) {
      const text = unknownReasonText({ code, detail: 'The store said so.' });
      assert.ok(text.en.length > 0 && text.ja.length > 0, code);
    }
    assert.match(unknownReasonText({ code: 'backup-file-unreadable', detail: 'X.plist is not a property list.' }).en, /X\.plist is not a property list\./);
    const resolved = resolveFacts({ 'source.supervisedAtBackup': { value: true, origin: { kind: 'backup', file: STORE_FILE } }, 'source.mdmEnrolledAtBackup': { reason: { code: 'backup-store-absent', detail: 'No store.' } } });
    const lines = sourceFactLines(resolved, 'en');
    assert.ok(lines.includes(`Supervised when backed up: yes (read from the backup's ${STORE_FILE})`), lines.join('\n'));
    assert.ok(lines.some((l) => /^MDM-enrolled when backed up: unknown \(The backup holds no configuration-profile store: No store\.\)$/.test(l)), lines.join('\n'));
  });
});
