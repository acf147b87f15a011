import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO, SCREENSHOTS, e2eFolders, installThisExtension, type E2eFolders } from './support/e2eSetup';
import { closedPort } from './support/closedPort';
import { codeServerEntry, startCodeServer, writeUserSettings, type RunningCodeServer } from './support/codeServer';
import { installJapaneseLanguagePack } from './support/japaneseLanguagePack';
import { Workbench } from './support/workbench';

/** The walkthrough's full id: the extension's id, then the id in contributes.walkthroughs. */
const WALKTHROUGH = 'iosbr.ios-backup-restore-support#gettingStarted';
/** Its steps in order, as package.json names them. */
const STEP_IDS = ['connectDevice', 'backUpEncrypted', 'checkBackup', 'restoreToAnotherDevice', 'readDeviceLog', 'explainError'];
const OPEN_ON_INSTALL = 'workbench.welcomePage.walkthroughs.openOnInstall';

/** The manifest texts of one language, keyed as in package.nls.json. */
function manifestTexts(lang: 'en' | 'ja'): Record<string, string> {
  return JSON.parse(readFileSync(path.join(REPO, lang === 'en' ? 'package.nls.json' : 'package.nls.ja.json'), 'utf8')) as Record<string, string>;
}

/** The picture package.json gives a step. */
function stepImage(stepId: string): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { id: string; media: { image: string } }[] }[] } };
  const step = manifest.contributes.walkthroughs[0].steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`package.json has no walkthrough step ${stepId}`);
  return step.media.image;
}

/**
 * The quiet settings every E2E test uses, except that VS Code may open walkthroughs by itself (its default). Reduced
 * motion: a selected step otherwise takes the focus back a quarter second later, after its animation, which closes
 * the quick pick its button opened if the button is clicked sooner than a person would.
 */
function settingsWithWalkthroughs(extra: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...QUIET_WORKBENCH_SETTINGS, 'workbench.welcomePage.preferReducedMotion': true, ...extra };
  delete settings[OPEN_ON_INSTALL];
  return settings;
}

/** The walkthrough page as VS Code renders it, with what this test reads from it. */
class WalkthroughPage {
  /** VS Code's getting-started editor showing one walkthrough's steps (rather than its list of walkthroughs). */
  private readonly details: Locator;

  constructor(private readonly page: Page) {
    this.details = page.locator('.gettingStartedContainer .gettingStarted.showDetails');
  }

  private step(stepId: string) {
    return this.details.locator(`button.getting-started-step[data-step-id="${WALKTHROUGH}#${stepId}"]`);
  }

  /** Waits until the walkthrough is the open editor, showing its steps. */
  async waitUntilOpen(timeoutMs: number): Promise<void> {
    await this.step(STEP_IDS[0]).waitFor({ timeout: timeoutMs });
  }

  /** Whether this walkthrough's steps are shown (VS Code's own Welcome page, which lists the walkthroughs, is not it). */
  async isOpen(): Promise<boolean> {
    return (await this.details.locator(`button.getting-started-step[data-step-id^="${WALKTHROUGH}#"]`).count()) > 0;
  }

  async title(): Promise<string> {
    return (await this.page.locator(`.gettingStartedContainer [x-category-title-for="${WALKTHROUGH}"]`).first().innerText()).trim();
  }

  /** The ids of the steps shown (this walkthrough's only), in order. */
  async stepIds(): Promise<string[]> {
    const ids: string[] = [];
    for (const button of await this.page.locator('.gettingStartedContainer button.getting-started-step').all()) ids.push((await button.getAttribute('data-step-id')) ?? '');
    return ids.filter((id) => id.startsWith(`${WALKTHROUGH}#`)).map((id) => id.slice(WALKTHROUGH.length + 1));
  }

  async stepTitle(stepId: string): Promise<string> {
    return (await this.step(stepId).locator('.step-title').innerText()).trim();
  }

  /** Opens a step, so its description and buttons show, and waits until its picture shows. */
  async select(stepId: string): Promise<void> {
    await this.step(stepId).click();
    await this.step(stepId).and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout: 15_000 });
    await this.waitForPicture(stepId);
  }

  /** Waits until the step's picture has loaded from the installed extension (an image missing from the VSIX never does). */
  async waitForPicture(stepId: string): Promise<void> {
    const image = this.page.locator(`.gettingStartedContainer .getting-started-media img[srcset*="${path.basename(stepImage(stepId))}"]`);
    await image.waitFor({ timeout: 15_000 });
    const deadline = Date.now() + 15_000;
    // The page's HTMLImageElement, typed here because the tests compile without the DOM library.
    const loaded = async (): Promise<boolean> =>
      image.evaluate((element) => {
        const img = element as unknown as { complete: boolean; naturalWidth: number };
        return img.complete && img.naturalWidth > 0;
      });
    while (!(await loaded())) {
      if (Date.now() > deadline) throw new Error(`the picture of step ${stepId} did not load`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Clicks a button in the open step's description. */
  async clickButton(label: string): Promise<void> {
    await this.page.locator('.gettingStartedContainer .monaco-button', { hasText: label }).filter({ visible: true }).first().click();
  }

  /** Waits until VS Code shows the step as done: its check mark (the codicon marked "complete", aria-checked). */
  async waitUntilDone(stepId: string, timeoutMs: number): Promise<void> {
    await this.page.locator(`.gettingStartedContainer [data-done-step-id="${WALKTHROUGH}#${stepId}"].complete[aria-checked="true"]`).first().waitFor({ timeout: timeoutMs });
  }

  async isDone(stepId: string): Promise<boolean> {
    return (await this.page.locator(`.gettingStartedContainer [data-done-step-id="${WALKTHROUGH}#${stepId}"].complete`).count()) > 0;
  }
}

/**
 * Waits until the extension is active in an English window whose usbmuxd is not running: the Devices view then shows
 * what to start. Until the extension host has registered the extension, the palette does not list its commands.
 */
async function waitUntilActive(bench: Workbench): Promise<void> {
  await bench.openContainer();
  await bench.pane('Devices').locator('.welcome-view-content').getByText('usbmuxd is not running').waitFor({ timeout: 60_000 });
}

/** Opens the extension's log channel (its command titled in the UI's language) and waits for a line (the output view renders the newest lines in sight). */
async function waitForLogLine(bench: Workbench, page: Page, lang: 'en' | 'ja', line: string): Promise<void> {
  const texts = manifestTexts(lang);
  await bench.runCommand(`${texts.category}: ${texts['command.log.show']}`);
  // A string, not a pattern: Monaco renders spaces as no-break spaces, which Playwright's text matching treats as spaces.
  const output = page.locator('.part.panel .monaco-editor .view-lines');
  await output.filter({ hasText: line }).waitFor({ timeout: 30_000 });
}

describe('the Getting Started walkthrough (code-server in Chromium)', function () {
  this.timeout(300_000);
  let browser: Browser;
  let server: RunningCodeServer | undefined;
  let context: BrowserContext | undefined;
  let bench: Workbench | undefined;
  const runs: E2eFolders[] = [];

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bench) await bench.screenshot(`failed-walkthrough-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    for (const run of runs) rmSync(run.tmp, { recursive: true, force: true });
  });

  /** Starts code-server on the run's profile and opens it in a fresh browser context (fresh browser storage). */
  async function launch(run: E2eFolders, locale?: 'ja'): Promise<Page> {
    await context?.close();
    await server?.stop();
    server = await startCodeServer({ entry: codeServerEntry(REPO), userDataDir: run.userDataDir, extensionsDir: run.extensionsDir, workspace: run.workspace, locale });
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: locale ?? 'en-US' });
    const page = await context.newPage();
    bench = new Workbench(page, SCREENSHOTS);
    await bench.open(server.url, run.workspace);
    return page;
  }

  describe('in English', () => {
    const run = e2eFolders('walkthrough-en');
    runs.push(run);
    const en = manifestTexts('en');
    let page: Page;
    let walkthrough: WalkthroughPage;

    it('opens by itself on the first start, beside the Devices view, with its six steps', async () => {
      await installThisExtension(run);
      writeUserSettings(run.userDataDir, settingsWithWalkthroughs({ 'iosbr.backupFolder': path.join(run.tmp, 'backups'), 'iosbr.usbmuxdAddress': `127.0.0.1:${await closedPort()}` }));
      page = await launch(run);
      walkthrough = new WalkthroughPage(page);
      await walkthrough.waitUntilOpen(90_000);
      assert.equal(await walkthrough.title(), en['walkthrough.title']);
      assert.deepEqual(await walkthrough.stepIds(), STEP_IDS);
      for (const id of STEP_IDS) assert.equal(await walkthrough.stepTitle(id), en[`walkthrough.${id}.title`]);
      await walkthrough.waitForPicture(STEP_IDS[0]);
      // The Devices view is revealed with it, so the devices the first step starts show up in sight.
      await bench!.pane('Devices').waitFor({ timeout: 30_000 });
      await page.mouse.move(1000, 950);
      await bench!.screenshot('walkthrough-en');
    });

    it('the first step\'s button starts the demo devices and the step is ticked', async () => {
      await walkthrough.clickButton('Start Demo Devices');
      await bench!.waitForRows('Devices', (l) => l.some((x) => x.startsWith('Support iPhone')) && l.some((x) => x.startsWith('Replacement iPhone')), 'the demo devices');
      await walkthrough.waitUntilDone('connectDevice', 30_000);
    });

    it('backing up an encrypted demo device from the second step ticks that step', async () => {
      assert.equal(await walkthrough.isDone('backUpEncrypted'), false, 'the backup step is not ticked before a backup');
      await walkthrough.select('backUpEncrypted');
      await walkthrough.clickButton('Turn On Backup Encryption');
      await bench!.pick('Support iPhone');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Turn On Encryption' }).click();
      await bench!.answerPassword('walkthrough-secret');
      await bench!.answerPassword('walkthrough-secret');
      await bench!.waitForNotification('Backups of Support iPhone are now encrypted.', 60_000);
      await walkthrough.clickButton('Back Up Device');
      await bench!.pick('Support iPhone');
      await bench!.waitForNotification(/Backed up Support iPhone: \d+ files/, 120_000);
      await bench!.waitForRows('Backups', (l) => l.some((x) => /iOS 16\.1 · Encrypted/.test(x)), 'the encrypted backup');
      await walkthrough.waitUntilDone('backUpEncrypted', 30_000);
      await bench!.screenshot('walkthrough-en-backup-done');
    });

    it('does not open again on the next start of the same profile', async () => {
      // Editors are restored on a reload, so the walkthrough is closed first: only the extension could open it again.
      await bench!.runCommand('View: Close All Editors');
      await page.locator('.gettingStartedContainer').waitFor({ state: 'detached', timeout: 15_000 });
      assert.equal(await walkthrough.isOpen(), false);
      // A reload restarts the workbench and the extension host with the same profile and the same browser storage,
      // where VS Code keeps the extension's global state for a browser window.
      await page.reload();
      await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
      await waitUntilActive(bench!);
      await waitForLogLine(bench!, page, 'en', 'walkthrough not opened reason=alreadyOffered');
      assert.equal(await walkthrough.isOpen(), false, 'the walkthrough opened again');
    });
  });

  describe('in Japanese', () => {
    const run = e2eFolders('walkthrough-ja');
    runs.push(run);
    const ja = manifestTexts('ja');

    it('stays closed while VS Code\'s "open walkthroughs on install" is off', async () => {
      await installThisExtension(run);
      const base = { 'iosbr.backupFolder': path.join(run.tmp, 'backups'), 'iosbr.usbmuxdAddress': `127.0.0.1:${await closedPort()}` };
      writeUserSettings(run.userDataDir, { ...QUIET_WORKBENCH_SETTINGS, ...base });
      const page = await launch(run);
      await waitUntilActive(bench!);
      await waitForLogLine(bench!, page, 'en', 'walkthrough not opened reason=turnedOffBySetting');
      assert.equal(await new WalkthroughPage(page).isOpen(), false);

      await installJapaneseLanguagePack(bench!, run.tmp, run.userDataDir);
      writeUserSettings(run.userDataDir, settingsWithWalkthroughs(base));
    });

    it('opens by itself in Japanese on the first start with the setting left on', async () => {
      const page = await launch(run, 'ja');
      const walkthrough = new WalkthroughPage(page);
      await walkthrough.waitUntilOpen(90_000);
      assert.equal(await walkthrough.title(), ja['walkthrough.title']);
      assert.deepEqual(await walkthrough.stepIds(), STEP_IDS);
      for (const id of STEP_IDS) assert.equal(await walkthrough.stepTitle(id), ja[`walkthrough.${id}.title`]);
      // The first step's buttons, in Japanese.
      await page.locator('.gettingStartedContainer .monaco-button', { hasText: 'デモ端末を起動' }).filter({ visible: true }).first().waitFor();
      await bench!.pane('端末').waitFor({ timeout: 30_000 });
      await page.mouse.move(1000, 950);
      await bench!.screenshot('walkthrough-ja');
    });
  });
});
