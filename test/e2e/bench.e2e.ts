import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BENCH_DROP_LINK_INDEX, BENCH_FIND_MY_INDEX, BENCH_PASSCODE_INDEX, BENCH_SOURCE_INDEX, benchName, benchScenario, benchSerial } from '../../src/simulator/benchScenario';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension } from './support/e2eSetup';
import { startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess';
import { Workbench } from './support/workbench';

const CLI = path.join(REPO, 'dist', 'cli.js');
/** The source iPhone, the three replacements with faults (passcode, dropped link, Find My) and two plain ones. */
const DEVICES = 6;
const REPLACEMENTS = Array.from({ length: DEVICES - 1 }, (_, i) => i + 2);
/** Every row finished: none queued, checking, waiting or moving data. */
const RUNNING = /(queued|checking|waiting for|backing up|restoring|restarting)/;

/** The records of an RFC 4180 text (every field quoted, as the report writes them): line breaks inside quotes stay in the field. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...fields, field]);
      fields = [];
      field = '';
      i++;
    }
  }
  return records;
}

describe('the Bench view in code-server: a batch restore of one backup to several devices', function () {
  this.timeout(300_000);
  const folders = e2eFolders('bench');
  const { tmp, userDataDir, extensionsDir, workspace } = folders;
  const backupFolder = path.join(tmp, 'backups');
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let simulator: SimulatorProcess | undefined;
  let page: Page;
  let workbench: Workbench;
  let scenario: ReturnType<typeof benchScenario>;

  /** The Bench view's row for a device (its aria label: name, then the state in words). */
  const rowOf = (labels: string[], index: number): string | undefined => labels.find((l) => l.startsWith(`${benchName(index)} `) || l === benchName(index));

  before(async function () {
    const entry = await installThisExtension(folders);
    // The scenario file is the bench scenario (devices 2.. in Setup Assistant), with the passcode typed later than its
    // default so that the batch is still under way when its picture is taken.
    scenario = benchScenario({ devices: DEVICES, faults: true, files: 30, totalBytes: 200_000 });
    const passcodeDevice = scenario.devices[BENCH_PASSCODE_INDEX - 1] as { passcode?: { set: boolean; enteredAfterMs?: number } };
    passcodeDevice.passcode = { set: true, enteredAfterMs: 15_000 };
    simulator = await startSimulatorProcess(CLI, path.join(tmp, 'scenario.json'), path.join(tmp, 'simulator-state'), scenario);
    writeUserSettings(userDataDir, {
      ...QUIET_WORKBENCH_SETTINGS,
      'workbench.colorTheme': 'Default Dark Modern',
      'iosbr.backupFolder': backupFolder,
      'iosbr.usbmuxdAddress': simulator.address,
      'iosbr.bench.jobs': 4,
      // A click selects a device row without opening it (the multi-selection below clicks two rows).
      'workbench.tree.expandMode': 'doubleClick',
    });
    server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1200 }, locale: 'en-US' });
    workbench = new Workbench(page, SCREENSHOTS);
    await workbench.open(server.url, workspace);
    await workbench.openContainer();
    // A wider side bar, so that the rows' states are read whole in the pictures.
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      await page.mouse.move(sideBar.x + sideBar.width + 1, sideBar.y + sideBar.height / 2);
      await page.mouse.down();
      await page.mouse.move(sideBar.x + sideBar.width + 330, sideBar.y + sideBar.height / 2, { steps: 10 });
      await page.mouse.up();
    }
    await workbench.waitForRows('Devices', (l) => [1, ...REPLACEMENTS].every((i) => l.some((x) => x.startsWith(benchName(i)))), 'every bench device', 90_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await workbench.screenshot(`bench-failure-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('backs up devices side by side: Back Up Devices on the Bench…, and Back Up on a multi-selection of the Devices view', async () => {
    // Folded at first, so that Devices and Backups keep their room until a batch starts.
    assert.equal(await workbench.pane('Bench').locator('.pane-header').first().getAttribute('aria-expanded'), 'false');
    await workbench.setPaneExpanded('Bench', true);
    // Empty at first: the welcome content offers both commands.
    await workbench.pane('Bench').locator('.welcome-view-content').getByText('No device is on the bench').waitFor({ timeout: 30_000 });
    await workbench.runCommand('iOS Backup & Restore: Back Up Devices on the Bench…');
    await workbench.pick(benchName(BENCH_SOURCE_INDEX));
    await workbench.pick(benchName(6));
    await page.locator('.quick-input-widget input').press('Enter');
    const labels = await workbench.waitForRows('Bench', (l) => [BENCH_SOURCE_INDEX, 6].every((i) => /done in \d/.test(rowOf(l, i) ?? '')), 'both backups done', 120_000);
    assert.equal(labels.filter((l) => l.startsWith('Bench iPhone')).length, 2);
    await workbench.screenshot('bench-backups');
    await workbench.waitForRows('Backups', (l) => l.some((x) => x.startsWith(benchName(BENCH_SOURCE_INDEX))), 'the new backup', 30_000);

    // Back Up on a multi-selection of the Devices view puts the devices on the bench too, side by side.
    const deviceRow = (index: number) => workbench.pane('Devices').locator('.monaco-list-row', { hasText: benchName(index) }).first();
    await deviceRow(5).click();
    await deviceRow(6).click({ modifiers: ['Control'] });
    await workbench.contextMenu(deviceRow(6), 'Back Up Device');
    const rows = await workbench.waitForRows('Bench', (l) => l.filter((x) => /^Bench iPhone \d+ done in \d/.test(x)).length === 4, 'four backups done', 120_000);
    assert.deepEqual(rows.map((l) => /^Bench iPhone (\d+)/.exec(l)?.[1]).filter(Boolean), ['1', '6', '5', '6']);
    await workbench.runCommand('iOS Backup & Restore: Clear Finished');
    await workbench.pane('Bench').locator('.welcome-view-content').getByText('No device is on the bench').waitFor({ timeout: 30_000 });
  });

  it('restores the source backup to five devices: rows in different states during the batch, the causes after it', async () => {
    // The Bench view gets the side bar's height, so that every row and the lines under the failed ones are drawn.
    for (const title of ['Devices', 'Backups']) {
      const header = workbench.pane(title).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await workbench.runCommand('iOS Backup & Restore: Restore Backup to Several Devices…');
    // Two backups: the source's and device 6's.
    await workbench.pick(benchName(BENCH_SOURCE_INDEX));
    // The backup's own device is not offered.
    const offered = page.locator('.quick-input-list .monaco-list-row');
    await offered.filter({ hasText: benchName(2) }).waitFor({ timeout: 15_000 });
    assert.equal(await offered.filter({ hasText: `${benchName(BENCH_SOURCE_INDEX)}` }).filter({ hasNotText: /Bench iPhone [2-9]/ }).count(), 0);
    for (const index of REPLACEMENTS) await workbench.pick(benchName(index));
    await page.locator('.quick-input-widget input').press('Enter');
    // The restore options, once for all: the defaults.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Restore options for several devices' }).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').press('Enter');
    // One confirmation naming every target with its UDID.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const question = await dialog.innerText();
    for (const index of REPLACEMENTS) assert.match(question, new RegExp(`${benchName(index)} \\(.*UDID 00008110-0000000000B0000${index}\\)`));
    assert.match(question, /will be erased and replaced by the backup of Bench iPhone 1/);
    await dialog.getByRole('button', { name: 'Restore to 5 Devices' }).click();

    // During the batch: the passcode device waits while Find My's is refused and others are at work.
    const during = await workbench.waitForRows(
      'Bench',
      (l) => /waiting for the passcode/.test(rowOf(l, BENCH_PASSCODE_INDEX) ?? '') && /refused by the check "Find My off"/.test(rowOf(l, BENCH_FIND_MY_INDEX) ?? ''),
      'the passcode wait and the refusal',
      120_000,
    );
    await workbench.screenshot('bench-during');
    const states = new Set(REPLACEMENTS.map((i) => (rowOf(during, i) ?? '').replace(/^Bench iPhone \d+,? /, '').replace(/\d+/g, '#')));
    assert.ok(states.size >= 2, `rows in different states: ${JSON.stringify(during)}`);

    const after = await workbench.waitForRows('Bench', (l) => REPLACEMENTS.every((i) => rowOf(l, i) !== undefined && !RUNNING.test(rowOf(l, i) ?? '')), 'every row finished', 240_000);
    await workbench.screenshot('bench-after');
    for (const index of [BENCH_PASSCODE_INDEX, 5, 6]) assert.match(rowOf(after, index) ?? '', /done in \d/, benchName(index));
    assert.match(rowOf(after, BENCH_DROP_LINK_INDEX) ?? '', /failed: /);
    assert.match(rowOf(after, BENCH_FIND_MY_INDEX) ?? '', /refused by the check "Find My off"/);
    // The title sums the batch up.
    assert.match(await workbench.pane('Bench').locator('.pane-header').innerText(), /5 devices: 3 done, 1 failed, 1 refused/);
  });

  it('exports the bench report as Markdown and CSV, with every device and the refused device\'s cause', async () => {
    const markdown = path.join(workspace, 'bench-report.md');
    await workbench.runCommand('iOS Backup & Restore: Export Bench Report…');
    await workbench.answerFileDialog(markdown);
    const saved = await workbench.waitForNotification('Bench report saved to', 30_000);
    await saved.getByRole('button', { name: 'Open' }).click();
    await page.locator('.tab', { hasText: 'bench-report.md' }).first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('bench-report');
    const text = readFileSync(markdown, 'utf8');
    for (const index of REPLACEMENTS) {
      assert.ok(text.includes(benchName(index)), benchName(index));
      assert.ok(text.includes(benchSerial(index)), benchSerial(index));
    }
    assert.match(text.split('\n').find((l) => l.includes(benchName(BENCH_FIND_MY_INDEX))) ?? '', /Find My/i);

    const csv = path.join(workspace, 'bench-report.csv');
    await workbench.runCommand('iOS Backup & Restore: Export Bench Report…');
    await workbench.answerFileDialog(csv);
    await workbench.waitForNotification('bench-report.csv', 30_000);
    const [header, ...records] = csvRecords(readFileSync(csv, 'utf8'));
    assert.deepEqual(header, ['Device', 'Model', 'Serial', 'iOS', 'Operation', 'Result', 'Duration', 'Cause', 'Next steps']);
    assert.deepEqual(
      records.map((r) => r[0]),
      REPLACEMENTS.map((i) => `${benchName(i)} (00008110-0000000000B0000${i})`),
    );
    const refused = records.find((r) => r[0].startsWith(benchName(BENCH_FIND_MY_INDEX)));
    assert.equal(refused?.[5], 'Refused by the checks');
    assert.match(refused?.[7] ?? '', /Find My/);
  });

  it('Retry runs the refused row again: once Find My is off on the device, it is restored', async () => {
    const findMyDevice = scenario.devices[BENCH_FIND_MY_INDEX - 1] as { findMy?: boolean };
    findMyDevice.findMy = false;
    simulator?.writeScenario(scenario);
    const row = workbench.pane('Bench').locator('.monaco-list-row', { hasText: benchName(BENCH_FIND_MY_INDEX) }).first();
    await workbench.contextMenu(row, 'Retry');
    const labels = await workbench.waitForRows('Bench', (l) => /done in \d/.test(rowOf(l, BENCH_FIND_MY_INDEX) ?? ''), 'the retried restore done', 120_000);
    // The other rows stay as they were.
    assert.match(rowOf(labels, BENCH_DROP_LINK_INDEX) ?? '', /failed: /);
    assert.match(await workbench.pane('Bench').locator('.pane-header').innerText(), /5 devices: 4 done, 1 failed/);
    await workbench.screenshot('bench-retried');
  });

  it('"every device attached from now on": a device that attaches in Setup Assistant is restored, one already set up is left alone with a sentence', async () => {
    await workbench.runCommand('iOS Backup & Restore: Restore Backup to Several Devices…');
    await workbench.pick(benchName(BENCH_SOURCE_INDEX));
    await workbench.pick('Every device attached from now on');
    await page.locator('.quick-input-widget input').press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Restore options for several devices' }).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /every device attached from now on that is still in Setup Assistant/);
    await dialog.getByRole('button', { name: 'Restore to Devices Attached from Now On' }).click();
    // Two more devices are plugged in: a replacement still in Setup Assistant, and a phone already set up.
    const more = benchScenario({ devices: 8 }).devices.slice(6) as { setupDone?: boolean }[];
    more[1].setupDone = true;
    simulator?.writeScenario({ devices: [...scenario.devices, ...more] });
    await workbench.waitForNotification('The bench left Bench iPhone 8 alone: it has finished Setup Assistant', 60_000);
    const labels = await workbench.waitForRows('Bench', (l) => /done in \d/.test(rowOf(l, 7) ?? ''), 'the attached device restored', 120_000);
    assert.equal(rowOf(labels, 8), undefined, 'the device already set up has no row');
    await workbench.screenshot('bench-attached');
  });
});
