// Running this extension in code-server (VS Code in the browser): where code-server is, installing a VSIX with its
// own CLI, its settings files, and starting and stopping it. `npm run demo` (scripts/demo.mjs) and the E2E tests
// (test/e2e/support/codeServer.ts) share it, so the demo a newcomer sees starts exactly as the tested one does.
// CommonJS: the ES-module demo script and the compiled CommonJS tests both load it as it is, with no build step in
// between (the demo must run on a fresh clone before anything is compiled).
'use strict';
const { spawn, execFile } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/** How long code-server may take to print that it listens. */
const START_TIMEOUT_MS = 60_000;
/** How long code-server may take to exit after SIGTERM before its process group is killed outright. */
const STOP_GRACE_MS = 5_000;

function codeServerEntry(repoRoot) {
  return path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installExtension(entry, extensionsDir, vsix, userDataDir) {
  // Without a user data folder code-server's CLI writes into ~/.local/share/code-server.
  const args = [entry, ...(userDataDir ? ['--user-data-dir', userDataDir] : []), '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`code-server could not install ${vsix}: ${error.message}\n${stdout}${stderr}`, { cause: error }));
      else if (!/successfully installed/i.test(stdout)) reject(new Error(`code-server did not install ${vsix}: ${stdout}${stderr}`));
      else resolve();
    });
  });
}

// The browser window is a remote window of code-server, so settings of machine scope (such as iosbr.usbmuxdAddress:
// where usbmuxd is, seen from the extension host) belong in the Machine file; from the User file they reach a
// reloaded window's extension host only late. Both files get the same settings.
function writeUserSettings(userDataDir, settings) {
  for (const folder of ['User', 'Machine']) {
    mkdirSync(path.join(userDataDir, folder), { recursive: true });
    writeFileSync(path.join(userDataDir, folder, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

function launchCodeServer(options) {
  const config = path.join(options.userDataDir, 'code-server.yaml');
  mkdirSync(options.userDataDir, { recursive: true });
  // An own config file keeps code-server from writing ~/.config/code-server/config.yaml.
  writeFileSync(config, 'auth: none\n');
  const args = [
    options.entry,
    '--config', config,
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.locale ? ['--locale', options.locale] : []),
    options.workspace,
  ];
  // Its own process group, so stopping ends code-server together with the helpers it forks (extension host, pty host).
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in time:\n${output}`)), START_TIMEOUT_MS);
    child.stdout.on('data', () => {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  // Rejections nobody awaits (an exit after the URL was printed) must not end the process.
  url.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const group = -child.pid;
    const kill = (signal) => {
      try {
        process.kill(group, signal);
      } catch {
        // The group is gone already.
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid, url, exited, output: () => output, stop };
}

async function startCodeServer(options) {
  const launched = launchCodeServer(options);
  try {
    const url = await launched.url;
    return { url, exited: launched.exited, output: launched.output, stop: launched.stop };
  } catch (error) {
    await launched.stop();
    throw error;
  }
}

module.exports = { codeServerEntry, installExtension, writeUserSettings, launchCodeServer, startCodeServer };
