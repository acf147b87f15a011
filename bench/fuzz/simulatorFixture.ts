import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger, LogFields } from '../../src/common/logger';
import { parseScenario } from '../../src/simulator/scenario';
import { Simulator } from '../../src/simulator/simulator';
import type { VirtualDevice } from '../../src/simulator/virtualDevice';

export const SIMULATED_UDID = '00008110-000A1B2C3D4E801E';

/** Why a server loop ended, as its log line says (the loops catch everything and log the message only). */
export interface EndedLoop {
  message: string;
  reason: string;
}

/**
 * An in-process simulator with one small device, whose log is captured: the device-side loops catch every
 * error and log only its message, so the messages are how a fuzz case sees what ended a loop.
 */
export class SimulatorFixture {
  private constructor(
    readonly simulator: Simulator,
    readonly device: VirtualDevice,
    private readonly stateDir: string,
    /** Every loop end logged so far; a case reads the ones after its start. */
    readonly ended: EndedLoop[],
  ) {}

  /**
   * The simulated person answers at once, restarts are short and keybags cheap: a fuzzed ChangePassword
   * turns encryption on and a Restore may leave a passcode prompt, after which every Backup would derive
   * a keybag with the real 10,000,000 iterations (seconds) or wait at the three-minute prompt. Both are
   * the simulated device's deliberate work, not a decoder's cost.
   */
  static async start(): Promise<SimulatorFixture> {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-fuzz-sim-'));
    const ended: EndedLoop[] = [];
    const scenario = parseScenario({ devices: [{ udid: SIMULATED_UDID, name: 'Fuzz iPhone', productType: 'iPhone14,5', productVersion: '16.1', buildVersion: '20B82', serialNumber: 'F2LFUZZ0A1B2', dataset: { files: 5, totalBytes: 20_000, seed: 1 }, passcode: { set: false, enteredAfterMs: 0, timeoutMs: 50 }, restart: { afterRestoreDelayMs: 0, downMs: 10 }, keybagIterations: { sha256: 10, sha1: 10 } }] });
    const simulator = await Simulator.start({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, scenario, stateDir, logger: capturingLogger(ended) });
    const device = simulator.device(SIMULATED_UDID);
    if (!device) throw new Error('The fuzz scenario has no device.');
    return new SimulatorFixture(simulator, device, stateDir, ended);
  }

  /** A connected loopback socket pair: the host end for the test, the device end handed to `serve`. */
  async socketPair(serve: (deviceEnd: net.Socket) => void): Promise<net.Socket> {
    const server = net.createServer((socket) => {
      server.close();
      serve(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    host.on('error', () => undefined);
    await new Promise<void>((resolve) => host.once('connect', resolve));
    return host;
  }

  async stop(): Promise<void> {
    await this.simulator.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

function capturingLogger(ended: EndedLoop[]): Logger {
  const record = (message: string, fields?: LogFields): void => {
    if (typeof fields?.reason === 'string') ended.push({ message, reason: fields.reason });
  };
  const logger: Logger = { trace: () => undefined, debug: record, info: () => undefined, warn: record, error: record, child: () => logger };
  return logger;
}

/** Sends bytes, half-closes, and waits (bounded) until the device side has closed the connection too. */
export async function sendAndAwaitClose(host: net.Socket, bytes: Buffer, limitMs = 5000): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not close the connection within ${limitMs} ms of the host's end`)), limitMs);
    host.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  host.on('data', () => undefined);
  host.end(bytes);
  try {
    await closed;
  } finally {
    host.destroy();
  }
}
