import * as vscode from 'vscode';
import { formatByteCount } from '../../../common/byteCount';
import { backupName } from '../../../backup/format/backupFolder';
import { formatPostRestoreSteps, postRestoreSteps } from '../../../restore/postRestoreSteps';
import { runRestore } from '../../../restore/restoreEngine';
import { RestorePreflightError } from '../../../restore/restorePreflightError';
import { passcodePromptThrottle } from '../../progress/passcodePromptNotice';
import { transferProgressMessage } from '../../progress/transferProgressMessage';
import { withOperationProgress } from '../../progress/withOperationProgress';
import { uiLanguage } from '../../util/uiLanguage';
import type { CommandDeps } from '../commandDeps';
import { askRestoreOptions } from './askRestoreOptions';
import { checkBeforeRestore } from './checkBeforeRestore';
import { chooseRestorePair } from './chooseRestorePair';
import { confirmRestore } from './confirmRestore';

/**
 * "Restore Backup to Device…": picks the backup and the target, runs the restore checks (shown in the
 * compatibility panel), stops on a failed check before anything is sent, asks for the options and a
 * modal confirmation naming the device, then restores under a cancellable progress notification and
 * shows the steps that follow (also kept for the diagnostic report).
 */
export async function restoreBackupToDevice(deps: CommandDeps, node?: unknown, nodes?: unknown): Promise<void> {
  const pair = await chooseRestorePair(deps, node, nodes);
  if (!pair) return;
  const { backup, target } = pair;
  const lang = uiLanguage(deps.locale);
  const name = target.facts?.name ?? target.udid;
  const checked = await checkBeforeRestore(deps, backup, target, lang);
  if (checked.result.blocked) throw new RestorePreflightError(checked.result);
  const choices = await askRestoreOptions(name);
  if (!choices) return;
  if (!(await confirmRestore(backup, target, checked.result, deps.locale, lang))) return;

  deps.logger.info('restore confirmed', { backup: backup.dir, udid: target.udid, ...choices });
  const passcodeNotice = passcodePromptThrottle();
  const result = await withOperationProgress(deps.operations, vscode.l10n.t('Restoring {0}', name), (report, token) =>
    runRestore({
      mux: deps.endpoint.client,
      udid: target.udid,
      backupDir: backup.dir,
      ...choices,
      password: checked.password,
      // The backup folder was just read and its password checked; only the device is read again.
      checkedBackup: checked.result.backup,
      answers: checked.answers,
      token,
      logger: deps.logger,
      // The checks run again right before the restore: the device may have changed since it was confirmed.
      onPreflight: (again) => deps.compatPanel.showRestoreChecks({ backupDir: backup.dir, targetUdid: target.udid, state: 'done', result: again }),
      onProgress: (p) => report(p.percent, transferProgressMessage(p.phase, p.filesSent, p.bytesSent)),
      onNotice: (text, kind) => {
        if (kind === 'passcode-prompt') {
          const ask = vscode.l10n.t('Look at {0} and enter its passcode: the restore waits for it.', name);
          // The progress line is one notification updated in place; the separate one is throttled, as the device may
          // post its prompt again and again.
          report(undefined, ask);
          passcodeNotice.run(() => {
            deps.logger.info(text, { udid: target.udid });
            void vscode.window.showInformationMessage(ask);
          });
        } else {
          deps.logger.info(text, { udid: target.udid });
          void vscode.window.showWarningMessage(vscode.l10n.t('The app list could not be left on {0}: reinstall its apps by hand after the restore.', name));
        }
      },
    }),
  );
  // The restore changed the device's name, supervision and MDM state (it reads them again once it is back).
  void deps.monitor.refreshFacts(target.udid);

  const steps = postRestoreSteps(result.preflight, { reboot: result.reboot, differentDevice: result.differentDevice, appsToReinstall: result.appsToReinstall });
  const record = deps.history.current('iosbr.backups.restore');
  // English, as the rest of the report, and indented as printed so the sub-steps stay under their step.
  if (record) deps.history.addFollowUp(record, formatPostRestoreSteps(steps, 'en'));
  // The steps are what keeps the old device's location from being updated on; they open without being asked
  // for, read-only (closing the tab never asks to save it).
  const title = vscode.l10n.t('After restoring {0} to {1}', backupName(backup), name);
  await deps.doctorReports.show(title, [title, '', ...formatPostRestoreSteps(steps, lang)]);
  const openLog = vscode.l10n.t('Open Log');
  const seconds = Math.max(1, Math.round(result.durationMs / 1000));
  // Not awaited: the command is done when the restore is, not when the notification is dismissed.
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Restored {0}: {1} files ({2}) in {3} s. Follow the {4} steps after the restore.', name, result.filesSent, formatByteCount(result.bytesSent), seconds, steps.length),
      openLog,
    )
    .then((choice) => {
      if (choice === openLog) deps.log.show();
    });
}
