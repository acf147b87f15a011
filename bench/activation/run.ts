/**
 * Benchmark (not a test): how long the extension takes to start in a real VS Code (code-server in Chromium), and
 * how long the Devices view then takes to show the demo devices. Each round starts code-server with a fresh profile
 * (so the extension host, its module cache and the extension's storage are all new), opens the workbench, opens the
 * extension's view container, and waits until the Devices view lists both demo devices by name. The figures are the
 * extension host's own, read from the extension's log lines (src/ui/extensionLog/activationTiming.ts):
 *
 *   hostLoadMs    VS Code loading dist/extension.js: read, compile, run its top level (VS Code's own marks)
 *   loadMs        the bundle's top level alone: its first line to its last
 *   activateMs    activate() itself
 *   sinceShownMs  the Devices view is first shown → it lists every demo device read (name, model, iOS)
 *
 * and, seen from the browser, the click on the activity bar entry → both demo devices listed: what a person waits
 * for, whether the extension activated at startup (onStartupFinished) or because the view was opened.
 *
 * Goal: hostLoadMs + activateMs ≤ 100 ms. BENCH_REPO names the checkouts to measure (their dist/ built, e.g. a git
 * worktree of an older commit), separated by ':'; with several, the rounds alternate between them. BENCH_ROUNDS sets
 * the rounds per checkout (default 7).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { codeServerEntry, installExtension, startCodeServer, writeUserSettings } from '../../test/e2e/support/codeServer';
import { CHROMIUM, CHROMIUM_ARGS, QUIET_WORKBENCH_SETTINGS, REPO } from '../../test/e2e/support/e2eSetup';
import { Workbench } from '../../test/e2e/support/workbench';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** The checkouts to measure: BENCH_REPO, a list separated by the platform's path delimiter (':'), default this one. */
const MEASURED = (process.env.BENCH_REPO ?? REPO).split(path.delimiter).filter(Boolean).map((repo) => path.resolve(repo));
const EXTENSION_ID = 'iosbr.ios-backup-restore-support';
const LOG_CHANNEL_FILE = 'iOS Backup & Restore.log';

/** What to stop when the run is interrupted (Ctrl-C): code-server runs in a process group of its own and would outlive us. */
const running = new Set<() => Promise<void>>();
/** The run's temporary folder (profiles, extensions), removed at the end unless BENCH_KEEP is set. */
let runFolder: string | undefined;
process.once('SIGINT', () => {
  void Promise.allSettled([...running].map((stop) => stop())).then(() => {
    if (runFolder && !process.env.BENCH_KEEP) rmSync(runFolder, { recursive: true, force: true });
    process.exit(130);
  });
});

/** The figures of one round, as the extension logged them (a figure the measured build does not log is missing). */
interface Round {
  hostLoadMs?: number;
  loadMs?: number;
  activateMs?: number;
  sinceShownMs?: number;
  populatedMs?: number;
  /** Seen from the browser: the click on the activity bar entry → both demo devices listed with their facts. */
  clickToListedMs?: number;
}

/** The activity bar entry of our view container (its title starts with "iOS" in every language). */
const OUR_ACTIVITY_BAR_ENTRY = '.activitybar .action-item a[aria-label^="iOS"]';

/** True (evaluated in the page, every frame) once the Devices view lists both demo devices with their facts read. */
const DEMO_DEVICES_LISTED = `(() => {
  const rows = Array.from(document.querySelectorAll('.pane .monaco-list-row'), (row) => row.getAttribute('aria-label') || '');
  return rows.some((l) => l.startsWith('Support iPhone')) && rows.some((l) => l.startsWith('Replacement iPhone')) && !rows.some((l) => l.includes('Reading'));
})()`;

/** Packages the measured checkout with its own package script (as a user would get it) and returns the VSIX. */
function packageMeasured(repo: string): string {
  if (!existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error(`${repo}/dist/extension.js is missing: run "npm run build" there first.`);
  const stdout = execFileSync(process.execPath, [path.join(repo, 'scripts', 'packageVsix.mjs')], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const vsix = stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(vsix)) throw new Error(`the package script printed no file: ${stdout}`);
  return vsix;
}

/** Every file under a folder (the profile's logs folder is a few levels deep and named by date). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The extension's log channel file in a profile (VS Code writes a log output channel to a file of its own). */
function extensionLog(userDataDir: string): string {
  const file = filesUnder(path.join(userDataDir, 'logs')).find((f) => path.basename(f) === LOG_CHANNEL_FILE);
  return file ? readFileSync(file, 'utf8') : '';
}

/** A number field of a logfmt-style line ("name=value"). */
function field(line: string | undefined, name: string): number | undefined {
  const match = line ? new RegExp(`\\b${name}=([\\d.]+)`).exec(line) : null;
  return match ? Number(match[1]) : undefined;
}

function parseRound(log: string): Round {
  const lines = log.split('\n');
  const activated = lines.find((l) => /\bactivated\b.*\bversion=/.test(l));
  const populated = lines.find((l) => /devices view populated/.test(l));
  return {
    hostLoadMs: field(activated, 'hostLoadMs'),
    loadMs: field(activated, 'loadMs'),
    activateMs: field(activated, 'activateMs'),
    sinceShownMs: field(populated, 'sinceShownMs'),
    populatedMs: field(populated, 'ms'),
  };
}

async function runRound(browser: Browser, entry: string, extensionsDir: string, tmp: string, round: string): Promise<Round> {
  const userDataDir = path.join(tmp, `profile-${round}`);
  const workspace = path.join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeUserSettings(userDataDir, {
    ...QUIET_WORKBENCH_SETTINGS,
    'iosbr.demoDevices.startAutomatically': true,
    'iosbr.backupFolder': path.join(tmp, 'backups'),
  });
  const server = await startCodeServer({ entry, userDataDir, extensionsDir, workspace });
  const stopServer = (): Promise<void> => server.stop();
  running.add(stopServer);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const bench = new Workbench(page, path.join(tmp, 'screenshots'));
    await bench.open(server.url, workspace);
    await page.locator(OUR_ACTIVITY_BAR_ENTRY).waitFor({ timeout: 60_000 });
    const clickedAt = Date.now();
    await bench.openContainer();
    await page.waitForFunction(DEMO_DEVICES_LISTED, undefined, { polling: 'raf', timeout: 90_000 });
    const clickToListedMs = Date.now() - clickedAt;
    // The log channel's file is written shortly after the line; wait for both lines rather than a fixed time.
    for (let i = 0; i < 40; i++) {
      const figures = parseRound(extensionLog(userDataDir));
      if (figures.activateMs !== undefined && figures.sinceShownMs !== undefined) return { ...figures, clickToListedMs };
      await page.waitForTimeout(250);
    }
    return { ...parseRound(extensionLog(userDataDir)), clickToListedMs };
  } finally {
    await page.close();
    await stopServer();
    running.delete(stopServer);
  }
}

function median(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return undefined;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}

function show(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)} ms`;
}

/** One checkout under measurement: its packaged extension installed into an extensions folder of its own. */
interface Target {
  repo: string;
  extensionsDir: string;
  rounds: Round[];
}

function report(target: Target): void {
  const { rounds } = target;
  const loadPlusActivate = rounds.flatMap((r) => (r.hostLoadMs !== undefined && r.activateMs !== undefined ? [r.hostLoadMs + r.activateMs] : []));
  console.log(`\nmeasured: ${target.repo} (${EXTENSION_ID})`);
  console.log(`dist/extension.js: ${statSync(path.join(target.repo, 'dist', 'extension.js')).size.toLocaleString('en-US')} bytes`);
  console.log(`medians of ${rounds.length} rounds:`);
  console.log(`  loading the file (read, compile, run):    ${show(median(rounds.map((r) => r.hostLoadMs)))}`);
  console.log(`  of which its top level ran:               ${show(median(rounds.map((r) => r.loadMs)))}`);
  console.log(`  activate():                               ${show(median(rounds.map((r) => r.activateMs)))}`);
  console.log(`  load + activate:                          ${show(median(loadPlusActivate))} (goal ≤ 100 ms)`);
  console.log(`  Devices view shown → demo devices listed: ${show(median(rounds.map((r) => r.sinceShownMs)))} (extension host)`);
  console.log(`  click on the activity bar → listed:       ${show(median(rounds.map((r) => r.clickToListedMs)))} (browser)`);
}

async function main(): Promise<void> {
  const entry = codeServerEntry(REPO);
  if (!existsSync(entry)) throw new Error('code-server is missing: run "node test/e2e/installCodeServer.mjs".');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iosbr-bench-activation-'));
  runFolder = tmp;
  const targets: Target[] = [];
  for (const [i, repo] of MEASURED.entries()) {
    const extensionsDir = path.join(tmp, `extensions-${i}`);
    await installExtension(entry, extensionsDir, packageMeasured(repo), path.join(tmp, `install-profile-${i}`));
    targets.push({ repo, extensionsDir, rounds: [] });
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  running.add(() => browser.close());
  try {
    // Round by round across the checkouts, so a machine that gets busier or quieter affects each alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const [t, target] of targets.entries()) {
        const round = await runRound(browser, entry, target.extensionsDir, tmp, `${t}-${i}`);
        target.rounds.push(round);
        console.log(`${path.basename(target.repo)} round ${i + 1}/${ROUNDS}: hostLoad ${show(round.hostLoadMs)}, load ${show(round.loadMs)}, activate ${show(round.activateMs)}, shown → populated ${show(round.sinceShownMs)}, click → listed ${show(round.clickToListedMs)}`);
      }
    }
  } finally {
    await browser.close();
    if (!process.env.BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
  }
  for (const target of targets) report(target);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
