import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, REPO_ROOT } from '../helpers/simulatorHarness';
import { codeServerEntry, installExtension, startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { packageThisExtension, QUIET_WORKBENCH_SETTINGS } from './support/e2eSetup';
import type { PageElement } from './support/pageElement';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';

const run = promisify(execFile);
const UDID = '00008110-000A1B2C3D4E801E';
const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'e2e', 'device-log.png');
const CHROMIUM = process.env.IOSBR_E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The document's lines as the editor renders them: view lines in screen order (Monaco draws spaces
 * as no-break spaces), with the rows of a wrapped line joined back to the record they continue.
 */
async function editorLines(page: Page): Promise<string[]> {
  const rows = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((elements: PageElement[]) =>
    elements.map((e) => ({ top: parseFloat(e.style.top) || 0, text: e.textContent ?? '' })),
  );
  const lines: string[] = [];
  for (const row of rows.sort((a, b) => a.top - b.top)) {
    const text = row.text.replace(/\u00a0/g, ' ');
    if (/^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d |--- )/.test(text) || lines.length === 0) lines.push(text);
    else lines[lines.length - 1] += text;
  }
  return lines.filter((l) => l.trim() !== '');
}

/**
 * Runs a command from the command palette by its title. Right after start-up the palette may not
 * know the extension's commands yet, so it asks again until the command is listed.
 */
async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // The row of exactly this command (category prefix included), not a fuzzy neighbour.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `iOS Backup & Restore: ${title}` }).first();
    try {
      await row.waitFor({ timeout: 3_000 });
      await row.click();
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw err;
    }
  }
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
  let page: Page | undefined;

  before(async function () {
    const entry = codeServerEntry(REPO_ROOT);
    if (!existsSync(entry) || !existsSync(CHROMIUM)) this.skip();
    work = mkdtempSync(path.join(os.tmpdir(), 'iosbr-e2e-devicelog-'));
    const vsix = packageThisExtension();
    simulator = await startSimulatorProcess(CLI, path.join(work, 'scenario.json'), path.join(work, 'state'), {
      devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '17.2', dataset: { files: 20, totalBytes: 200_000, seed: 3 }, faults: { lowHostDiskQuery: true } }],
    });
    const userDataDir = path.join(work, 'user-data');
    const extensionsDir = path.join(work, 'extensions');
    // Into this run's own user data folder, not code-server's default one in the home folder.
    await installExtension(entry, extensionsDir, vsix, userDataDir);
    writeUserSettings(userDataDir, {
      // The shared quiet settings keep the first-run walkthrough from covering the editor this test reads.
      ...QUIET_WORKBENCH_SETTINGS,
      'iosbr.usbmuxdAddress': simulator.address,
      'window.commandCenter': false,
      'editor.minimap.enabled': false,
      'editor.hover.delay': 100,
      // Below the line, so the picture shows the log lines the hover would otherwise cover.
      'editor.hover.above': false,
    });
    const workspace = path.join(work, 'workspace');
    mkdirSync(workspace);
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterEach(async function () {
    // A picture of the failure says more than a timeout message.
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-failure.png') }).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('streams, filters while streaming, highlights and explains error codes', async () => {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
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
    await input.fill('BackupAgent2|lockdownd');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'process=BackupAgent2|lockdownd' }).waitFor({ timeout: 10_000 });

    // A backup that fails for lack of host space: lockdownd starts its services, BackupAgent2 says why before the ErrorCode.
    const backup = await run(process.execPath, [CLI, 'backup', UDID, '--dir', path.join(work, 'backups')], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: simulator!.address } }).catch((err: { code?: number; stderr?: string }) => err);
    assert.equal((backup as { code?: number }).code, 1, 'the backup fails with 105');
    const code = page.locator('.view-lines span', { hasText: /^MBErrorDomain\/105$/ }).first();
    await code.waitFor({ timeout: 20_000 });
    const lines = await editorLines(page);
    assert.ok(lines.length >= 2);
    for (const line of lines) assert.match(line, / (BackupAgent2\[412\]|lockdownd\[55\]) </, 'only BackupAgent2 and lockdownd lines are shown');
    assert.ok(lines.some((l) => / lockdownd\[55\] <Notice>: Started service com\.apple\.mobilebackup2 /.test(l)));

    await code.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Not enough free space' });
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    // Let the hover finish fading in before the picture is taken.
    await page.waitForTimeout(800);
    await page.screenshot({ path: SCREENSHOT });
    assert.match((await hover.textContent()) ?? '', /MBErrorDomain\/105/);
    await page.keyboard.press('Escape');

    // Pause swaps the title button for Resume; Stop ends the stream with one closing line.
    await runCommand(page, 'Pause Device Log');
    await page.locator('.editor-actions [aria-label^="Resume Device Log"]').waitFor({ timeout: 10_000 });
    await runCommand(page, 'Resume Device Log');
    await page.locator('.editor-actions [aria-label^="Pause Device Log"]').waitFor({ timeout: 10_000 });
    await runCommand(page, 'Stop Device Log Stream');
    await page.locator('.view-lines .view-line', { hasText: 'Log stream stopped.' }).waitFor({ timeout: 10_000 });
    assert.match((await editorLines(page)).at(-1) ?? '', /^--- Log stream stopped\. \(.+\) ---$/);
  });
});
