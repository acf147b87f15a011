import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerEntry, installExtension } from './codeServer';

/** The repository (tests run from out/test/e2e). */
export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
/** Where screenshots for review are saved. */
export const SCREENSHOTS = path.join(REPO, 'test-results', 'e2e');
/** Debian's Chromium unless another is named. */
export const CHROMIUM = process.env.IOSBR_E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Headless, sandbox-free (CI runs as root) and without any network use of its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** User settings that keep the workbench from showing welcome pages, tips and trust prompts over the test. */
export const QUIET_WORKBENCH_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  // The extension opens its Getting Started walkthrough on a first run unless this is off; it would cover other tests.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** code-server's entry script, after checking that it and the built extension are there (npm run test:e2e provides both). */
export function requireE2eInstall(): string {
  const entry = codeServerEntry(REPO);
  if (!existsSync(entry)) throw new Error('code-server is missing: run "node test/e2e/installCodeServer.mjs" (npm run test:e2e does).');
  if (!existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run "npm run build" first.');
  return entry;
}

/**
 * Packages this extension with the same script "npm run package:vsix" runs after building, and returns the path it
 * wrote (build/iosbr-<version>.vsix): the script alone names that path, so the E2E installs exactly the file a user does.
 */
export function packageThisExtension(): string {
  const stdout = execFileSync(process.execPath, [path.join(REPO, 'scripts', 'packageVsix.mjs')], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const vsix = stdout.trim();
  if (!path.isAbsolute(vsix) || !existsSync(vsix)) throw new Error(`scripts/packageVsix.mjs printed no packaged file: ${stdout}`);
  return vsix;
}

/** Packages another extension folder (a test fixture) with vsce into a .vsix. */
export function packageVsix(out: string, folder: string): string {
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: folder, stdio: 'pipe' });
  return out;
}

/** The folders of one E2E run: code-server's user data and extensions, and the workspace it opens. */
export interface E2eFolders {
  tmp: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
}

/** A fresh temporary folder with the run's sub-folders named (the workspace is created when installing). */
export function e2eFolders(name: string): E2eFolders {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `iosbr-e2e-${name}-`));
  return { tmp, userDataDir: path.join(tmp, 'user-data'), extensionsDir: path.join(tmp, 'extensions'), workspace: path.join(tmp, 'workspace') };
}

/** Packages this extension (as package:vsix does) and installs that file into the run's code-server folders; returns code-server's entry script. */
export async function installThisExtension(folders: E2eFolders): Promise<string> {
  const entry = requireE2eInstall();
  mkdirSync(folders.workspace, { recursive: true });
  await installExtension(entry, folders.extensionsDir, packageThisExtension(), folders.userDataDir);
  return entry;
}
