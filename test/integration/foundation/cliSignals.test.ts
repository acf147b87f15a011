import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { CLI } from '../../helpers/simulatorHarness';

/** The CLI's grace period after the first signal, and what the test allows on top of it. */
const GRACE_MS = 3_000;
const SLACK_MS = 2_000;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  afterFirstSignalMs: number;
}

/**
 * Runs `iosbr devices` against a usbmuxd that accepts the connection and never answers (the command does not
 * watch for signals), sends the given signals once it is connected, and reports how the process ended.
 */
async function devicesAgainstSilentUsbmuxd(signals: NodeJS.Signals[]): Promise<Ended> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await new Promise<Ended>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'devices'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, USBMUXD_SOCKET_ADDRESS: `127.0.0.1:${port}` } });
      let stderr = '';
      let firstSignalAt = 0;
      child.stderr.on('data', (d) => (stderr += d));
      server.once('connection', () => {
        firstSignalAt = Date.now();
        signals.forEach((signal, index) => setTimeout(() => child.kill(signal), index * 200));
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`devices did not end; stderr: ${stderr}`));
      }, 30_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr, afterFirstSignalMs: Date.now() - firstSignalAt });
      });
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

describe('CLI signals', function () {
  this.timeout(60_000);

  it('SIGTERM during a command that does not watch for it: exit 1 with one sentence after the grace period', async () => {
    const ended = await devicesAgainstSilentUsbmuxd(['SIGTERM']);
    assert.equal(ended.code, 1, ended.stderr);
    assert.equal(ended.stderr, 'Stopped by SIGTERM before the command finished.\n');
    assert.ok(ended.afterFirstSignalMs >= GRACE_MS - 100 && ended.afterFirstSignalMs < GRACE_MS + SLACK_MS, `ended ${ended.afterFirstSignalMs} ms after SIGTERM`);
  });

  it('a second signal ends the process at once, with one sentence', async () => {
    const ended = await devicesAgainstSilentUsbmuxd(['SIGINT', 'SIGINT']);
    assert.equal(ended.code, 1, ended.stderr);
    assert.equal(ended.signal, null);
    assert.equal(ended.stderr, 'Stopped by SIGINT before the command finished.\n');
    assert.ok(ended.afterFirstSignalMs < GRACE_MS, `ended ${ended.afterFirstSignalMs} ms after the first SIGINT`);
  });
});
