import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { PageElement } from './pageElement';

/** Drives the VS Code workbench in the page the way a user does: activity bar, palette, trees. */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  /** Opens the workbench and waits until it is interactive. */
  async open(url: string, workspace: string): Promise<void> {
    await this.page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
    await this.page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    await this.page.locator('.statusbar').waitFor();
  }

  /** Clicks our activity bar entry (its title starts with "iOS" in every language). */
  async openContainer(): Promise<void> {
    const entry = this.page.locator('.activitybar .action-item a[aria-label^="iOS"]');
    await entry.waitFor({ timeout: 60_000 });
    const selected = await entry.locator('xpath=..').getAttribute('class');
    if (!selected?.includes('checked')) await entry.click();
    // Away from the activity bar, so its hover does not cover the view in screenshots.
    await this.page.mouse.move(800, 450);
  }

  /** The view pane whose header has this title. */
  pane(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\W*${title}`, 'i') }) });
  }

  /**
   * Opens or folds a view pane (the Bench view starts folded, so Devices and Backups keep their room). A tree only
   * renders the rows in sight, so a test that looks for a row far down folds the panes above it.
   */
  async setPaneExpanded(title: string, expanded: boolean): Promise<void> {
    const header = this.pane(title).locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  }

  /** The accessible labels (label + description) of a view's rows. */
  async rowLabels(paneTitle: string): Promise<string[]> {
    return this.pane(paneTitle).locator('.monaco-list-row').evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  }

  /** Waits until the rows of a view satisfy a predicate. */
  async waitForRows(paneTitle: string, predicate: (labels: string[]) => boolean, what: string, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      labels = await this.rowLabels(paneTitle);
      if (predicate(labels)) return labels;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`${what}: the ${paneTitle} view shows ${JSON.stringify(labels)}`);
  }

  /**
   * Opens a row's context menu and runs one of its entries. VS Code's menu can drop a click that lands while it
   * is still settling (seen after a window reload), so the entry is hovered first and, should the menu still be
   * open afterwards, chosen with Enter as a keyboard user would.
   */
  async contextMenu(row: Locator, label: string): Promise<void> {
    await row.click({ button: 'right' });
    const item = this.page.locator('.context-view .action-label', { hasText: label }).first();
    await item.waitFor({ timeout: 15_000 });
    await item.hover();
    await this.page.waitForTimeout(300);
    await item.click();
    const menu = this.page.locator('.context-view .monaco-menu');
    const closed = await menu.waitFor({ state: 'detached', timeout: 2_000 }).then(() => true, () => false);
    if (!closed) {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'detached', timeout: 5_000 });
    }
  }

  /** Runs a command from the palette by its full title ("Category: Title"), clicking exactly that entry. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    // Fuzzy matching lists similar commands too ("Show Log" also finds "Show Device Log"), so pick the exact one.
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.getByText(title, { exact: true }) }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  /** Types a path into the simple file dialog code-server shows for Open/Install dialogs, and accepts it. */
  async answerFileDialog(filePath: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await this.page.waitForTimeout(500);
    await input.fill(filePath);
    await this.page.waitForTimeout(300);
    await input.press('Enter');
  }

  /** Types into the open (masked) input box and accepts it. */
  async answerPassword(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(text);
    await input.press('Enter');
    await input.waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  }

  /** Picks an item in an open quick pick by its label. */
  async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  /** Waits for a notification toast containing the text. */
  async waitForNotification(text: string | RegExp, timeoutMs = 60_000): Promise<Locator> {
    const toast = this.page.locator('.notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast;
  }

  /** Saves a screenshot for review. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
