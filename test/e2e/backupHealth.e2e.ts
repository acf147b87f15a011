import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hashedFilePath } from '../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb, type ManifestEntry } from '../../src/backup/format/manifestDb';
import { startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';

const run = promisify(execFile);
const CLI = path.join(REPO, 'dist', 'cli.js');

/** A supervised, MDM-enrolled phone of an organisation: its backup must say so from its own files. */
const DEVICE = {
  udid: '00008110-000D1E2F3A4B5C31',
  name: 'Fleet iPhone',
  productType: 'iPhone14,5',
  productVersion: '16.1',
  serialNumber: 'F2LQAE000031',
  supervised: true,
  mdm: 'enrolled',
  organizationName: 'Example Logistics',
  dataset: { files: 60, totalBytes: 400_000, seed: 31 },
};

/** A phone whose backups are encrypted: without a saved password the view cannot read its profile store. */
const LOCKED = {
  udid: '00008110-000E2F3A4B5C6D32',
  name: 'Locked iPhone',
  productType: 'iPhone14,5',
  productVersion: '16.1',
  serialNumber: 'F2LQAE000032',
  supervised: true,
  mdm: 'enrolled',
  backupPassword: 'e2e-backup-secret',
  dataset: { files: 30, totalBytes: 200_000, seed: 32 },
};

describe('the Backups view shows what a backup holds, and Verify Backup reports damage (code-server)', function () {
  this.timeout(300_000);
  const folders = e2eFolders('backup-health');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  const backupRoot = path.join(tmp, 'backups');
  const backupDir = path.join(backupRoot, DEVICE.udid);
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let bench: Workbench;

  before(async function () {
    const entry = await installThisExtension(folders);
    simulator = await startSimulatorProcess(CLI, path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), { devices: [DEVICE, LOCKED] });
    // Debian's idevicebackup2 makes the backup, as a customer's computer would: no file of ours is in it.
    mkdirSync(backupRoot, { recursive: true });
    for (const device of [DEVICE, LOCKED]) {
      await run('idevicebackup2', ['-u', device.udid, 'backup', '--full', backupRoot], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: simulator.address }, timeout: 240_000 });
    }
    assert.ok(existsSync(path.join(backupDir, 'Manifest.db')), `no backup in ${backupRoot}: ${readdirSync(backupRoot).join(', ')}`);
    assert.deepEqual(readdirSync(backupDir).filter((f) => f.startsWith('.iosbr') || f.startsWith('iosbr')), [], 'the backup holds no file of ours');
    writeUserSettings(userDataDir, { ...QUIET_WORKBENCH_SETTINGS, 'iosbr.backupFolder': backupRoot, 'iosbr.usbmuxdAddress': simulator.address });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, workspace);
    await bench.openContainer();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bench) await bench.screenshot(`failed-backup-health-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Selects a row of the Backups view and expands it with the keyboard, as a user does. */
  async function expand(rowText: string | RegExp): Promise<void> {
    await bench.pane('Backups').locator('.monaco-list-row', { hasText: rowText }).first().click();
    await page.keyboard.press('ArrowRight');
  }

  it('shows a backup\'s management state (with the file it came from) and its apps', async () => {
    await bench.waitForRows('Backups', (l) => l.some((x) => x.startsWith(DEVICE.name)) && l.some((x) => /iOS 16\.1 · Not encrypted/.test(x)), 'the backup', 60_000);
    await expand(/iOS 16\.1 · Not encrypted/);
    const rows = await bench.waitForRows('Backups', (l) => l.includes('Supervised: Yes'), 'the backup\'s management state', 60_000);
    assert.ok(rows.includes('MDM enrolled: Yes'), rows.join(' | '));
    assert.ok(rows.includes(`Organization: ${DEVICE.organizationName}`), rows.join(' | '));
    assert.ok(rows.includes('Complete: Yes'), rows.join(' | '));
    const apps = rows.find((l) => l.startsWith('Apps: '));
    assert.ok(apps && Number(apps.slice('Apps: '.length)) > 0, rows.join(' | '));

    // The hover names the file the fact was read from.
    await bench.pane('Backups').locator('.monaco-list-row', { hasText: 'Supervised' }).first().hover();
    await page.locator('.monaco-hover', { hasText: 'CloudConfigurationDetails.plist' }).first().waitFor({ timeout: 15_000 });
    await bench.screenshot('backup-health-01-management-state');

    await expand(/^Apps/);
    const withApps = await bench.waitForRows('Backups', (l) => l.some((x) => x.startsWith('com.example.')), 'the app list');
    assert.ok(withApps.some((l) => /^com\.example\.\w+: \S/.test(l)), withApps.join(' | '));
    await page.mouse.move(800, 450);
    await page.waitForTimeout(300);
    await bench.screenshot('backup-health-02-apps');
  });

  it('Verify Backup on a damaged backup lists the damaged file in a document', async () => {
    // Damage as it happens to a copied backup: one content file is gone after the backup finished.
    const db = await ManifestDb.openFile(path.join(backupDir, 'Manifest.db'));
    let victim: ManifestEntry | undefined;
    try {
      victim = (await db.entries({ flags: MANIFEST_FLAGS.file })).find((e) => e.domain.startsWith('AppDomain-') || e.domain === 'HomeDomain');
    } finally {
      db.close();
    }
    assert.ok(victim, 'the backup has a content file to delete');
    unlinkSync(hashedFilePath(backupDir, victim.fileID));

    const backupRow = bench.pane('Backups').locator('.monaco-list-row', { hasText: /iOS 16\.1 · Not encrypted/ }).first();
    await bench.contextMenu(backupRow, 'Verify Backup');
    await bench.waitForNotification(/backup of Fleet iPhone is damaged/, 120_000);
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'Backup Health of Fleet iPhone' }).waitFor({ timeout: 30_000 });
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /\| Result \| \*\*1 problem found\*\* \|/);
    assert.ok(text.includes(`- \`${victim.domain}/${victim.relativePath}\`: `), text);
    assert.match(text, /## What to do next/);
    // Away from the tree, so no hover covers the report.
    await page.mouse.move(900, 200);
    await page.waitForTimeout(500);
    await bench.screenshot('backup-health-03-verify-report');
  });

  it('an encrypted backup says its management state needs the password; Verify Backup asks for it and finds the backup healthy', async () => {
    // The first backup's rows, opened above, fill the pane: the Devices view folds so the second group is in sight.
    await bench.setPaneExpanded('Devices', false);
    await bench.waitForRows('Backups', (l) => l.some((x) => /iOS 16\.1 · Encrypted/.test(x)), 'the encrypted backup', 60_000);
    await expand(/iOS 16\.1 · Encrypted/);
    const locked = 'Unknown — the backup is encrypted; verify its password to read it';
    const rows = await bench.waitForRows('Backups', (l) => l.includes(`Supervised: ${locked}`), 'the locked management state', 60_000);
    assert.ok(rows.includes(`MDM enrolled: ${locked}`), rows.join(' | '));
    await page.mouse.move(800, 450);
    await bench.screenshot('backup-health-04-encrypted-locked');

    await bench.contextMenu(bench.pane('Backups').locator('.monaco-list-row', { hasText: /iOS 16\.1 · Encrypted/ }).first(), 'Verify Backup');
    await bench.answerPassword(LOCKED.backupPassword);
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'Backup Health of Locked iPhone' }).waitFor({ timeout: 120_000 });
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /\| Encrypted \| Yes \|/);
    assert.match(text, /\| Result \| \*\*Healthy: no problem found\*\* \|/);
    assert.doesNotMatch(text, new RegExp(LOCKED.backupPassword));
  });
});
