import assert from 'node:assert/strict';
import type { BackupSummary } from '../../../../src/backup/format/backupFolder';
import type { BackupHealth } from '../../../../src/backup/verify/backupHealth';
import { backupHealthReport, backupHealthTitle, reportText } from '../../../../src/ui/backups/backupHealthReport';

const summary: BackupSummary = {
  dir: '/backups/00008110-000A1B2C3D4E801E',
  udid: '00008110-000A1B2C3D4E801E',
  deviceName: 'Support iPhone',
  productType: 'iPhone14,5',
  iOSVersion: '16.1',
  buildVersion: '20B82',
  date: new Date('2025-01-31T10:00:00Z'),
  encrypted: true,
  sizeBytes: 5_200_000,
  complete: true,
  notes: [],
};

const health = (over: Partial<BackupHealth>): BackupHealth => ({
  backupDir: summary.dir,
  level: 'full',
  healthy: true,
  encrypted: true,
  filesChecked: 120,
  bytesChecked: 4_800_000,
  problems: [],
  tolerated: [],
  ...over,
});

const checkedAt = new Date('2025-02-01T09:30:00Z');

describe('ui: the Verify Backup report', () => {
  it('names the backup, the device, the dates, the level and the result of a healthy backup', () => {
    const text = backupHealthReport(health({}), summary, checkedAt, 'en-US').join('\n');
    assert.match(text, /^# Backup Health of Support iPhone\n/);
    assert.match(text, /\| Backup \| \/backups\/00008110-000A1B2C3D4E801E \|/);
    assert.match(text, /\| Device \| Support iPhone, iPhone 13 \(iPhone14,5\), iOS 16\.1 \(20B82\) \|/);
    assert.match(text, /\| UDID \| 00008110-000A1B2C3D4E801E \|/);
    assert.match(text, /\| Backup date \| Jan 31, 2025/);
    assert.match(text, /\| Checked on \| Feb 1, 2025/);
    assert.match(text, /\| Level \| Full \(plists, Status and every file\) \|/);
    assert.match(text, /\| Files checked \| 120 \(4\.8 MB\) \|/);
    assert.match(text, /\| Result \| \*\*Healthy: no problem found\*\* \|/);
    assert.match(text, /## Problems\n\nNone\./);
    assert.match(text, /## What to do next\n\n- The backup is intact/);
    assert.doesNotMatch(text, /## Not checked/);
  });

  it('lists one line per problem as domain/path: problem, the tolerated oddities and what to do', () => {
    const text = backupHealthReport(
      health({
        healthy: false,
        problems: [
          { domain: 'HomeDomain', relativePath: 'Library/Notes/notes.sqlite', problem: 'Its content file is missing.' },
          { domain: null, relativePath: 'Status.plist', problem: 'It says the backup did not finish.' },
        ],
        problemsNotListed: 3,
        tolerated: ['12 files are larger than Manifest.db records, as real devices leave them.'],
        notChecked: ['Files of protection class 4 could not be decrypted.'],
      }),
      summary,
      checkedAt,
      'en-US',
    );
    const text2 = text.join('\n');
    assert.match(text2, /\| Result \| \*\*5 problems found\*\* \|/);
    assert.ok(text.includes('- `HomeDomain/Library/Notes/notes.sqlite`: Its content file is missing.'), text2);
    assert.ok(text.includes('- `Status.plist`: It says the backup did not finish.'), text2);
    assert.ok(text.includes('- … and 3 more problems, not listed.'), text2);
    assert.ok(text.includes('- 12 files are larger than Manifest.db records, as real devices leave them.'), text2);
    assert.match(text2, /## Not checked\n\n- Files of protection class 4 could not be decrypted\./);
    assert.match(text2, /Do not restore this backup as it is/);
    assert.match(text2, /ask for the whole backup folder again/);
  });

  it('keeps text from the backup on one line and inside its code span or cell', () => {
    const text = backupHealthReport(
      health({ healthy: false, problems: [{ domain: 'AppDomain-x', relativePath: 'a`b\n# injected|c', problem: 'Bad.\n- fake item' }] }),
      { ...summary, deviceName: 'Name | with pipe' },
      checkedAt,
      'en-US',
    );
    assert.ok(text.includes("- `AppDomain-x/a'b?# injected|c`: Bad.?- fake item"), text.join('\n'));
    assert.ok(text.some((l) => l.startsWith('| Device | Name \\| with pipe,')), text.join('\n'));
    assert.equal(reportText('x'.repeat(5000)).length, 1000);
  });

  it('names a backup whose plists record no UDID by its folder, and says the UDID is not recorded', () => {
    const anonymous = { ...summary, udid: undefined, deviceName: undefined };
    assert.equal(backupHealthTitle(anonymous), 'Backup Health of 00008110-000A1B2C3D4E801E');
    assert.ok(backupHealthReport(health({}), anonymous, checkedAt, 'en').includes('| UDID | not recorded in the backup |'));
  });

  it('a quick check that found nothing still sends the engineer to the full check', () => {
    assert.match(backupHealthReport(health({ level: 'quick' }), summary, checkedAt, 'en').join('\n'), /run Verify Backup for the full check/);
  });
});
