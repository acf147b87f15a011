// Installs the pinned code-server (test/e2e/codeServer/) into .vscode-test/code-server/ once, for the E2E test.
// Kept out of the project's own npm ci because code-server's install builds native modules, must run
// with --unsafe-perm as root, and fetches ripgrep from GitHub, which this network cannot reach: the
// download cache of @vscode/ripgrep is seeded with Debian's rg (apt-get install ripgrep) instead.
import { execFileSync, execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const pinned = path.join(here, 'codeServer');
const target = path.join(repo, '.vscode-test', 'code-server');
const binary = path.join(target, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** @typedef {{ version?: string, dependencies?: Record<string, string> }} PackageManifest */

/** The package.json fields read here: the pinned code-server version and the installed one. */
const readManifest = (/** @type {string} */ file) => /** @type {PackageManifest} */ (JSON.parse(readFileSync(file, 'utf8')));

const wanted = readManifest(path.join(pinned, 'package.json')).dependencies?.['code-server'];
if (wanted === undefined) throw new Error(`${path.join(pinned, 'package.json')} does not pin code-server in its dependencies.`);

/** The @vscode/ripgrep release code-server 4.100.3 depends on, and the ripgrep build it downloads. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

function installedVersion() {
  try {
    return readManifest(path.join(target, 'node_modules', 'code-server', 'package.json')).version;
  } catch {
    return undefined;
  }
}

function seedRipgrepCache() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cache, `ripgrep-${RIPGREP_RELEASE}-x86_64-unknown-linux-musl.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(path.join(os.tmpdir(), 'iosbr-rg-'));
  const rg = path.join(staging, 'rg');
  if (existsSync('/usr/bin/rg')) copyFileSync('/usr/bin/rg', rg);
  else {
    // Without Debian's ripgrep, code-server still runs; only its text search is unavailable.
    writeFileSync(rg, '#!/bin/sh\necho "ripgrep is not installed (apt-get install ripgrep)" >&2\nexit 2\n');
  }
  chmodSync(rg, 0o755);
  execFileSync('tar', ['czf', archive, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

if (installedVersion() === wanted && existsSync(binary)) {
  console.log(`code-server ${wanted} is installed in ${path.relative(repo, target)}`);
} else {
  console.log(`installing code-server ${wanted} into ${path.relative(repo, target)} (about 2 minutes)…`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(pinned, 'package.json'), path.join(target, 'package.json'));
  copyFileSync(path.join(pinned, 'package-lock.json'), path.join(target, 'package-lock.json'));
  seedRipgrepCache();
  execSync('npm ci --unsafe-perm --no-audit --no-fund', {
    cwd: target,
    stdio: 'inherit',
    // npm_config_yes: node-pty's install runs "npx node-gyp", which must not stop to ask.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  console.log(`code-server ${installedVersion()} installed`);
}
