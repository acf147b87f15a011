// `npm run demo:cli`, the terminal tour: starts the simulated devices, then drives the CLI against them the way
// a support engineer would: the two demo devices first, then a kitting bench of five. Nothing touches a real
// device or the real usbmuxd.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('dist/cli.js');
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-demo-'));

/** Starts `iosbr simulate` with the given scenario flags; resolves with the process and its usbmuxd address. */
async function startSimulator(name, flags) {
  const sim = spawn(process.execPath, [cli, 'simulate', '--listen', '127.0.0.1:0', '--state-dir', path.join(stateDir, name), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    sim.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    sim.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  return { sim, address };
}

async function stopSimulator(sim) {
  const exited = new Promise((resolve) => sim.once('exit', resolve));
  sim.kill('SIGTERM');
  await exited;
}

const step = (address, title, args) => {
  console.log(`\n=== ${title}\n$ iosbr ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: address }, stdio: 'inherit' });
  return r.status;
};

const running = [];
try {
  const demo = await startSimulator('demo', []);
  running.push(demo.sim);
  console.log(`Simulated usbmuxd: ${demo.address} (USBMUXD_SOCKET_ADDRESS)`);
  step(demo.address, 'Attached devices', ['devices']);
  step(demo.address, 'The source device', ['info', '00008110-000A1B2C3D4E801E']);
  step(demo.address, 'The replacement device', ['info', '00008120-001C2D3E4F5A602E']);
  step(demo.address, 'Can an unsupervised MDM backup go to a different, supervised device?', ['matrix', '--source', 'unsupervised', '--target', 'different', '--target-supervised', 'yes']);

  // The kitting bench: one source iPhone and four replacements, three of them with a fault each (a passcode
  // prompt, a cable that drops, Find My on), so the summary shows a done, a failed and a refused device.
  const bench = await startSimulator('bench', ['--bench', '5', '--bench-faults']);
  running.push(bench.sim);
  const backups = path.join(stateDir, 'backups');
  console.log(`\nA kitting bench of five simulated iPhones: ${bench.address}`);
  step(bench.address, 'Back up the source iPhone', ['backup', '00008110-0000000000B00001', '--dir', backups]);
  step(bench.address, 'Restore its backup to every other attached iPhone at once (kitting)', ['restore', '--from', path.join(backups, '00008110-0000000000B00001'), '--all']);
} finally {
  for (const sim of running) await stopSimulator(sim);
  // The simulated devices' pairings and the backups are only for this tour: nothing is left behind.
  rmSync(stateDir, { recursive: true, force: true });
}
