import assert from 'node:assert/strict';
import { MAX_APP_ROWS, backupDetailsModel, type BackupDetailModel } from '../../../../src/ui/backups/backupDetailsModel';
import { CLOUD_CONFIGURATION, PROFILES_DOMAIN, inspectionOf, unknownManagement } from './inspectionFixture';

const byKey = (rows: BackupDetailModel[], key: string): BackupDetailModel => {
  const row = rows.find((r) => r.key === key);
  assert.ok(row, `no row ${key} in ${rows.map((r) => r.key).join(', ')}`);
  return row;
};

describe('ui: the rows under an expanded backup', () => {
  it('shows the management state with the file each fact came from, the apps, the size and completeness', () => {
    const rows = backupDetailsModel({ kind: 'inspected', inspection: inspectionOf(), password: 'none' });
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [
      ['Supervised', 'Yes'],
      ['MDM enrolled', 'Yes'],
      ['Organization', 'Example Corp'],
      ['Apps', '2'],
      ['Size', '5.2 MB'],
      ['Complete', 'Yes'],
    ]);
    const supervised = byKey(rows, 'supervised');
    assert.ok(supervised.tooltip.includes(`\`${PROFILES_DOMAIN}/${CLOUD_CONFIGURATION}\``), supervised.tooltip);
    assert.ok(!supervised.tooltip.includes('profile-0a1b'), 'a file that did not decide the fact is not named as its source');
    assert.ok(byKey(rows, 'mdmEnrolled').tooltip.includes('profile-0a1b'));
    assert.deepEqual(byKey(rows, 'apps').children.map((a) => [a.label, a.description]), [['com.example.mail', 'Example Mail'], ['com.example.notes', '']]);
  });

  it('says No for an unsupervised device without MDM', () => {
    const inspection = inspectionOf();
    inspection.management = { ...inspection.management, supervised: false, mdmEnrolled: false, organizationName: null };
    const rows = backupDetailsModel({ kind: 'inspected', inspection, password: 'none' });
    assert.equal(byKey(rows, 'supervised').description, 'No');
    assert.equal(byKey(rows, 'mdmEnrolled').description, 'No');
    assert.equal(byKey(rows, 'supervised').icon, 'circle-slash');
  });

  it('an encrypted backup without a saved password says to verify its password; a refused saved password says so', () => {
    const locked = inspectionOf({ encrypted: true, passwordOutcome: 'not-given', management: unknownManagement('The backup is encrypted and no password was given.') });
    const rows = backupDetailsModel({ kind: 'inspected', inspection: locked, password: 'none' });
    for (const key of ['supervised', 'mdmEnrolled', 'organizationName']) {
      assert.equal(byKey(rows, key).description, 'Unknown — the backup is encrypted; verify its password to read it');
      assert.equal(byKey(rows, key).icon, 'question');
    }
    const refused = backupDetailsModel({ kind: 'inspected', inspection: locked, password: 'savedRefused' });
    assert.match(byKey(refused, 'supervised').description, /saved password does not open the backup/);
  });

  it('a plain backup without the profile store leaves the facts unknown and says the restore checks will ask', () => {
    const rows = backupDetailsModel({ kind: 'inspected', inspection: inspectionOf({ management: unknownManagement('The store is not in the backup.') }), password: 'none' });
    const mdm = byKey(rows, 'mdmEnrolled');
    assert.equal(mdm.description, 'Unknown — the backup does not record it');
    assert.match(mdm.tooltip, /restore checks will ask/);
    assert.match(mdm.tooltip, /The store is not in the backup/);
  });

  it('an incomplete backup says why, and what could not be read is listed', () => {
    const rows = backupDetailsModel({
      kind: 'inspected',
      inspection: inspectionOf({ complete: false, incompleteReasons: ['Status.plist says the backup did not finish.'], problems: ['Manifest.db could not be read.'] }),
      password: 'none',
    });
    assert.equal(byKey(rows, 'complete').description, 'No — Status.plist says the backup did not finish.');
    assert.equal(byKey(rows, 'complete').icon, 'warning');
    const problems = byKey(rows, 'problems');
    assert.equal(problems.description, '1');
    assert.deepEqual(problems.children.map((c) => c.label), ['Manifest.db could not be read.']);
  });

  it('caps the app rows and the length of names taken from the backup', () => {
    const items = Array.from({ length: MAX_APP_ROWS + 7 }, (_, i) => ({ bundleId: `com.example.app${i}`, name: i === 0 ? 'x'.repeat(5000) : null }));
    const apps = byKey(backupDetailsModel({ kind: 'inspected', inspection: inspectionOf({ apps: { count: items.length, items } }), password: 'none' }), 'apps');
    assert.equal(apps.description, String(MAX_APP_ROWS + 7));
    assert.equal(apps.children.length, MAX_APP_ROWS + 1);
    assert.equal(apps.children.at(-1)?.label, '… and 7 more');
    assert.ok(apps.children[0].description.length <= 200);
    assert.equal(new Set(apps.children.map((c) => c.key)).size, apps.children.length, 'row keys are unique');
  });

  it('an inspection that failed is one warning row with its sentence', () => {
    assert.deepEqual(backupDetailsModel({ kind: 'failed', message: '/b/x is not a backup: it is a file, and a backup is a folder.' }).map((r) => [r.label, r.description, r.icon]), [
      ['Cannot read the backup', '/b/x is not a backup: it is a file, and a backup is a folder.', 'warning'],
    ]);
  });
});
