import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO, SCREENSHOTS } from './support/e2eSetup';
import { Workbench } from './support/workbench';

/** The README's first command as a newcomer types it (after npm ci), on any free port so it never collides. */
const DEMO_COMMAND = ['run', 'demo', '--', '--port'];

/** `npm run demo` running from the repository root in its own process group, as a terminal runs it. */
class DemoRun {
  readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(port: number) {
    this.child = spawn('npm', [...DEMO_COMMAND, String(port)], { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d) => (this.output += d));
    this.child.stderr?.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  text(): string {
    return this.output;
  }

  /** Waits until the output matches; fails with the output when the demo ends first or the limit passes. */
  async waitForOutput(pattern: RegExp, what: string, limitMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + limitMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (Date.now() < deadline) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (ended) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`npm run demo printed no ${what}:\n${this.output}`);
  }

  /** Signals the whole process group, as Ctrl-C in a terminal does. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined) process.kill(-this.child.pid, signal);
  }

  /** Waits for the exit within a limit, so a demo that does not stop fails the test instead of hanging it. */
  async exitCode(limitMs: number): Promise<number | null | 'still running'> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), limitMs)));
    const code = await Promise.race([this.exited, limit]);
    clearTimeout(timer);
    return code;
  }

  /** Leaves nothing behind after a failed test: Ctrl-C first, so the demo removes its profile, then SIGKILL. */
  async end(): Promise<void> {
    const send = (signal: NodeJS.Signals): void => {
      try {
        this.signal(signal);
      } catch {
        // Already gone.
      }
    };
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    send('SIGINT');
    if ((await this.exitCode(15_000)) === 'still running') send('SIGKILL');
  }
}

/** Whether a process on this machine listens on the loopback port. */
async function portTaken(port: number): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/** The English texts of the walkthrough's title and first step, as package.json names them through package.nls.json. */
function walkthroughTexts(): { title: string; firstStep: string } {
  type Walkthrough = { id: string; title: string; steps: { title: string }[] };
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { walkthroughs?: Walkthrough[] } };
  const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === 'gettingStarted');
  assert.ok(walkthrough && walkthrough.steps.length > 0, 'package.json contributes no walkthrough "gettingStarted" with steps');
  const texts = JSON.parse(readFileSync(path.join(REPO, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (key: string): string => {
    const value = texts[key.replace(/^%|%$/g, '')];
    assert.ok(value, `package.nls.json has no text for ${key}`);
    return value;
  };
  return { title: text(walkthrough.title), firstStep: text(walkthrough.steps[0].title) };
}

describe('npm run demo: the extension in VS Code with the demo devices and the walkthrough', function () {
  // A build, the packaging and code-server's start come first.
  this.timeout(300_000);
  let browser: Browser | undefined;
  let demo: DemoRun | undefined;
  let profile: string | undefined;

  after(async () => {
    await browser?.close();
    await demo?.end();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('says at once that a taken port is taken, with the command to use another, and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      demo = new DemoRun(port);
      const code = await demo.exitCode(60_000);
      assert.equal(code, 1, demo.text());
      assert.match(demo.text(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use; start the demo on another port with: npm run demo -- --port \\d+`));
      // Checked before the slow steps: nothing was built.
      assert.doesNotMatch(demo.text(), /Building the extension/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('prints the address of VS Code with the extension, its two demo devices and the walkthrough open; Ctrl-C stops it and leaves nothing behind', async () => {
    demo = new DemoRun(0);
    const [, url, port] = await demo.waitForOutput(/^\s+(http:\/\/127\.0\.0\.1:(\d+)\/)\s*$/m, 'address to open', 280_000);
    assert.match(demo.text(), /Support iPhone and Replacement iPhone/);
    assert.match(demo.text(), /Ctrl-C/);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const bench = new Workbench(page, SCREENSHOTS);
    // Exactly the printed address; code-server sends it on to the demo's workspace folder inside the temporary profile.
    await page.goto(url);
    await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    const workspace = new URL(page.url()).searchParams.get('folder');
    assert.ok(workspace, `code-server opened no folder: ${page.url()}`);
    profile = path.dirname(workspace);
    assert.ok(existsSync(profile), profile);

    await page.locator('.activitybar .action-item a[aria-label^="iOS Backup"]').waitFor({ timeout: 60_000 });
    // On the first run the extension itself shows its Devices view and the walkthrough: nothing is clicked here.
    const labels = await bench.waitForRows('Devices', (l) => l.some((x) => x.startsWith('Support iPhone')) && l.some((x) => x.startsWith('Replacement iPhone')), 'the two demo devices', 90_000);
    assert.ok(labels.some((l) => l.includes('iPhone 13 · iOS 16.1')), labels.join(' | '));
    assert.ok(labels.some((l) => l.includes('iPhone 15 · iOS 17.2')), labels.join(' | '));
    // The walkthrough itself, not the Welcome page's list of walkthroughs: its title and its steps.
    const walkthrough = page.locator('.gettingStartedContainer');
    const { title, firstStep } = walkthroughTexts();
    await walkthrough.getByText(title, { exact: true }).first().waitFor({ timeout: 60_000 });
    await walkthrough.getByText(firstStep, { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.mouse.move(800, 450);
    await page.waitForTimeout(500);
    await bench.screenshot('demo');
    await page.close();

    demo.signal('SIGINT');
    assert.equal(await demo.exitCode(30_000), 0, demo.text());
    assert.match(demo.text(), /Stopped; the temporary profile is removed\./);
    assert.equal(existsSync(profile), false, `${profile} is still there`);
    assert.equal(await portTaken(Number(port)), false, `port ${port} is still in use`);
  });
});
