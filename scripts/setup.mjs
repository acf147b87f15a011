// Installs what the tests need on a fresh Debian/Ubuntu machine: the system packages listed in
// scripts/system-packages.txt (libimobiledevice's tools, used to cross-check the simulator;
// libplist's plistutil, used to cross-check our plist codec) and the npm packages from the lockfile.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const packages = readFileSync(new URL('./system-packages.txt', import.meta.url), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const run = (cmd) => {
  console.log(`$ ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
};
const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
if (process.platform === 'linux') {
  run(`${sudo}apt-get update`);
  run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`);
} else {
  console.log(`Not on Linux: install ${packages.join(', ')} yourself (Homebrew: libimobiledevice, which brings plistutil) for the cross-check tests; they are skipped without them.`);
}
run('npm ci');
