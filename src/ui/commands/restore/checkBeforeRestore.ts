import * as vscode from 'vscode';
import { WrongPasswordError } from '../../../backup/crypto/cryptoErrors';
import type { BackupSummary } from '../../../backup/format/backupFolder';
import { evaluateRestorePreflight, type RestorePreflightResult } from '../../../restore/restorePreflight';
import type { CompatAnswers, RestorePreflightFacts } from '../../../restore/restorePreflightFacts';
import { gatherRestorePreflightFacts } from '../../../restore/runRestorePreflight';
import type { Lang } from '../../../common/localizedText';
import { CancelledError } from '../../../common/errors';
import { RESTORE_ANSWER_FIELDS, restoreAnswersFrom } from '../../compat/restoreAnswers';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { presentError } from '../../errors/errorPresentation';
import { abortSignalFor, withOperationProgress } from '../../progress/withOperationProgress';
import { withBackupPassword } from '../backups/withBackupPassword';
import type { CommandDeps } from '../commandDeps';

/** The restore checks' outcome with what the restore needs to repeat them: the password and the answers. */
export interface CheckedRestore {
  result: RestorePreflightResult;
  password: string | undefined;
  answers: CompatAnswers;
}

/**
 * Runs the restore checks for a backup and a target, shown in the compatibility panel as they go: the
 * backup's password first (the remembered one, else asked; a wrong one is refused before the device is
 * read), then the device, then the yes/no facts nobody could read are asked here (they are also asked
 * in the panel). Nothing is sent to the device; the caller decides what to do with a failed check.
 */
export async function checkBeforeRestore(deps: CommandDeps, backup: BackupSummary, target: MonitoredDevice, lang: Lang): Promise<CheckedRestore> {
  const pair = { backupDir: backup.dir, targetUdid: target.udid };
  const answers = restoreAnswersFrom(deps.compatPanel.answers(backup.dir, target.udid));
  deps.compatPanel.showRestoreChecks({ ...pair, state: 'running' });
  try {
    return await runChecks(deps, backup, target, lang, answers);
  } catch (err) {
    // The panel must not keep saying "Checking…" for checks that ended without a result.
    deps.compatPanel.showRestoreChecks({ ...pair, state: 'stopped', reason: presentError(err, vscode.l10n.t('The restore'), lang).message });
    throw err;
  }
}

async function runChecks(deps: CommandDeps, backup: BackupSummary, target: MonitoredDevice, lang: Lang, answers: CompatAnswers): Promise<CheckedRestore> {
  const pair = { backupDir: backup.dir, targetUdid: target.udid };
  const gather = (password: string | undefined): Promise<RestorePreflightFacts> =>
    withOperationProgress(deps.operations, vscode.l10n.t('Checking the backup and {0}', target.facts?.name ?? target.udid), (_report, token) =>
      gatherRestorePreflightFacts({
        mux: deps.endpoint.client,
        udid: target.udid,
        backupDir: backup.dir,
        password,
        passwordRequired: true,
        skipDeviceWhenBackupFails: true,
        answers,
        logger: deps.logger,
        signal: abortSignalFor(token),
      }),
    );
  let checked: { facts: RestorePreflightFacts; password: string | undefined };
  if (backup.encrypted === true) {
    checked = await withBackupPassword(deps, backup, async (password) => {
      const facts = await gather(password);
      // Refused here, so a remembered password that stopped working is forgotten and a new one asked for.
      if (facts.backup.password.kind === 'wrong') throw new WrongPasswordError();
      return { facts, password };
    });
  } else {
    checked = { facts: await gather(undefined), password: undefined };
  }
  let result = evaluateRestorePreflight(checked.facts, { passwordRequired: true });
  if (!result.blocked) {
    const given = await askOpenQuestions(deps, result, lang);
    if (Object.keys(given).length > 0) {
      Object.assign(answers, given);
      result = evaluateRestorePreflight({ ...checked.facts, answers }, { passwordRequired: true });
    }
  }
  deps.compatPanel.showRestoreChecks({ ...pair, state: 'done', result });
  return { result, password: checked.password, answers };
}

/**
 * Asks each open yes/no question of the rules (for example whether the ADE profile allows restoring from a
 * backup), one quick pick each. "Not known" leaves the fact unknown: the check then says so, nothing is guessed.
 */
async function askOpenQuestions(deps: CommandDeps, result: RestorePreflightResult, lang: Lang): Promise<CompatAnswers> {
  const given: CompatAnswers = {};
  for (const question of result.report.questions) {
    const field = RESTORE_ANSWER_FIELDS[question.fact];
    if (!field) continue;
    const yes = { label: vscode.l10n.t('Yes'), value: true as boolean | undefined };
    const no = { label: vscode.l10n.t('No'), value: false as boolean | undefined };
    const unknown = { label: vscode.l10n.t('I do not know'), description: vscode.l10n.t('the check stays undecided'), value: undefined };
    const picked = await vscode.window.showQuickPick([yes, no, unknown], {
      title: vscode.l10n.t('Restore checks'),
      placeHolder: question.text[lang],
      ignoreFocusOut: true,
    });
    if (!picked) throw new CancelledError('Restore');
    if (picked.value === undefined) continue;
    given[field] = picked.value;
    deps.compatPanel.answer(question.fact, picked.value);
  }
  return given;
}
