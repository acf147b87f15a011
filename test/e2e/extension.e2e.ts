import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { closedPort } from './support/closedPort';
import { codeServerEntry, startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { installJapaneseLanguagePack } from './support/japaneseLanguagePack';
import { Workbench } from './support/workbench';


const IPHONE = { udid: '00008101-000A1B2C3D4E5F01', name: 'QA iPhone A', productType: 'iPhone14,5', productVersion: '16.1', serialNumber: 'F2LQAA000001', dataset: { files: 300, totalBytes: 3_000_000, seed: 3 } };
const NEW_IPHONE = { udid: '00008120-000C3D4E5F6A7B03', name: 'QA iPhone C', productType: 'iPhone15,4', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'G3MQAC000003', paired: false, trust: { response: 'trust', delayMs: 500 } };
const IPAD = { udid: '00008120-000B2C3D4E5F6A02', name: 'QA iPad B', deviceClass: 'iPad', productType: 'iPad13,18', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'G3MQAB000002', supervised: true, mdm: 'enrolled', dataset: { files: 40, totalBytes: 200_000, seed: 4 } };

describe('the extension in code-server (real VS Code in Chromium)', function () {
  this.timeout(180_000);
  const folders = e2eFolders('extension');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  const backupFolder = path.join(tmp, 'backups');
  const baseSettings = {
    ...QUIET_WORKBENCH_SETTINGS,
    'iosbr.backupFolder': backupFolder,
    'iosbr.logLevel': 'debug',
  };
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  before(async function () {
    await installThisExtension(folders);
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
      .then(async () => {
        await page.waitForTimeout(400);
        await bench.screenshot('04-backup-progress');
      })
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

  it('lists the files of the new backup in a document', async () => {
    await bench.runCommand('iOS Backup & Restore: List Backup Files');
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'Domain' }).waitFor({ timeout: 30_000 });
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /# QA iPhone A · /);
    assert.match(text, /\w+Domain\S*\s+\S+\s+[\d.]+ [KM]?B/);
    await bench.screenshot('07-backup-files');
  });

  it('an untrusted device says so and can be paired from the tree', async () => {
    simulator?.writeScenario({ devices: [IPHONE, { ...IPAD, attached: false }, NEW_IPHONE] });
    const before = await bench.waitForRows('Devices', (l) => l.some((x) => x.includes('Not trusted')), 'the untrusted device');
    assert.ok(before.some((l) => l.includes('iPhone 15') && l.includes('Not trusted')), before.join(' | '));
    await bench.screenshot('08-untrusted-device');
    await bench.runCommand('iOS Backup & Restore: Pair with Device');
    await bench.waitForNotification(/now trusts this computer/, 60_000);
    const after = await bench.waitForRows('Devices', (l) => !l.some((x) => x.includes('Not trusted')) && l.some((x) => x.includes('iPhone 15 · iOS 17.2')), 'the paired device');
    assert.ok(after.length >= 2, after.join(' | '));
    simulator?.writeScenario({ devices: [IPHONE, { ...IPAD, attached: false }] });
    await bench.waitForRows('Devices', (l) => !l.some((x) => x.includes('iPhone 15')), 'the new iPhone detached');
  });

  it('turns on backup encryption after a modal confirmation, and verifies the encrypted backup\'s password', async () => {
    const password = 'e2e-secret-1';
    await bench.runCommand('iOS Backup & Restore: Turn On Backup Encryption…');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Turn On Encryption' }).click();
    await bench.answerPassword(password);
    await bench.answerPassword(password);
    await bench.waitForNotification('Backups of QA iPhone A are now encrypted.', 60_000);
    await bench.runCommand('iOS Backup & Restore: Back Up Device');
    await bench.waitForNotification(/Backed up QA iPhone A: \d+ files/, 120_000);
    await bench.waitForRows('Backups', (l) => l.some((x) => /iOS 16\.1 · Encrypted/.test(x)), 'the encrypted backup');
    await bench.runCommand('iOS Backup & Restore: Verify Backup Password');
    await bench.answerPassword('not-the-password');
    await bench.waitForNotification('The password does not open this backup.', 60_000);
    await bench.runCommand('iOS Backup & Restore: Verify Backup Password');
    await bench.answerPassword(password);
    await bench.waitForNotification('The password opens the backup of QA iPhone A.', 60_000);
    await page.waitForTimeout(500);
    await bench.screenshot('09-encrypted-backup-verified');
  });

  it('the log channel holds the extension\'s lines', async () => {
    await bench.runCommand('iOS Backup & Restore: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await output.filter({ hasText: 'device detached' }).waitFor({ timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    const text = (await output.innerText()).replace(/\u00a0/g, ' ');
    // The output view renders only the lines in sight (the newest); these are among them.
    assert.match(text, /\[devices\] device detached udid=/);
    assert.match(text, /\[encryption\] backup encryption changed .*willEncrypt=true/);
    assert.match(text, /\[backup\] \[00008101-000A1B2C3D4E5F01\] backup finished files=\d+/);
    assert.match(text, /command started command=iosbr\.backups\.verifyPassword/);
    assert.doesNotMatch(text, /e2e-secret-1|not-the-password/);
    await bench.screenshot('10-log-channel');
  });

  it('exports a Markdown diagnostic report with the devices, the operations and the log', async () => {
    const report = path.join(tmp, 'diagnostics.md');
    await bench.runCommand('iOS Backup & Restore: Export Diagnostic Report…');
    await bench.answerFileDialog(report);
    await bench.waitForNotification('Diagnostic report saved to', 30_000);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /^# iOS Backup & Restore: diagnostic report/);
    assert.match(text, /### QA iPhone A[\s\S]*\| Backup encryption \| yes \|/);
    assert.match(text, /`iosbr\.devices\.backup` \|[^|]*\| succeeded/);
    assert.match(text, /`iosbr\.devices\.encryption\.enable` \|[^|]*\| succeeded/);
    assert.match(text, /## Recent log lines\n\n```\n.*\[info\]/);
    assert.doesNotMatch(text, /e2e-secret-1|not-the-password/);
  });

  it('speaks Japanese when the display language is Japanese', async () => {
    await installJapaneseLanguagePack(bench, tmp, userDataDir);
    await page.waitForTimeout(1000);
    await launch('ja');
    await bench.openContainer();
    const labels = await bench.waitForRows('端末', (l) => l.some((x) => x.startsWith('QA iPhone A')), 'the device in Japanese');
    assert.ok(labels.some((l) => l.includes('iPhone 13 · iOS 16.1')), labels.join(' | '));
    await bench.pane('バックアップ').waitFor();
    const backups = await bench.waitForRows('バックアップ', (l) => l.some((x) => /iOS 16\.1 · 暗号化あり/.test(x)), 'the backup in Japanese');
    assert.ok(backups.some((l) => l.includes('バックアップ 1 件')), backups.join(' | '));
    const header = await page.locator('.sidebar .composite.title').innerText();
    assert.match(header, /iOS バックアップと復元/i);
    await bench.screenshot('11-japanese');
  });
});
