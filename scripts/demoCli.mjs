// `npm run demo:cli`, the terminal tour: starts the simulated devices, then drives the CLI against them the way
// a support engineer would. Nothing touches a real device or the real usbmuxd.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('dist/cli.js');
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-demo-'));
const sim = spawn(process.execPath, [cli, 'simulate', '--listen', '127.0.0.1:0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const address = await new Promise((resolve, reject) => {
  let out = '';
  sim.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  sim.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
});
const env = { ...process.env, USBMUXD_SOCKET_ADDRESS: address };
const step = (title, args) => {
  console.log(`\n=== ${title}\n$ iosbr ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { env, stdio: 'inherit' });
  return r.status;
};
try {
  console.log(`Simulated usbmuxd: ${address} (USBMUXD_SOCKET_ADDRESS)`);
  step('Attached devices', ['devices']);
  step('The source device', ['info', '00008110-000A1B2C3D4E801E']);
  step('The replacement device', ['info', '00008120-001C2D3E4F5A602E']);
  step('Can an unsupervised MDM backup go to a different, supervised device?', ['matrix', '--source', 'unsupervised', '--target', 'different', '--target-supervised', 'yes']);
} finally {
  // The simulated devices' pairings are only for this tour: nothing is left behind in the temp folder.
  const exited = new Promise((resolve) => sim.once('exit', resolve));
  sim.kill('SIGTERM');
  await exited;
  rmSync(stateDir, { recursive: true, force: true });
}
