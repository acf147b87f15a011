import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** code-server's entry script as test/e2e/installCodeServer.mjs installs it. */
export function codeServerEntry(repoRoot: string): string {
  return path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Installs a .vsix into an extensions folder with code-server's own CLI (as a user would). */
export async function installExtension(entry: string, extensionsDir: string, vsix: string, userDataDir?: string): Promise<void> {
  // Without a user data folder code-server's CLI writes into ~/.local/share/code-server.
  const args = [entry, ...(userDataDir ? ['--user-data-dir', userDataDir] : []), '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
  if (!/successfully installed/i.test(stdout)) throw new Error(`code-server did not install ${vsix}: ${stdout}`);
}

/**
 * Writes the settings code-server reads (and watches) in its user data folder: the User settings, and the
 * same as the server machine's settings. The browser window is a remote window of code-server, so settings
 * of machine scope (such as iosbr.usbmuxdAddress: where usbmuxd is, seen from the extension host) belong in
 * the Machine file; from the User file they reach a reloaded window's extension host only late.
 */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  for (const folder of ['User', 'Machine']) {
    mkdirSync(path.join(userDataDir, folder), { recursive: true });
    writeFileSync(path.join(userDataDir, folder, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

/** A running code-server. */
export interface RunningCodeServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts code-server on a free loopback port without authentication, and waits until it serves. */
export async function startCodeServer(options: {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  locale?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningCodeServer> {
  const config = path.join(options.userDataDir, 'code-server.yaml');
  mkdirSync(options.userDataDir, { recursive: true });
  // An own config file keeps code-server from writing ~/.config/code-server/config.yaml.
  writeFileSync(config, 'auth: none\n');
  const args = [
    options.entry,
    '--config', config,
    '--bind-addr', '127.0.0.1:0',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.locale ? ['--locale', options.locale] : []),
    options.workspace,
  ];
  // Its own process group, so stop() ends code-server together with the helpers it forks.
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in time:\n${output}`)), 60_000);
    const check = (): void => {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
