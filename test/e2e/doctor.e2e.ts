import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import type { PageElement } from './support/pageElement';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';

const EXPLAIN = 'iOS Backup & Restore: Explain a Restore Error…';
/** A device whose backups fail with 105: the simulator reports too little free space on the computer. */
const FULL_DISK_IPHONE = { udid: '00008110-000D0C70E0000001', name: 'Doctor iPhone', productType: 'iPhone14,5', productVersion: '17.2', dataset: { files: 10, totalBytes: 100_000, seed: 5 }, faults: { lowHostDiskQuery: true } };

/**
 * The text of the active editor as Monaco renders it: rows in screen order (spaces drawn as no-break
 * spaces). Reports wrap, so a long line spans rows; `flat` joins them for matching phrases.
 */
async function editorText(page: Page): Promise<{ rows: string; flat: string }> {
  const rows = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((elements: PageElement[]) =>
    elements.map((e) => ({ top: parseFloat(e.style.top) || 0, text: e.textContent ?? '' })),
  );
  const texts = rows.sort((a, b) => a.top - b.top).map((r) => r.text.replace(/\u00a0/g, ' '));
  return { rows: texts.join('\n'), flat: texts.join(' ').replace(/\s+/g, ' ') };
}

/**
 * The failure doctor in a real VS Code (code-server in Chromium): "Explain a Restore Error…" on a
 * pasted idevicebackup2 line, and a failed backup whose notification says why and opens the whole
 * explanation. Saves test-results/e2e/doctor-*.png.
 */
describe('the failure doctor in code-server', function () {
  this.timeout(300_000);
  const folders = e2eFolders('doctor');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  let browser: Browser | undefined;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  before(async function () {
    const entry = await installThisExtension(folders);
    simulator = await startSimulatorProcess(path.join(REPO, 'dist', 'cli.js'), path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), { devices: [FULL_DISK_IPHONE] });
    writeUserSettings(userDataDir, {
      ...QUIET_WORKBENCH_SETTINGS,
      'editor.minimap.enabled': false,
      'iosbr.usbmuxdAddress': simulator.address,
      'iosbr.backupFolder': path.join(tmp, 'backups'),
    });
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, workspace);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bench) await bench.screenshot(`doctor-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('Explain a Restore Error… explains a pasted idevicebackup2 line in a read-only document', async () => {
    // Our activity bar entry shows once the extension's contributions, commands included, are known.
    await bench.openContainer();
    await bench.runCommand(EXPLAIN);
    // The extension's own log is offered too once it has lines; pasting is always offered.
    const input = page.locator('.quick-input-widget input');
    const paste = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Paste an error code, message or log line' }).first();
    await Promise.race([paste.waitFor({ timeout: 15_000 }), page.locator('.quick-input-widget .quick-input-message', { hasText: 'as the tool printed it' }).waitFor({ timeout: 15_000 })]);
    if (await paste.isVisible()) await paste.click();
    await page.locator('.quick-input-widget', { hasText: 'as the tool printed it' }).waitFor({ timeout: 15_000 });
    await input.fill('ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)');
    await input.press('Enter');

    await page.locator('.tab', { hasText: 'Failure Explanation' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: 'Find My' }).first().waitFor({ timeout: 15_000 });
    const { rows, flat } = await editorText(page);
    assert.match(rows, /^Pasted: ErrorCode 211: Find My iPhone must be disabled before restoring \(MBErrorDomain\/211\)$/m);
    assert.match(flat, /▶ Restore refused: Find My is on \[mb-211-find-my\]/);
    assert.match(flat, /Cause: The target device refuses a restore while Find My is turned on\./);
    assert.match(flat, /Fix: • On the device: Settings > \[name\] > Find My, turn Find My off/);
    assert.match(flat, /Recognised 1 failure in 1 line\./);
    // Its own language, which wraps the long lines.
    await page.locator('.statusbar-item', { hasText: 'iOS Failure Explanation' }).waitFor({ timeout: 10_000 });
    await bench.screenshot('doctor-01-explained');

    // Read-only: typing changes nothing.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.type('typed');
    assert.doesNotMatch((await editorText(page)).flat, /typed/);
  });

  it('a failed backup says why in its notification, and Show Explanation opens the whole explanation', async () => {
    await bench.openContainer();
    await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith('Doctor iPhone')), 'the simulated iPhone', 60_000);
    await bench.runCommand('iOS Backup & Restore: Back Up Device');
    const toast = await bench.waitForNotification(/The backup failed/, 120_000);
    const message = ((await toast.locator('.notification-list-item-message').innerText()) ?? '').replace(/\s+/g, ' ');
    assert.match(message, /Why: .*free space/, message);
    assert.match(message, /What to do: Free up space, or choose a bigger volume for the backup\./, message);
    for (const action of ['Show Explanation', 'Open Log', 'Export Diagnostic Report']) {
      await toast.getByRole('button', { name: action }).waitFor({ timeout: 5_000 });
    }
    await bench.screenshot('doctor-02-failure-notification');
    await toast.getByRole('button', { name: 'Show Explanation' }).click();
    await page.locator('.editor-instance .view-lines', { hasText: 'not enough free space' }).first().waitFor({ timeout: 15_000 });
    const { rows, flat } = await editorText(page);
    assert.match(rows, /^The backup failed\./m);
    assert.match(flat, /▶ Backup refused: not enough free space on this computer \[mb-105-host-disk\]/);
    assert.match(flat, /Fix: • Free up space, or choose a bigger volume for the backup\./);
    await bench.screenshot('doctor-03-failure-explanation');
  });
});
