// `npm run demo`: the extension itself, in VS Code in the browser. Builds and packages the extension, installs it into
// a fresh temporary code-server profile whose settings start the two in-process demo devices, serves that VS Code on
// 127.0.0.1 and prints the address to open; the Getting Started walkthrough opens on the first visit. Ctrl-C stops
// code-server and removes the profile. `npm run demo:cli` (scripts/demoCli.mjs) is the terminal tour instead.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerEntry, installExtension, launchCodeServer, writeUserSettings } from './codeServer.cjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Easy to remember and rarely taken by development servers (3000, 5173, 8080…). */
const DEFAULT_PORT = 8421;
/** How long stopping may take in all before the demo exits anyway (code-server is SIGKILLed after 5 s). */
const STOP_LIMIT_MS = 10_000;
/** How many of code-server's last lines a failure shows. */
const LAST_LINES = 20;

/** The child process of the step under way (build, packaging, code-server install), stopped with the demo. */
let currentStep;
/** The temporary profile: user data, extensions, workspace and backup folder. */
let profile;
/** code-server once launched. */
let server;
let stopping = false;

/** Ends the demo with one sentence. */
function fail(sentence, code = 1) {
  console.error(sentence);
  removeProfile();
  process.exit(code);
}

function removeProfile() {
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
}

function lastLines(text) {
  return text.trimEnd().split('\n').slice(-LAST_LINES).join('\n');
}

function parsePort(args) {
  let port = DEFAULT_PORT;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split('=', 2);
    if (name !== '--port') fail(`Unknown option ${args[i]}; the demo takes only --port N (npm run demo -- --port 8422).`, 2);
    const value = inline ?? args[++i];
    if (!/^\d+$/.test(value ?? '') || Number(value) > 65535) fail(`--port needs a port number from 0 to 65535 (0: any free port), not ${value ?? 'nothing'}.`, 2);
    port = Number(value);
  }
  return port;
}

/** Whether something on this machine already listens on the loopback port (or it cannot be used at all). */
function portTaken(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

async function nextFreePort(port) {
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535); candidate++) {
    if (!(await portTaken(candidate).catch(() => true))) return candidate;
  }
  return 0;
}

async function portInUseSentence(port) {
  return `Port ${port} on 127.0.0.1 is already in use; start the demo on another port with: npm run demo -- --port ${await nextFreePort(port)}`;
}

/** Runs a step's command from the repository; resolves with its stdout when captured, rejects on a non-zero exit. */
function runStep(args, { captureStdout = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', captureStdout ? 'pipe' : 'inherit'] });
    currentStep = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      currentStep = undefined;
      // Ctrl-C reaches the step too (the terminal signals the whole foreground group), maybe before the demo sees it:
      // that is the demo being stopped, not a failed step, so this step's promise is left to the exit.
      if (signal === 'SIGINT' || signal === 'SIGTERM' || stopping) return void stop(signal ?? 'SIGINT');
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.relative(repo, args[0])} ended with ${code ?? signal}${stderr ? `:\n${lastLines(stderr)}` : ''}`));
    });
  });
}

/** Stops code-server (or the step under way), removes the profile and exits 0; it never returns to its caller. */
async function stop(signal) {
  // A second Ctrl-C, or a step interrupted by the first, waits for the stop already under way.
  if (stopping) return new Promise(() => undefined);
  stopping = true;
  console.log(`\n${signal}: stopping the demo…`);
  // A bound on stopping as a whole, whatever a step or code-server's helpers still do.
  setTimeout(() => {
    removeProfile();
    process.exit(0);
  }, STOP_LIMIT_MS);
  currentStep?.kill('SIGTERM');
  await server?.stop();
  removeProfile();
  console.log('Stopped; the temporary profile is removed.');
  process.exit(0);
}

process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const port = parsePort(process.argv.slice(2));
// Before the slow steps, so a taken port costs seconds, not a build.
if (port !== 0) {
  const taken = await portTaken(port).catch((error) => fail(`Port ${port} on 127.0.0.1 cannot be used (${error.code ?? error.message}); start the demo on another port with: npm run demo -- --port ${DEFAULT_PORT}`));
  if (taken) fail(await portInUseSentence(port));
}

console.log('Building the extension…');
await runStep([path.join(repo, 'scripts', 'build.mjs')]).catch(() => fail('The build failed (its messages are above); fix that, then run npm run demo again.'));
const vsix = (await runStep([path.join(repo, 'scripts', 'packageVsix.mjs')], { captureStdout: true }).catch((error) => fail(`Packaging the extension failed: ${error.message}`))).trim();
console.log(`Packaged ${path.relative(repo, vsix)}`);

await runStep([path.join(repo, 'test', 'e2e', 'installCodeServer.mjs')]).catch(() =>
  fail('code-server could not be installed (see the messages above); it builds native modules with a C++ compiler and needs the system packages that "npm run setup" installs (listed in scripts/system-packages.txt): run npm run setup, then npm run demo again.'),
);

profile = mkdtempSync(path.join(os.tmpdir(), 'iosbr-demo-'));
const userDataDir = path.join(profile, 'user-data');
const extensionsDir = path.join(profile, 'extensions');
const workspace = path.join(profile, 'workspace');
const backupFolder = path.join(profile, 'backups');
mkdirSync(workspace, { recursive: true });
mkdirSync(backupFolder, { recursive: true });
const entry = codeServerEntry(repo);
console.log('Installing it into a fresh code-server profile…');
await installExtension(entry, extensionsDir, vsix, userDataDir).catch((error) => {
  const signal = error.cause?.signal;
  return signal || stopping ? stop(signal ?? 'SIGINT') : fail(error.message);
});
writeUserSettings(userDataDir, {
  'iosbr.demoDevices.startAutomatically': true,
  // Backups made in the demo stay in the temporary profile, away from the computer's real backup folder.
  'iosbr.backupFolder': backupFolder,
  // Only the walkthrough opens: no Welcome page, no tips, no telemetry, no update checks. The walkthrough's own
  // setting (workbench.welcomePage.walkthroughs.openOnInstall) keeps its default, true.
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
});

if (!stopping) {
  console.log('Starting code-server…');
  server = launchCodeServer({ entry, userDataDir, extensionsDir, workspace, port });
  const url = await server.url.catch(async (error) => {
    if (stopping) return undefined;
    // Taken between the check and now.
    if (/EADDRINUSE/.test(error.message)) fail(await portInUseSentence(port));
    fail(`code-server did not start; its last lines:\n${lastLines(server.output())}`);
  });
  if (url && !stopping) {
    void server.exited.then((code) => {
      if (!stopping) fail(`code-server stopped unexpectedly (exit ${code}); its last lines:\n${lastLines(server.output())}`);
    });
    console.log(
      [
        '',
        'iOS Backup & Restore Support is running in VS Code (code-server). Open this address in a browser:',
        '',
        `    ${url}`,
        '',
        'Inside: the extension with its two demo devices, Support iPhone and Replacement iPhone (simulated, in the',
        'extension itself; nothing touches a real device), and its Getting Started walkthrough.',
        'Backups made in the demo go to a temporary folder that is removed when the demo stops.',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
}
