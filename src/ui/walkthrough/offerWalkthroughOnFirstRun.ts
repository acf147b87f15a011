import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import { decideFirstRun } from './firstRunDecision';

/** The walkthrough's id in package.json (contributes.walkthroughs). */
export const WALKTHROUGH_ID = 'gettingStarted';
/** The global-state key that records that the walkthrough was opened once, so it opens on the first run only. */
export const WALKTHROUGH_OFFERED_KEY = 'iosbr.walkthrough.offered';
/** The command that shows this extension's view container in the side bar (VS Code derives it from the container id). */
const REVEAL_DEVICES_CONTAINER = 'workbench.view.extension.iosbr';

/**
 * On the first run, opens the Getting Started walkthrough beside the Devices view, so a newcomer sees where the
 * devices appear and what to try first. VS Code opens an extension's walkthrough by itself only when the extension is
 * installed in a running window; one installed from the command line, or before the window opened, would otherwise
 * never show it. Never throws: a walkthrough that cannot open must not stop the extension from working.
 */
export async function offerWalkthroughOnFirstRun(context: vscode.ExtensionContext, logger: Logger): Promise<void> {
  try {
    const decision = decideFirstRun({
      offeredBefore: context.globalState.get<boolean>(WALKTHROUGH_OFFERED_KEY) === true,
      openOnInstall: vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<unknown>('openOnInstall'),
    });
    if (decision !== 'open') {
      logger.info('walkthrough not opened', { reason: decision });
      return;
    }
    const walkthrough = `${context.extension.id}#${WALKTHROUGH_ID}`;
    await vscode.commands.executeCommand(REVEAL_DEVICES_CONTAINER);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthrough);
    // Recorded only once it opened, so a window that could not show it offers it again next time.
    await context.globalState.update(WALKTHROUGH_OFFERED_KEY, true);
    logger.info('walkthrough opened on first run', { walkthrough });
  } catch (err) {
    logger.warn('walkthrough could not be opened', { reason: err instanceof Error ? err.message : String(err) });
  }
}
