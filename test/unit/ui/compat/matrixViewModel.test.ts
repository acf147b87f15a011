import * as assert from 'node:assert/strict';
import { SOURCE_KINDS, TARGET_RELATIONS } from '../../../../src/compat/rulesModel';
import type { BackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { EMPTY_SELECTION, type CompatSelection } from '../../../../src/ui/compat/compatSelection';
import { allRows, backupSnapshotOf, CLOUD_FILE, deviceFacts, MDM_STUB_FILE, roster, rules, strings, UDID_NEW, UDID_OLD, viewFor } from './compatTestSupport';

const BACKUP_DIR = '/backups/00008110-000A1B2C3D4E801E';

/** A backup whose configuration-profile store records the device state at backup time. */
function ourBackup(atBackup: { supervised?: boolean; mdm?: 'enrolled' | 'none' }, iosVersion = '16.1'): BackupSnapshot {
  return backupSnapshotOf(BACKUP_DIR, atBackup, iosVersion);
}

/** A backup without the configuration-profile store: identity only, no device state at backup time. */
function foreignBackup(): BackupSnapshot {
  return backupSnapshotOf(BACKUP_DIR, {});
}

const fromBackupTo = (targetUdid: string, answers: CompatSelection['answers'] = {}): CompatSelection => ({
  ...EMPTY_SELECTION,
  source: { kind: 'backup', dir: BACKUP_DIR },
  targetUdid,
  answers,
});

describe('ui/compat: matrix view model', () => {
  it('renders all three tables with all 12 cells, each with its six columns and same/different row groups', () => {
    const { model } = viewFor(EMPTY_SELECTION, roster());
    assert.deepEqual(model.tables.map((t) => t.caption), rules.tables.map((t) => t.title.en));
    const expectedIds = rules.tables.flatMap((t) => t.cells.map((c) => c.id));
    assert.equal(expectedIds.length, 12);
    assert.deepEqual(allRows(model).map((r) => r.cellId), expectedIds);
    for (const table of model.tables) {
      assert.deepEqual(table.columns, [
        'Restore target (same / different device)',
        'Restore target (supervised / unsupervised)',
        'Supported',
        'Agent authentication state',
        'MDM authentication state',
        'Remarks',
      ]);
      assert.deepEqual(table.groups.map((g) => [g.header, g.rows.length]), [['Same device', 2], ['Different device', 2]]);
    }
    const reauth = allRows(model).find((r) => r.cellId === 'unsupervised.different.target-unsupervised');
    assert.deepEqual(reauth?.agent, { symbol: '△', label: 'Re-authentication needed', tone: 'partial' });
    assert.deepEqual(reauth?.mdm, { symbol: '×', label: 'Not authenticated', tone: 'no' });
    assert.equal(reauth?.remarks, 'Kitting is needed after the restore. The iOS agent must be re-authenticated.');
  });

  it('highlights exactly the report\'s cell for every one of the 12 situations, and words the verdict', () => {
    for (const kind of SOURCE_KINDS) {
      for (const relation of TARGET_RELATIONS) {
        for (const targetSupervised of [false, true]) {
          const backup = ourBackup(
            kind === 'no-mdm' ? { supervised: false, mdm: 'none' } : { supervised: kind === 'supervised', mdm: 'enrolled' },
          );
          const targetUdid = relation === 'same' ? UDID_OLD : UDID_NEW;
          const target = deviceFacts(targetUdid, { supervised: targetSupervised, iosVersion: '17.2' });
          const { model, report } = viewFor(fromBackupTo(targetUdid, { 'target.adeRestoreFromBackupAllowed': true }), roster(target), { backups: [backup] });
          const expectedId = `${kind}.${relation}.target-${targetSupervised ? 'supervised' : 'unsupervised'}`;
          const label = `${kind}/${relation}/${targetSupervised}`;
          assert.equal(report.cell?.id, expectedId, label);
          const current = allRows(model).filter((r) => r.mark === 'current');
          assert.deepEqual(current.map((r) => r.cellId), [expectedId], label);
          assert.equal(current[0].markText, 'Your case', label);
          assert.ok(allRows(model).every((r) => r.mark === 'current' || r.mark === 'none'), label);
          assert.equal(model.verdict.tone, report.supported, label);
          assert.equal(model.verdict.headline, strings.verdictHeadline[report.supported], label);
          const tableTitle = rules.tables.find((t) => t.source === kind)?.title.en ?? '';
          assert.ok(model.verdict.caseText?.startsWith(tableTitle), label);
          assert.equal(model.verdict.announcement, `${model.verdict.headline}: ${model.verdict.caseText}`, label);
        }
      }
    }
  });

  it('says "supported" with the states and steps for a decided ○ case whose preconditions all pass', () => {
    const backup = ourBackup({ supervised: false, mdm: 'enrolled' });
    const target = deviceFacts(UDID_NEW, { supervised: true, iosVersion: '17.2' });
    const { model } = viewFor(fromBackupTo(UDID_NEW, { 'target.adeRestoreFromBackupAllowed': true }), roster(target), { backups: [backup] });
    assert.equal(model.verdict.tone, 'yes');
    assert.equal(model.verdict.symbol, '○');
    assert.equal(model.verdict.headline, 'Restore supported');
    assert.deepEqual(model.verdict.details, [
      { label: 'Case', value: 'Backup device is unsupervised / Different device / Supervised' },
      { label: 'Agent authentication after the restore', value: '△ Re-authentication needed' },
      { label: 'MDM authentication after the restore', value: '○ Authenticated' },
      { label: 'Remarks', value: 'The iOS agent must be re-authenticated.' },
      // The state at backup time, with the backup's own file that recorded it.
      { label: 'Supervised when backed up', value: `No (from the backup's ${CLOUD_FILE})` },
      { label: 'MDM-enrolled when backed up', value: `Yes (from the backup's ${MDM_STUB_FILE})` },
    ]);
    assert.deepEqual(model.verdict.reasons, []);
    assert.deepEqual(model.afterRestore.actions.map((a) => a.title), ['Re-authenticate the iOS agent']);
    assert.equal(model.afterRestore.actions[0].steps.length, 3);
    assert.equal(model.afterRestore.actions[0].reference, 'See: iOS kitting manual / Install from the portal / Authenticate');
    assert.equal(model.instead, null);
    assert.deepEqual(model.preconditions.map((p) => p.status), ['pass', 'info', 'pass', 'pass']);
    // The ADE setting was answered, so it is still listed (changeable) but no longer asked.
    assert.deepEqual(model.questions.map((q) => [q.fact, q.answer, q.hint]), [['target.adeRestoreFromBackupAllowed', true, 'Answered by you.']]);
  });

  it('says "not supported" and why when a precondition fails, and offers the alternative for a × cell', () => {
    const backup = ourBackup({ supervised: false, mdm: 'enrolled' }, '17.2');
    const olderTarget = deviceFacts(UDID_NEW, { supervised: false, iosVersion: '16.1' });
    const failed = viewFor(fromBackupTo(UDID_NEW), roster(olderTarget), { backups: [backup] }).model;
    assert.equal(failed.verdict.tone, 'no');
    assert.equal(failed.verdict.symbol, '×');
    assert.match(failed.verdict.reasons.join('\n'), /^Precondition 1 is not met: The target runs iOS 16\.1, older than the backup's iOS 17\.2/m);
    assert.equal(failed.preconditions[0].status, 'fail');
    assert.equal(failed.preconditions[0].statusText, 'Not met');

    const sameSupervised = deviceFacts(UDID_OLD, { supervised: true, iosVersion: '17.2' });
    const cross = viewFor(fromBackupTo(UDID_OLD, { 'target.adeRestoreFromBackupAllowed': true }), roster(sameSupervised), {
      backups: [ourBackup({ supervised: false, mdm: 'enrolled' })],
    }).model;
    assert.equal(cross.verdict.tone, 'no');
    assert.ok(cross.verdict.reasons.includes('The compatibility table marks this case as not supported.'));
    assert.deepEqual(cross.instead?.actions.map((a) => a.title), ['Kit a different device instead']);
    assert.equal(cross.afterRestore.emptyText, null);
  });

  it('asks for the facts a backup without a configuration-profile store does not record, saying why, and never guesses them', () => {
    const target = deviceFacts(UDID_NEW, { supervised: true, iosVersion: '17.2' });
    const { model, report } = viewFor(fromBackupTo(UDID_NEW), roster(target), { backups: [foreignBackup()] });
    assert.equal(report.cell, null);
    assert.deepEqual(
      model.questions.map((q) => q.fact),
      ['source.mdmEnrolledAtBackup', 'source.supervisedAtBackup', 'target.adeRestoreFromBackupAllowed'],
    );
    const mdm = model.questions[0];
    assert.equal(mdm.kind, 'boolean');
    assert.equal(mdm.answer, null);
    assert.equal(mdm.text, 'Was the MDM installed (enrolled) on the device when the backup was made?');
    assert.match(mdm.hint, /does not show the device state at backup time: The backup does not hold the configuration-profile store\./);
    assert.equal(mdm.neededFor, 'Decides: which case of the tables applies');
    const ade = model.questions[2];
    assert.equal(ade.hint, 'This is a setting on the MDM management site; it cannot be read from the device.');
    assert.equal(ade.neededFor, 'Decides: precondition 4');
    assert.equal(model.verdict.tone, 'unknown');
    assert.equal(model.verdict.caseText, null);
    assert.ok(model.verdict.reasons.includes('3 cases of the tables are still possible.'));
    assert.ok(model.verdict.reasons.includes('3 questions below need an answer.'));
    assert.equal(model.afterRestore.note, 'More steps may apply once the questions are answered.');
    // Only the rows the known facts allow are marked as possible; the others stay unmarked.
    const candidates = allRows(model).filter((r) => r.mark === 'candidate').map((r) => r.cellId);
    assert.deepEqual(candidates, ['unsupervised.different.target-supervised', 'supervised.different.target-supervised', 'no-mdm.different.target-supervised']);
    assert.ok(allRows(model).every((r) => r.mark !== 'current'));
  });

  it('settles the case from the engineer\'s answers and keeps them listed for change', () => {
    const target = deviceFacts(UDID_NEW, { supervised: true, iosVersion: '17.2' });
    const answers = { 'source.mdmEnrolledAtBackup': true, 'source.supervisedAtBackup': true, 'target.adeRestoreFromBackupAllowed': false };
    const { model, report } = viewFor(fromBackupTo(UDID_NEW, answers), roster(target), { backups: [foreignBackup()] });
    assert.equal(report.cell?.id, 'supervised.different.target-supervised');
    assert.deepEqual(allRows(model).filter((r) => r.mark === 'current').map((r) => r.cellId), ['supervised.different.target-supervised']);
    assert.deepEqual(model.questions.map((q) => [q.fact, q.answer]), [
      ['source.mdmEnrolledAtBackup', true],
      ['source.supervisedAtBackup', true],
      ['target.adeRestoreFromBackupAllowed', false],
    ]);
    assert.equal(model.verdict.tone, 'no');
  });

  it('asks for everything (and marks no row) when nothing is chosen', () => {
    const { model } = viewFor(EMPTY_SELECTION, roster());
    assert.ok(allRows(model).every((r) => r.mark === 'none'));
    const hints = new Map(model.questions.map((q) => [q.fact, q.hint]));
    assert.equal(hints.get('source.udid'), 'No source is chosen.');
    assert.equal(hints.get('target.supervised'), 'No target device is chosen.');
    assert.equal(model.questions.find((q) => q.fact === 'target.iosVersion')?.kind, 'iosVersion');
    assert.equal(model.questions.find((q) => q.fact === 'source.udid')?.kind, 'udid');
    assert.equal(model.source.selectedIndex, -1);
    assert.equal(model.target.selectedIndex, -1);
  });

  it('shows a refused typed answer\'s problem next to its question', () => {
    const { model } = viewFor({ ...EMPTY_SELECTION, targetUdid: UDID_NEW }, roster(deviceFacts(UDID_NEW, { iosVersion: undefined, limitation: 'not paired' })), {
      answerErrors: { 'target.iosVersion': 'not-ios-version' },
    });
    const q = model.questions.find((x) => x.fact === 'target.iosVersion');
    assert.equal(q?.error, 'Enter an iOS version such as 16.1.');
    assert.equal(q?.hint, 'The device did not tell: not paired');
  });

  it('lists devices and backups in the pickers and keeps a chosen device that went away', () => {
    const oldPhone = deviceFacts(UDID_OLD);
    const backup = foreignBackup();
    const { model } = viewFor({ ...EMPTY_SELECTION, source: { kind: 'backup', dir: BACKUP_DIR }, targetUdid: UDID_NEW }, roster(oldPhone), { backups: [backup] });
    assert.deepEqual(model.source.options.map((o) => o.label), ['Device: Support iPhone', 'Backup: Support iPhone']);
    assert.equal(model.source.selectedIndex, 1);
    assert.match(model.source.options[0].description, /iPhone 13 · iOS 16\.1 · 00008110/);
    assert.deepEqual(model.target.options.map((o) => o.label), ['Support iPhone', `${UDID_NEW} (not attached)`]);
    assert.equal(model.target.selectedIndex, 1);
    assert.deepEqual(model.notices, [{ tone: 'warning', text: `The target device ${UDID_NEW} is not attached; its facts are unknown until it is reconnected.` }]);
    assert.equal(model.questions.find((q) => q.fact === 'target.supervised')?.hint, 'The device is not attached, so this cannot be read.');
  });

  it('offers a chosen backup folder that the library does not list, and warns when it cannot be read', () => {
    const elsewhere = { ...foreignBackup(), dir: '/elsewhere/backup' };
    const chosen = viewFor({ ...EMPTY_SELECTION, source: { kind: 'backup', dir: elsewhere.dir } }, roster(), { backups: [elsewhere], library: [] }).model;
    assert.equal(chosen.source.options.length, 1);
    assert.equal(chosen.source.selectedIndex, 0);
    assert.equal(chosen.source.options[0].label, 'Backup: Support iPhone');
    assert.match(chosen.source.options[0].description, /iOS 16\.1 · \/elsewhere\/backup$/);
    const broken = { dir: '/elsewhere/broken', unreadable: '/elsewhere/broken is not a backup folder' };
    const warned = viewFor({ ...EMPTY_SELECTION, source: { kind: 'backup', dir: broken.dir } }, roster(), { backups: [broken], library: [] }).model;
    assert.deepEqual(warned.notices, [{ tone: 'warning', text: 'The backup could not be read: /elsewhere/broken is not a backup folder' }]);
    assert.equal(warned.questions.find((q) => q.fact === 'source.udid')?.hint, 'The backup could not be read: /elsewhere/broken is not a backup folder');
  });

  it('reports usbmuxd being unreachable instead of calling chosen devices detached', () => {
    const { model } = viewFor({ ...EMPTY_SELECTION, targetUdid: UDID_NEW }, { status: 'unreachable', problem: 'usbmuxd is not running.', devices: [] });
    assert.deepEqual(model.notices, [{ tone: 'warning', text: 'Devices cannot be listed: usbmuxd is not running.' }]);
  });

  it('shows the restore methods with the chosen one selected', () => {
    const { model } = viewFor({ ...EMPTY_SELECTION, methodId: 'icloud' }, roster());
    assert.deepEqual(model.methods.procedures.map((p) => p.id), ['itunes-windows', 'finder-mac', 'icloud']);
    assert.equal(model.methods.selectedIndex, 2);
    const icloud = model.methods.procedures[2];
    assert.ok(icloud.steps.some((s) => s.note === 'When the backup device and the restore target are the same device, the Remote Management screen is not shown.'));
    assert.equal(viewFor(EMPTY_SELECTION, roster()).model.methods.selectedIndex, 0);
  });

  it('takes the vendor texts in Japanese when the UI language is Japanese', () => {
    const { model } = viewFor(EMPTY_SELECTION, roster(), { lang: 'ja' });
    assert.equal(model.lang, 'ja');
    assert.deepEqual(model.tables.map((t) => t.caption), ['バックアップ端末が非監視対象の場合', 'バックアップ端末が監視対象の場合', 'バックアップ端末がMDM未導入の場合']);
    assert.equal(model.tables[0].groups[0].header, '同端末');
    assert.equal(model.questions[0].text, 'バックアップ時、端末にMDMは導入（登録）されていましたか？');
    assert.equal(model.methods.procedures[0].title, 'iTunesを利用した復元');
  });

  it('asks nothing about supervision or MDM when the backup\'s store records them, and asks with the reason when it cannot be read', () => {
    const target = deviceFacts(UDID_NEW, { supervised: true, iosVersion: '17.2' });
    const known = viewFor(fromBackupTo(UDID_NEW), roster(target), { backups: [ourBackup({ supervised: true, mdm: 'enrolled' })] });
    const asked = known.model.questions.map((q) => q.fact);
    assert.ok(!asked.includes('source.supervisedAtBackup') && !asked.includes('source.mdmEnrolledAtBackup'), asked.join(','));
    const closed = backupSnapshotOf(BACKUP_DIR, { supervised: true, mdm: 'enrolled' });
    const reason = { code: 'backup-encrypted-needs-password' as const, detail: 'The backup is encrypted and no password was given.' };
    closed.source = { ...closed.source!, 'source.supervisedAtBackup': { reason }, 'source.mdmEnrolledAtBackup': { reason } };
    const { model } = viewFor(fromBackupTo(UDID_NEW), roster(target), { backups: [closed] });
    const question = model.questions.find((q) => q.fact === 'source.mdmEnrolledAtBackup');
    assert.ok(question, 'asked, not guessed');
    assert.match(question.hint, /encrypted: its password is needed/);
  });

  it('is plain JSON (it crosses postMessage and setState unchanged)', () => {
    const { model } = viewFor(fromBackupTo(UDID_NEW), roster(deviceFacts(UDID_NEW)), { backups: [ourBackup({ supervised: true, mdm: 'enrolled' })] });
    assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
  });
});
