import * as assert from 'node:assert/strict';
import { evaluateRestorePreflight, type RestorePreflightResult } from '../../../../src/restore/restorePreflight';
import type { BackupPreflightFacts, RestorePreflightFacts } from '../../../../src/restore/restorePreflightFacts';
import { bundledRules } from '../../../../src/compat/loadRules';
import { completeBackupFacts } from '../../../builders/backupPreflightFacts';
import type { BackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { EMPTY_SELECTION, type CompatSelection } from '../../../../src/ui/compat/compatSelection';
import { parsePageMessage } from '../../../../src/ui/compat/parsePageMessage';
import { restoreAnswersFrom } from '../../../../src/ui/compat/restoreAnswers';
import { checksMatchSelection, type RestoreChecksRun } from '../../../../src/ui/compat/restoreChecksRun';
import { backupSnapshotOf, deviceFacts, roster, strings, UDID_NEW, UDID_OLD, viewFor } from './compatTestSupport';

const BACKUP_DIR = `/backups/${UDID_OLD}`;
const backupSnapshot: BackupSnapshot = backupSnapshotOf(BACKUP_DIR, { supervised: true, mdm: 'enrolled' });
const pairSelection: CompatSelection = { ...EMPTY_SELECTION, source: { kind: 'backup', dir: BACKUP_DIR }, targetUdid: UDID_NEW };

/** The real checks on gathered facts: a ready supervised target, with the ADE answer given or not. */
function checks(over: { backup?: Partial<BackupPreflightFacts>; findMy?: boolean; ade?: boolean } = {}): RestorePreflightResult {
  const facts: RestorePreflightFacts = {
    backup: completeBackupFacts(UDID_OLD, over.backup),
    target: {
      device: { udid: UDID_NEW, connectionType: 'USB', paired: true, iosVersion: '17.2', supervised: true, mdm: 'enrolled', findMy: over.findMy ?? false, passcodeLocked: false },
      freeBytes: 60_000_000_000,
      activationState: 'Activated',
    },
    rules: bundledRules(),
    answers: over.ade === undefined ? {} : { adeRestoreFromBackupAllowed: over.ade },
  };
  return evaluateRestorePreflight(facts, { passwordRequired: true });
}

const done = (result: RestorePreflightResult): RestoreChecksRun => ({ backupDir: BACKUP_DIR, targetUdid: UDID_NEW, state: 'done', result });
const target = deviceFacts(UDID_NEW, { supervised: true, iosVersion: '17.2' });

describe('ui/compat: restore checks in the panel', () => {
  it('shows every check of a finished run, in order, with its status, sentence and action', () => {
    const result = checks({ findMy: true, ade: true });
    const { model } = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: done(result) });
    const view = model.restoreChecks;
    assert.ok(view);
    assert.equal(view.state, 'done');
    assert.equal(view.tone, 'no');
    assert.equal(view.summary, '1 check failed: the restore cannot start.');
    assert.deepEqual(view.items.map((i) => i.id), result.checks.map((c) => c.id));
    const findMy = view.items.find((i) => i.id === 'find-my');
    assert.equal(findMy?.status, 'fail');
    assert.equal(findMy?.statusText, 'Failed');
    assert.equal(findMy?.sentence, result.checks.find((c) => c.id === 'find-my')?.sentence.en);
    assert.ok(findMy?.action && findMy.action.length > 0, 'a failed check says what to do');
    assert.equal(view.items.find((i) => i.id === 'backup-password')?.action, null, 'a passed check has no action');
    // The checks ran only the quick health check; the full one is offered for this backup.
    assert.equal(view.items.find((i) => i.id === 'backup-health')?.status, 'pass');
    assert.equal(view.verifyAction?.label, 'Verify Backup');
  });

  it('words the summary for clear checks and for checks that could not be told', () => {
    const clear = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: done(checks({ ade: true })) }).model.restoreChecks;
    assert.deepEqual([clear?.tone, clear?.summary], ['yes', 'Every check passed: the restore can start.']);
    const open = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: done(checks({})) }).model.restoreChecks;
    assert.equal(open?.tone, 'unknown', 'the ADE profile setting is not known, so the verdict is not decided');
    assert.match(open?.summary ?? '', /^Nothing stops the restore, but 1 check could not be told\.$/);
  });

  it('takes the check texts in the panel\'s language', () => {
    const result = checks({ findMy: true, ade: true });
    const { model } = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: done(result), lang: 'ja' });
    const findMy = result.checks.find((c) => c.id === 'find-my');
    const shown = model.restoreChecks?.items.find((i) => i.id === 'find-my');
    assert.deepEqual([shown?.title, shown?.sentence, shown?.action], [findMy?.title.ja, findMy?.sentence.ja, findMy?.action?.ja]);
  });

  it('shows a running run as busy with no items', () => {
    const running: RestoreChecksRun = { backupDir: BACKUP_DIR, targetUdid: UDID_NEW, state: 'running' };
    const { model } = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: running });
    assert.deepEqual(model.restoreChecks, { heading: 'Restore checks', state: 'running', tone: 'unknown', summary: 'Checking the backup and the device…', items: [], verifyAction: null });
  });

  it('says so when the checks stopped without a result, instead of checking forever', () => {
    const stopped: RestoreChecksRun = { backupDir: BACKUP_DIR, targetUdid: UDID_NEW, state: 'stopped', reason: 'The restore was cancelled.' };
    const { model } = viewFor(pairSelection, roster(target), { backups: [backupSnapshot], restoreChecks: stopped });
    assert.deepEqual(model.restoreChecks, {
      heading: 'Restore checks',
      state: 'done',
      tone: 'unknown',
      summary: 'The checks did not finish: The restore was cancelled.',
      items: [],
      verifyAction: { label: 'Verify Backup', description: strings.verifyBackupButtonDescription },
    });
  });

  it('shows the checks only while the panel compares the pair they were run for', () => {
    const run = done(checks({ ade: true }));
    assert.equal(checksMatchSelection(run, pairSelection), true);
    assert.equal(checksMatchSelection(run, { ...pairSelection, targetUdid: UDID_NEW.toLowerCase() }), true, 'UDIDs compare case-insensitively');
    assert.equal(checksMatchSelection(run, { ...pairSelection, targetUdid: UDID_OLD }), false);
    assert.equal(checksMatchSelection(run, { ...pairSelection, source: { kind: 'device', udid: UDID_OLD } }), false);
    const other = viewFor({ ...pairSelection, targetUdid: UDID_OLD }, roster(target, deviceFacts(UDID_OLD)), { backups: [backupSnapshot], restoreChecks: run });
    assert.equal(other.model.restoreChecks, null);
  });

  it('offers the restore button only for a backup and an attached target', () => {
    const { model } = viewFor(pairSelection, roster(target), { backups: [backupSnapshot] });
    assert.equal(model.restoreAction?.label, 'Restore to This Device…');
    assert.match(model.restoreAction?.description ?? '', /backup of Support iPhone to /);
    assert.equal(viewFor(pairSelection, roster(), { backups: [backupSnapshot] }).model.restoreAction, null, 'target not attached');
    const fromDevice: CompatSelection = { ...pairSelection, source: { kind: 'device', udid: UDID_OLD } };
    assert.equal(viewFor(fromDevice, roster(target, deviceFacts(UDID_OLD))).model.restoreAction, null, 'a device is not a backup');
    assert.equal(viewFor({ ...pairSelection, targetUdid: null }, roster(target), { backups: [backupSnapshot] }).model.restoreAction, null);
  });

  it('accepts the page\'s restore message and nothing else under that name', () => {
    const noFolderKnown = (): boolean => false;
    assert.deepEqual(parsePageMessage({ type: 'restore' }, noFolderKnown), { ok: true, message: { type: 'restore' } });
    assert.deepEqual(parsePageMessage({ type: 'restore', backupDir: '/etc' }, noFolderKnown), { ok: true, message: { type: 'restore' } }, 'the pair comes from the host\'s selection, never from the page');
  });

  it('carries only yes/no answers over to the restore checks', () => {
    assert.deepEqual(
      restoreAnswersFrom({
        'target.adeRestoreFromBackupAllowed': false,
        'source.supervisedAtBackup': true,
        'source.mdmEnrolledAtBackup': false,
        'target.supervised': true,
        'source.iosVersion': '15.0',
        'target.udid': UDID_OLD,
      }),
      { adeRestoreFromBackupAllowed: false, sourceSupervisedAtBackup: true, sourceMdmEnrolledAtBackup: false, targetSupervised: true },
    );
    assert.deepEqual(restoreAnswersFrom({}), {});
  });
});
