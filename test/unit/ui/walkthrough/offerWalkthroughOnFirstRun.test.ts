import '../vscodeStub';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Logger, LogFields } from '../../../../src/common/logger';
import { stubbedSettings } from './configurationStub';
import { WALKTHROUGH_OFFERED_KEY, offerWalkthroughOnFirstRun } from '../../../../src/ui/walkthrough/offerWalkthroughOnFirstRun';
import { vscodeStub } from '../vscodeStub';

/** A logger that keeps its lines, so a test can read why the walkthrough was or was not opened. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: LogFields) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger = { lines, trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: () => logger };
  return logger;
}

/** An extension context with only what the first run reads: its id and a global state held in a map. */
function fakeContext(state: Map<string, unknown>): vscode.ExtensionContext {
  const globalState = {
    get: (key: string) => state.get(key),
    update: async (key: string, value: unknown) => void state.set(key, value),
  };
  return { extension: { id: 'iosbr.ios-backup-restore-support' }, globalState } as unknown as vscode.ExtensionContext;
}

describe('ui/walkthrough: opening the walkthrough on the first run', () => {
  const commands = vscodeStub.commands as Record<string, unknown>;
  const OPEN_ON_INSTALL = 'workbench.welcomePage.walkthroughs.openOnInstall';
  let executed: unknown[][];
  let failOn: string | undefined;

  beforeEach(() => {
    executed = [];
    failOn = undefined;
    stubbedSettings.clear();
    commands.executeCommand = async (...args: unknown[]) => {
      if (args[0] === failOn) throw new Error(`command '${String(args[0])}' not found`);
      executed.push(args);
      return undefined;
    };
  });

  afterEach(() => {
    delete commands.executeCommand;
    stubbedSettings.clear();
  });

  it('reveals the Devices view, opens this extension\'s walkthrough and records that it did', async () => {
    const state = new Map<string, unknown>();
    const logger = recordingLogger();
    await offerWalkthroughOnFirstRun(fakeContext(state), logger);
    assert.deepEqual(executed, [['workbench.view.extension.iosbr'], ['workbench.action.openWalkthrough', 'iosbr.ios-backup-restore-support#gettingStarted']]);
    assert.equal(state.get(WALKTHROUGH_OFFERED_KEY), true);
    assert.ok(logger.lines.some((l) => l.startsWith('info walkthrough opened on first run')), logger.lines.join('\n'));
  });

  it('opens nothing once it was offered, and says why in the log', async () => {
    const logger = recordingLogger();
    await offerWalkthroughOnFirstRun(fakeContext(new Map([[WALKTHROUGH_OFFERED_KEY, true]])), logger);
    assert.deepEqual(executed, []);
    assert.ok(logger.lines.some((l) => l.includes('walkthrough not opened') && l.includes('alreadyOffered')), logger.lines.join('\n'));
  });

  it('opens nothing, and records nothing, when VS Code\'s "open walkthroughs on install" is off', async () => {
    stubbedSettings.set(OPEN_ON_INSTALL, false);
    const state = new Map<string, unknown>();
    const logger = recordingLogger();
    await offerWalkthroughOnFirstRun(fakeContext(state), logger);
    assert.deepEqual(executed, []);
    assert.equal(state.has(WALKTHROUGH_OFFERED_KEY), false);
    assert.ok(logger.lines.some((l) => l.includes('turnedOffBySetting')), logger.lines.join('\n'));
  });

  it('a walkthrough that cannot open is logged, not thrown, and offered again next time', async () => {
    failOn = 'workbench.action.openWalkthrough';
    const state = new Map<string, unknown>();
    const logger = recordingLogger();
    await offerWalkthroughOnFirstRun(fakeContext(state), logger);
    assert.equal(state.has(WALKTHROUGH_OFFERED_KEY), false);
    assert.ok(logger.lines.some((l) => l.startsWith('warn walkthrough could not be opened') && l.includes('not found')), logger.lines.join('\n'));
  });
});
