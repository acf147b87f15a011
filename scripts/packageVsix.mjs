// Packages the built extension (dist/, media/, l10n/ ...) into build/iosbr-<version>.vsix, the file a user installs
// with "code --install-extension" and the one the E2E tests install. This script is the one place that names that
// path: it prints the path (and nothing else) on stdout so callers need not rebuild it; vsce's own messages go to stderr.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
// Named after the CLI (iosbr) rather than the long package name, so the path a person types stays short. build/ is
// git-ignored and outside what .vscodeignore lets into a package, so a VSIX never packs an older one.
const out = path.join(repo, 'build', `iosbr-${manifest.version}.vsix`);
// vsce does not create the output folder; on a fresh clone it does not exist yet.
mkdirSync(path.dirname(out), { recursive: true });

const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
// --no-dependencies: the bundles in dist/ already hold every runtime module, so node_modules stays out of the VSIX.
const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out];
const result = spawnSync(process.execPath, args, { cwd: repo, stdio: ['ignore', process.stderr, process.stderr] });
if (result.error) throw result.error;
if (result.status !== 0) process.exit(result.status ?? 1);
process.stdout.write(out + '\n');
