import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, REPO_ROOT } from '../helpers/simulatorHarness';
import { codeServerEntry, installExtension, startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';

const run = promisify(execFile);
const UDID = '00008110-000A1B2C3D4E801E';
const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'e2e', 'device-log.png');
const CHROMIUM = process.env.IOSBR_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The text of the editor's rendered lines (Monaco draws spaces as no-break spaces). */
async function editorLines(page: Page): Promise<string[]> {
  const lines = await page.locator('.editor-instance .view-lines .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).filter((l) => l.trim() !== '');
}

/** Runs a command from the command palette by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  try {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  } catch (err) {
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'e2e', 'device-log-failure.png') });
    throw err;
  }
  await page.keyboard.press('Enter');
}

/**
 * The device log in a real VS Code (code-server in Chromium): Show Device Log streams the simulated
 * device, a process filter is applied while it streams, a failing backup writes BackupAgent2's
 * reason, and hovering its error code explains it. Saves test-results/e2e/device-log.png.
 */
describe('device log in VS Code (code-server)', function () {
  this.timeout(300_000);
  let work: string;
  let simulator: SimulatorProcess | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;

  before(async function () {
    const entry = codeServerEntry(REPO_ROOT);
    if (!existsSync(entry) || !existsSync(CHROMIUM)) this.skip();
    work = mkdtempSync(path.join(os.tmpdir(), 'iosbr-e2e-devicelog-'));
    const vsix = path.join(work, 'iosbr.vsix');
    await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: REPO_ROOT, timeout: 120_000 });
    simulator = await startSimulatorProcess(CLI, path.join(work, 'scenario.json'), path.join(work, 'state'), {
      devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '17.2', dataset: { files: 20, totalBytes: 200_000, seed: 3 }, faults: { lowHostDiskQuery: true } }],
    });
    const userDataDir = path.join(work, 'user-data');
    const extensionsDir = path.join(work, 'extensions');
    await installExtension(entry, extensionsDir, vsix);
    writeUserSettings(userDataDir, {
      'iosbr.usbmuxdAddress': simulator.address,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'window.commandCenter': false,
      'editor.minimap.enabled': false,
      'editor.hover.delay': 100,
    });
    const workspace = path.join(work, 'workspace');
    mkdirSync(workspace);
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('streams, filters while streaming, highlights and explains error codes', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(server!.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    await runCommand(page, 'Show Device Log');
    await page.locator('.tab', { hasText: 'Support iPhone.devicelog' }).waitFor({ timeout: 60_000 });
    // The idle chatter of the device's daemons arrives within a few seconds.
    await page.locator('.editor-instance .view-lines .view-line').nth(2).waitFor({ timeout: 30_000 });
    assert.ok((await editorLines(page)).some((l) => / Support-iPhone \S+\[\d+\] <\w+>: /.test(l)));

    await runCommand(page, 'Filter Device Log');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Process' }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.fill('BackupAgent2');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'process=BackupAgent2' }).waitFor({ timeout: 10_000 });

    // A backup that fails for lack of host space: BackupAgent2 says why before the ErrorCode.
    const backup = await run(process.execPath, [CLI, 'backup', UDID, '--dir', path.join(work, 'backups')], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: simulator!.address } }).catch((err: { code?: number; stderr?: string }) => err);
    assert.equal((backup as { code?: number }).code, 1, 'the backup fails with 105');
    const code = page.locator('.view-lines span', { hasText: /^MBErrorDomain\/105$/ }).first();
    await code.waitFor({ timeout: 20_000 });
    const lines = await editorLines(page);
    assert.ok(lines.length >= 2);
    for (const line of lines) assert.match(line, / BackupAgent2\[412\] </, 'only BackupAgent2 lines are shown');

    await code.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Not enough free space' });
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.match((await hover.textContent()) ?? '', /MBErrorDomain\/105/);
  });
});
