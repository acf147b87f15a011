import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { evaluateRestore } from '../../src/compat/evaluateRestore';
import { bundledRules } from '../../src/compat/loadRules';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import type { PageElement } from './support/pageElement';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';


/** The phone being replaced: MDM-enrolled but not supervised, on iOS 16.1. */
const SOURCE = { udid: '00008110-000C1D2E3F4A5B01', name: 'QA Old iPhone', productType: 'iPhone14,5', productVersion: '16.1', serialNumber: 'F2LQAC000001', supervised: false, mdm: 'enrolled', dataset: { files: 20, totalBytes: 100_000, seed: 5 } };
/** Its replacement: supervised (ADE) and enrolled, on iOS 17.2. */
const TARGET = { udid: '00008120-000D2E3F4A5B6C02', name: 'QA New iPhone', productType: 'iPhone15,4', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'G3MQAD000002', supervised: true, mdm: 'enrolled', dataset: { files: 20, totalBytes: 100_000, seed: 6 } };

describe('the Restore Compatibility panel in code-server', function () {
  this.timeout(240_000);
  const folders = e2eFolders('compat');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  const settings = (usbmuxdAddress: string): Record<string, unknown> => ({
    ...QUIET_WORKBENCH_SETTINGS,
    'workbench.colorTheme': 'Default Light Modern',
    'iosbr.backupFolder': path.join(tmp, 'backups'),
    'iosbr.usbmuxdAddress': usbmuxdAddress,
    'iosbr.logLevel': 'debug',
  });
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  // What the vendor rules say for these two devices, computed from their facts (with the ADE profile setting
  // answered as allowing restores, as the engineer does in the panel): the panel must show exactly this.
  const expected = evaluateRestore(
    bundledRules(),
    { udid: SOURCE.udid, iosVersion: SOURCE.productVersion, supervisedAtBackup: SOURCE.supervised, mdmEnrolledAtBackup: SOURCE.mdm === 'enrolled' },
    { udid: TARGET.udid, iosVersion: TARGET.productVersion, supervised: TARGET.supervised, adeRestoreFromBackupAllowed: true },
  );

  before(async function () {
    const entry = await installThisExtension(folders);
    if (!existsSync(path.join(REPO, 'media', 'compat', 'dist', 'main.js'))) throw new Error('media/compat/dist/main.js is missing: run "npm run build" first.');
    mkdirSync(SCREENSHOTS, { recursive: true });
    simulator = await startSimulatorProcess(path.join(REPO, 'dist', 'cli.js'), path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), { devices: [SOURCE, TARGET] });
    writeUserSettings(userDataDir, settings(simulator.address));
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // Tall enough that a screenshot shows the pickers, the verdict, the checklist and the first table's highlighted row.
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 }, locale: 'en-US' });
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, workspace);
    // Our activity bar entry appearing means the extension's contributions (the command) are registered.
    await bench.openContainer();
  });

  afterEach(async function () {
    // A picture of the failure says more than a timeout message.
    if (this.currentTest?.state === 'failed' && page) await bench.screenshot(`compat-failure-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    // And the extension host's logs (the extension's own log channel among them), to see what it did.
    if (this.currentTest?.state === 'failed' || process.env.IOSBR_E2E_KEEP_LOGS) cpSync(path.join(userDataDir, 'logs'), path.join(SCREENSHOTS, 'compat-failure-logs'), { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The panel's page: VS Code nests each webview's content in an inner frame of the webview iframe. */
  const panelPage = (): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  /** Picks an entry of one of the panel's drop-downs (vscode-single-select) by its visible label. */
  async function choose(selectId: string, label: string): Promise<void> {
    const select = panelPage().locator(`#${selectId}`);
    await select.click();
    await select.getByRole('option', { name: label }).click();
  }

  /** Waits until the Devices view shows both devices by name, i.e. their facts have been read. */
  async function bothDevicesRead(): Promise<void> {
    await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith(SOURCE.name)) && l.some((x) => x.startsWith(TARGET.name)), 'both devices', 60_000);
  }

  it('opens from the palette, compares two live devices and highlights their case', async () => {
    assert.equal(expected.cell?.id, 'unsupervised.different.target-supervised', 'the scenario is the case this test is about');
    await bothDevicesRead();
    await bench.runCommand('iOS Backup & Restore: Check Restore Compatibility');
    const view = panelPage();
    await view.locator('table.matrix').first().waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('table.matrix').count(), 3);
    assert.equal(await view.locator('table.matrix tbody tr').count(), 12);

    await choose('source-select', `Device: ${SOURCE.name}`);
    await view.locator('#target-select').waitFor();
    await choose('target-select', TARGET.name);
    const current = view.locator('tr[aria-current="true"]');
    await current.waitFor({ timeout: 30_000 });
    assert.deepEqual(await current.evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-cell-id'))), [expected.cell?.id]);
    assert.match(await current.innerText(), /Your case/);

    // The ADE profile setting cannot be read from a device: it is asked, and the verdict waits for it.
    const verdict = view.locator('#verdict');
    assert.equal(await verdict.getAttribute('data-tone'), 'unknown');
    const question = view.locator('.question[data-fact="target.adeRestoreFromBackupAllowed"]');
    await question.waitFor();
    await question.locator('vscode-radio[value="true"]').click();
    await view.locator('#verdict[data-tone="yes"]').waitFor({ timeout: 30_000 });
    assert.equal(expected.supported, 'yes');
    assert.equal((await view.locator('#verdict-headline').innerText()).replace(/^\W+/, ''), 'Restore supported');
    assert.match(await verdict.innerText(), /Backup device is unsupervised \/ Different device \/ Supervised/);
    assert.match(await verdict.innerText(), /Re-authentication needed/);
    // The announcement for screen readers says the same in one sentence.
    assert.equal(await view.locator('#announcer').innerText(), 'Restore supported: Backup device is unsupervised / Different device / Supervised');
    assert.deepEqual(
      await view.locator('#preconditions .check').evaluateAll((items: PageElement[]) => items.map((i) => i.getAttribute('data-status'))),
      expected.preconditions.map((p) => (p.informational ? 'info' : p.status)),
    );
    assert.match(await view.locator('#after-restore').innerText(), /Re-authenticate the iOS agent/);
  });

  it('looks right in a light and a dark theme', async () => {
    // code-server starts in the light theme (user settings); the palette's toggle switches to the dark one.
    for (const kind of ['light', 'dark'] as const) {
      if (kind === 'dark') await bench.runCommand('Preferences: Toggle between Light/Dark Themes');
      // VS Code marks the webview body with the theme kind once it has applied the theme there too.
      await panelPage().locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      await bench.screenshot(`compat-${kind}`);
      assert.equal(await panelPage().locator('tr[aria-current="true"]').getAttribute('data-cell-id'), expected.cell?.id);
    }
  });

  it('comes back with the same selection and answers after a window reload', async () => {
    // Through VS Code's own command, so the workbench saves its state (the panel's setState) as it does for a user.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await bench.runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    const view = panelPage();
    await view.locator('#verdict[data-tone="yes"]').waitFor({ timeout: 60_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nThe panel shows: ${(await view.locator('#app').innerText().catch(() => '(nothing)')).slice(0, 400)}`);
    });
    assert.equal(await view.locator('tr[aria-current="true"]').getAttribute('data-cell-id'), expected.cell?.id);
  });

  it('takes source and target from the Devices view\'s context menu on two selected devices', async () => {
    const view = panelPage();
    // Start from another case: the old phone onto itself.
    await choose('target-select', SOURCE.name);
    await view.locator('tr[aria-current="true"][data-cell-id="unsupervised.same.target-unsupervised"]').waitFor({ timeout: 30_000 });
    // Select both devices, then right-click the new phone: it becomes the target, the other one the source.
    const rows = bench.pane('Devices').locator('.monaco-list-row');
    await rows.filter({ hasText: SOURCE.name }).click();
    await rows.filter({ hasText: TARGET.name }).click({ modifiers: ['Control'] });
    await bench.contextMenu(rows.filter({ hasText: TARGET.name }), 'Check Restore Compatibility');
    await view.locator(`tr[aria-current="true"][data-cell-id="${expected.cell?.id}"]`).waitFor({ timeout: 30_000 });
    // A different target means the answer about its ADE profile no longer applies: it is asked again.
    assert.equal(await view.locator('#verdict').getAttribute('data-tone'), 'unknown');
    await view.locator('.question[data-fact="target.adeRestoreFromBackupAllowed"]:not(.answered)').waitFor();
    await view.locator('.question[data-fact="target.adeRestoreFromBackupAllowed"] vscode-radio[value="true"]').click();
    await view.locator('#verdict[data-tone="yes"]').waitFor({ timeout: 30_000 });
  });

  it('updates when the target device is detached', async () => {
    simulator?.writeScenario({ devices: [SOURCE, { ...TARGET, attached: false }] });
    const view = panelPage();
    await view.locator('.notice', { hasText: `The target device ${TARGET.udid} is not attached` }).waitFor({ timeout: 30_000 });
    // Its supervision is unknown now, so two rows remain possible and none is claimed as the case.
    assert.equal(await view.locator('tr[aria-current="true"]').count(), 0);
    assert.equal(await view.locator('#verdict').getAttribute('data-tone'), 'unknown');
    simulator?.writeScenario({ devices: [SOURCE, TARGET] });
    await view.locator('tr[aria-current="true"]').waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('tr[aria-current="true"]').getAttribute('data-cell-id'), expected.cell?.id);
  });
});
