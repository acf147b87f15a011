import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';

const run = promisify(execFile);
const CLI = path.join(REPO, 'dist', 'cli.js');
/** The simulator's own lockdown domain: the digest of what a device holds tells whether a restore changed it. */
const SIMULATOR_DOMAIN = 'com.apple.iosbr.simulator';

/** The phone whose backup is restored: MDM-enrolled, not supervised. */
const SOURCE = { udid: '00008110-000E1D2E3F4A5B11', name: 'Desk iPhone', productType: 'iPhone14,5', productVersion: '16.1', serialNumber: 'F2LQAC000011', supervised: false, mdm: 'enrolled', dataset: { files: 24, totalBytes: 120_000, seed: 21 } };
/** The replacement: supervised, on iOS 17.2, with a passcode the simulated person enters after 3 s. */
const TARGET = {
  udid: '00008120-000F2E3F4A5B6C22',
  name: 'Spare iPhone',
  productType: 'iPhone15,4',
  productVersion: '17.2',
  buildVersion: '21C62',
  serialNumber: 'G3MQAD000022',
  supervised: true,
  mdm: 'enrolled',
  passcode: { set: true, enteredAfterMs: 3000 },
  restart: { afterRestoreDelayMs: 500, downMs: 1000 },
  dataset: { files: 10, totalBytes: 50_000, seed: 22 },
};

describe('restoring a backup to a device in code-server', function () {
  this.timeout(300_000);
  const folders = e2eFolders('restore');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  const backupFolder = path.join(tmp, 'backups');
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  /** What the simulated device reports about its content (its own lockdown domain), read with our CLI's peer: ideviceinfo. */
  async function digestOf(udid: string): Promise<string> {
    const env = { ...process.env, USBMUXD_SOCKET_ADDRESS: simulator?.address ?? '' };
    const { stdout } = await run('ideviceinfo', ['-u', udid, '-q', SIMULATOR_DOMAIN, '-k', 'DatasetDigest'], { env, timeout: 20_000 });
    return stdout.trim();
  }

  /** Polls until the device reports `expected` (it restarts after a restore, so it is away for a moment). */
  async function waitForDigest(udid: string, expected: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await digestOf(udid).catch((err: Error) => `(${err.message.split('\n')[0]})`);
      if (last === expected) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`${udid} reports ${last}, not ${expected}`);
  }

  const scenario = (target: object): object => ({ devices: [SOURCE, target] });
  const panelPage = (): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  before(async function () {
    const entry = await installThisExtension(folders);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Find My is on at first: the first restore must be refused by the checks.
    simulator = await startSimulatorProcess(CLI, path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), scenario({ ...TARGET, findMy: true }));
    // The backup to restore, made with our CLI (the extension's own backup is tested in extension.e2e.ts).
    await run(process.execPath, [CLI, 'backup', SOURCE.udid, '--dir', backupFolder], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: simulator.address }, timeout: 120_000 });
    assert.deepEqual(readdirSync(backupFolder), [SOURCE.udid]);
    writeUserSettings(userDataDir, {
      ...QUIET_WORKBENCH_SETTINGS,
      'workbench.colorTheme': 'Default Dark Modern',
      'iosbr.backupFolder': backupFolder,
      'iosbr.usbmuxdAddress': simulator.address,
    });
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1200 }, locale: 'en-US' });
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, workspace);
    await bench.openContainer();
    await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith(SOURCE.name)) && l.some((x) => x.startsWith(TARGET.name)), 'both devices', 60_000);
    await bench.waitForRows('Backups', (l) => l.some((x) => x.startsWith(SOURCE.name)), 'the backup', 30_000);
  });

  afterEach(async function () {
    // A picture of the failure says more than a timeout message.
    if (this.currentTest?.state === 'failed' && page) await bench.screenshot(`restore-failure-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses from the Backups view before touching the device when Find My is on, and shows why in the panel', async () => {
    const before = await digestOf(TARGET.udid);
    // The backup itself, under its device's group row.
    const row = bench.pane('Backups').locator('.monaco-list-row[aria-level="2"]').first();
    await bench.contextMenu(row, 'Restore Backup to Device…');
    await bench.pick(TARGET.name);
    const checks = panelPage().locator('#restore-checks[data-state="done"]');
    await checks.waitFor({ timeout: 60_000 });
    assert.equal(await checks.getAttribute('data-tone'), 'no');
    assert.equal(await panelPage().locator('#restore-checks .check[data-check="find-my"]').getAttribute('data-status'), 'fail');
    await bench.waitForNotification(/The restore did not start, and nothing was sent to the device\. Find My is on/);
    await bench.screenshot('restore-refused');
    assert.equal(await digestOf(TARGET.udid), before, 'nothing was sent to the device');
  });

  it('restores from the panel after the questions, the options and the confirmation, with the passcode prompt and the next steps', async () => {
    simulator?.writeScenario(scenario(TARGET));
    const sourceDigest = await digestOf(SOURCE.udid);
    assert.notEqual(await digestOf(TARGET.udid), sourceDigest);
    // The panel still compares the backup and the target; its button starts the restore command for that pair.
    const button = panelPage().locator('#restore-button');
    await button.waitFor({ timeout: 30_000 });
    await button.click();
    // The ADE profile setting cannot be read from a device: the command asks it.
    await page.locator('.quick-input-widget input[placeholder*="Do not enable restore from backup"]').waitFor({ timeout: 60_000 });
    await bench.pick('Yes');
    // The options: besides the defaults, the system files and removing what the backup lacks, so that the
    // device ends up holding exactly what the backup holds (without them a restore merges, as on a real device).
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Restore options for Spare iPhone' }).waitFor({ timeout: 30_000 });
    await bench.pick('Restore system files too');
    await bench.pick('Remove items on the device that the backup does not contain');
    await page.locator('.quick-input-widget input').press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Everything on Spare iPhone \\(.*UDID ${TARGET.udid}\\) will be replaced`));
    await bench.screenshot('restore-confirm');
    await dialog.getByRole('button', { name: 'Restore to Spare iPhone' }).click();
    await bench.waitForNotification('Look at Spare iPhone and enter its passcode', 60_000);
    await bench.waitForNotification(/Restored Spare iPhone: \d+ files/, 120_000);
    // The steps after the restore open by themselves: agent re-authentication is among them for this case.
    const editor = page.locator('.editor-instance .view-lines');
    await page.locator('.tab', { hasText: 'After restoring Desk iPhone to Spare iPhone' }).first().waitFor({ timeout: 30_000 });
    // The editor renders spaces as no-break spaces.
    const steps = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(steps, /After restoring Desk iPhone to Spare iPhone/);
    assert.match(steps, /Remote Management screen appears/);
    assert.match(steps, /Re-authenticate the iOS agent/);
    await bench.screenshot('restore-done');
    await waitForDigest(TARGET.udid, sourceDigest);
  });

  it('keeps the refused and the finished restore, with the steps after it, in the diagnostic report', async () => {
    const report = path.join(tmp, 'diagnostics.md');
    await bench.runCommand('iOS Backup & Restore: Export Diagnostic Report…');
    await bench.answerFileDialog(report);
    await bench.waitForNotification('Diagnostic report saved to', 30_000);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /`iosbr\.backups\.restore` \|[^|]*\| failed/);
    assert.match(text, /`iosbr\.backups\.restore` \|[^|]*\| succeeded/);
    assert.match(text, /After this operation:\n\n```text\n {2}1\. The device restarts[\s\S]*Re-authenticate the iOS agent[\s\S]*```/);
  });
});
