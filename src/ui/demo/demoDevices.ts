import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { Simulator } from '../../simulator/simulator';
import { formatUsbmuxdAddress } from '../../usbmux/socketAddress';
import type { UsbmuxEndpoint } from '../devices/usbmuxEndpoint';

/** Context key true while the demo devices run (menus and welcome views read it). */
export const DEMO_RUNNING_CONTEXT = 'iosbr.demoRunning';

/**
 * The demo devices: the product's simulator run inside the extension host on a free loopback port,
 * with the extension's own usbmux client pointed at it. A newcomer sees working devices without
 * hardware, and every command behaves as it would against a real usbmuxd.
 */
export class DemoDevices implements vscode.Disposable {
  private simulator: Simulator | undefined;
  private starting: Promise<Simulator> | undefined;

  constructor(
    private readonly endpoint: UsbmuxEndpoint,
    /** Pair records and device state live here, so demo pairings survive a reload. */
    private readonly stateDir: string,
    private readonly logger: Logger,
  ) {}

  /** True while the demo devices run. */
  get running(): boolean {
    return this.simulator !== undefined;
  }

  /** Starts the demo devices (once) and switches the extension to them. */
  async start(): Promise<void> {
    if (this.simulator) return;
    this.starting ??= this.startSimulator();
    try {
      this.simulator = await this.starting;
    } finally {
      this.starting = undefined;
    }
    this.logger.info('demo devices started', { usbmuxd: formatUsbmuxdAddress(this.simulator.address), devices: this.simulator.attached().length });
    this.endpoint.useDemo(this.simulator.address);
    await vscode.commands.executeCommand('setContext', DEMO_RUNNING_CONTEXT, true);
  }

  /** The simulator is a large part of the product (every device-side protocol): it loads when first started, not at activation. */
  private async startSimulator(): Promise<Simulator> {
    const [{ Simulator }, { demoScenario }] = await Promise.all([import('../../simulator/simulator'), import('../../simulator/scenario')]);
    return Simulator.start({
      // Port 0: the OS picks a free port, so two VS Code windows never collide.
      listen: { kind: 'tcp', host: '127.0.0.1', port: 0 },
      scenario: demoScenario(),
      stateDir: path.join(this.stateDir, 'simulator'),
      logger: this.logger.child('simulator'),
    });
  }

  /** Stops the demo devices and returns to the configured usbmuxd. */
  async stop(): Promise<void> {
    const simulator = this.simulator;
    if (!simulator) return;
    this.simulator = undefined;
    this.endpoint.leaveDemo();
    await simulator.stop();
    this.logger.info('demo devices stopped');
    await vscode.commands.executeCommand('setContext', DEMO_RUNNING_CONTEXT, false);
  }

  dispose(): void {
    void this.simulator?.stop();
    this.simulator = undefined;
  }
}
