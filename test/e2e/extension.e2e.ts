import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerEntry, installExtension, startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = path.join(REPO, 'test-results', 'e2e');
const CHROMIUM = process.env.IOSBR_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const IPHONE = { udid: '00008101-000A1B2C3D4E5F01', name: 'QA iPhone A', productType: 'iPhone14,5', productVersion: '16.1', serialNumber: 'F2LQAA000001', dataset: { files: 300, totalBytes: 3_000_000, seed: 3 } };
const IPAD = { udid: '00008120-000B2C3D4E5F6A02', name: 'QA iPad B', deviceClass: 'iPad', productType: 'iPad13,18', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'G3MQAB000002', supervised: true, mdm: 'enrolled', dataset: { files: 40, totalBytes: 200_000, seed: 4 } };

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Packages a folder with vsce into a .vsix. */
function packageVsix(folder: string, out: string): string {
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: folder, stdio: 'pipe' });
  return out;
}

describe('the extension in code-server (real VS Code in Chromium)', function () {
  this.timeout(180_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iosbr-e2e-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  const backupFolder = path.join(tmp, 'backups');
  const baseSettings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.ignoreRecommendations': true,
    'iosbr.backupFolder': backupFolder,
    'iosbr.logLevel': 'debug',
  };
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  before(async function () {
    const entry = codeServerEntry(REPO);
    if (!existsSync(entry)) throw new Error('code-server is missing: run "node test/e2e/installCodeServer.mjs" (npm run test:e2e does).');
    if (!existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run "npm run build" first.');
    mkdirSync(workspace, { recursive: true });
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    const vsix = packageVsix(REPO, path.join(tmp, 'iosbr.vsix'));
    await installExtension(entry, extensionsDir, vsix, userDataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bench) await bench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function launch(locale?: string): Promise<void> {
    await server?.stop();
    await page?.close();
    server = await startCodeServer({ entry: codeServerEntry(REPO), userDataDir, extensionsDir, workspace, locale });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: locale ?? 'en-US' });
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, workspace);
  }

  it('without usbmuxd, the Devices view explains what to start and offers the demo devices', async () => {
    writeUserSettings(userDataDir, { ...baseSettings, 'iosbr.usbmuxdAddress': `127.0.0.1:${await closedPort()}` });
    await launch();
    await bench.openContainer();
    const welcome = bench.pane('Devices').locator('.welcome-view-content');
    await welcome.getByText('usbmuxd is not running').waitFor({ timeout: 30_000 });
    await bench.screenshot('01-no-usbmuxd-welcome');
    await welcome.getByRole('button', { name: 'Start Demo Devices' }).click();
    const labels = await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith('Support iPhone')) && l.some((x) => x.startsWith('Replacement iPhone')), 'demo devices');
    assert.ok(labels.some((l) => l.includes('iPhone 13 · iOS 16.1')), labels.join(' | '));
    await bench.screenshot('02-demo-devices');
    await bench.runCommand('iOS Backup & Restore: Stop Demo Devices');
    await welcome.getByText('usbmuxd is not running').waitFor({ timeout: 30_000 });
  });

  it('shows two simulated devices live from usbmuxd, with model and iOS version, and their facts', async () => {
    simulator = await startSimulatorProcess(path.join(REPO, 'dist', 'cli.js'), path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), { devices: [IPHONE, IPAD] });
    // code-server does not notice settings.json edited behind its back, so it starts again with the new address.
    writeUserSettings(userDataDir, { ...baseSettings, 'iosbr.usbmuxdAddress': simulator.address });
    await launch();
    await bench.openContainer();
    const labels = await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith('QA iPhone A')) && l.some((x) => x.startsWith('QA iPad B')), 'both devices');
    assert.ok(labels.some((l) => l === 'QA iPhone A iPhone 13 · iOS 16.1'), labels.join(' | '));
    assert.ok(labels.some((l) => l === 'QA iPad B iPad (10th generation) · iOS 17.2'), labels.join(' | '));
    await bench.pane('Devices').locator('.monaco-list-row', { hasText: 'QA iPad B' }).click();
    await page.keyboard.press('ArrowRight');
    const expanded = await bench.waitForRows('Devices', (l) => l.includes('Supervised: Yes'), 'the iPad facts');
    assert.ok(expanded.includes(`UDID: ${IPAD.udid}`), expanded.join(' | '));
    assert.ok(expanded.some((l) => l.startsWith('MDM: Enrolled')), expanded.join(' | '));
    assert.ok(expanded.includes('Trusted (paired): Yes'), expanded.join(' | '));
    await page.locator('.statusbar-item', { hasText: 'QA iPad B' }).waitFor();
    await bench.screenshot('03-devices-with-facts');
  });

  it('backs up a device with progress, and the Backups view shows the new backup', async () => {
    await bench.runCommand('iOS Backup & Restore: Back Up Device');
    await bench.pick('QA iPhone A');
    // The progress toast is short-lived with a small dataset; its screenshot is a bonus, not an assertion.
    await bench
      .waitForNotification('Backing up QA iPhone A', 10_000)
      .then(() => bench.screenshot('04-backup-progress'))
      .catch(() => undefined);
    await bench.waitForNotification(/Backed up QA iPhone A: \d+ files/, 120_000);
    const backups = await bench.waitForRows('Backups', (l) => l.some((x) => x.startsWith('QA iPhone A')) && l.some((x) => /iOS 16\.1 · Not encrypted/.test(x)), 'the new backup');
    assert.ok(backups.length >= 2, backups.join(' | '));
    await bench.screenshot('05-backup-done');
  });

  it('a detached device disappears from the tree', async () => {
    simulator?.writeScenario({ devices: [IPHONE, { ...IPAD, attached: false }] });
    const labels = await bench.waitForRows('Devices', (l) => !l.some((x) => x.startsWith('QA iPad B')) && l.some((x) => x.startsWith('QA iPhone A')), 'the iPad detached');
    assert.equal(labels.filter((l) => l.startsWith('QA ')).length, 1);
    await bench.screenshot('06-device-detached');
  });

  it('the log channel holds the extension\'s lines', async () => {
    await bench.runCommand('iOS Backup & Restore: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await output.filter({ hasText: 'device detached' }).waitFor({ timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    const text = (await output.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /\[devices\] device attached/);
    assert.match(text, /command iosbr\.devices\.backup/);
    assert.match(text, /backup finished/);
    await bench.screenshot('07-log-channel');
  });

  it('speaks Japanese when the display language is Japanese', async () => {
    // Microsoft's Japanese language pack cannot be downloaded here; the stand-in only declares "ja", so
    // VS Code's own texts stay English while the extension's come from its Japanese bundles. It is
    // installed from the running window (Install from VSIX), which registers it as a language pack.
    const languagePack = packageVsix(path.join(REPO, 'test', 'e2e', 'fixtures', 'language-pack-ja'), path.join(tmp, 'language-pack-ja.vsix'));
    await bench.runCommand('Extensions: Install from VSIX...');
    await bench.answerFileDialog(languagePack);
    const registered = path.join(userDataDir, 'languagepacks.json');
    for (let i = 0; i < 120 && !existsSync(registered); i++) await page.waitForTimeout(250);
    assert.ok(existsSync(registered), 'the language pack was not registered');
    await launch('ja');
    await bench.openContainer();
    const labels = await bench.waitForRows('端末', (l) => l.some((x) => x.startsWith('QA iPhone A')), 'the device in Japanese');
    assert.ok(labels.some((l) => l.includes('iPhone 13 · iOS 16.1')), labels.join(' | '));
    await bench.pane('バックアップ').waitFor();
    const backups = await bench.waitForRows('バックアップ', (l) => l.some((x) => x.includes('暗号化なし')), 'the backup in Japanese');
    assert.ok(backups.some((l) => l.includes('バックアップ 1 件')), backups.join(' | '));
    const header = await page.locator('.sidebar .composite.title').innerText();
    assert.match(header, /iOS バックアップと復元/i);
    await bench.screenshot('08-japanese');
  });
});
