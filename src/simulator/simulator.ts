import { watchFile, unwatchFile } from 'node:fs';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { UsbmuxdAddress } from '../usbmux/socketAddress';
import { serveLockdown } from './lockdownServer';
import { loadScenarioFile, type Scenario, type SimulatedDeviceSpec } from './scenario';
import { SimulatorState } from './simulatorState';
import { VirtualDevice } from './virtualDevice';
import { VirtualUsbmuxd, type DeviceRegistry } from './virtualUsbmuxd';

/** How to start the simulator. */
export interface SimulatorOptions {
  listen: UsbmuxdAddress;
  scenario: Scenario;
  /** When given, edits to this file attach, detach and update devices while the simulator runs. */
  scenarioFile?: string;
  stateDir: string;
  logger?: Logger;
}

/**
 * The simulated devices behind a virtual usbmuxd. Devices attach and detach at run time through
 * the scenario file (its `attached` flags and device list) or the SimulatorControl message.
 */
export class Simulator implements DeviceRegistry {
  private readonly devices = new Map<string, VirtualDevice>();
  private readonly attachedIds = new Set<number>();
  private nextDeviceId = 1;
  private readonly usbmuxd: VirtualUsbmuxd;
  private readonly state: SimulatorState;
  private readonly logger: Logger;
  private boundAddress: UsbmuxdAddress | undefined;
  /** Devices away for a restart, until their timer attaches them again. */
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  private constructor(private readonly options: SimulatorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.state = new SimulatorState(options.stateDir);
    this.usbmuxd = new VirtualUsbmuxd(this, this.state, this.logger);
  }

  /** Starts the simulator and returns it once it accepts connections. */
  static async start(options: SimulatorOptions): Promise<Simulator> {
    const sim = new Simulator(options);
    sim.applyScenario(options.scenario);
    sim.boundAddress = await sim.usbmuxd.listen(options.listen);
    if (options.scenarioFile) sim.watchScenario(options.scenarioFile);
    return sim;
  }

  /** Where the virtual usbmuxd listens (with the real port when 0 was asked for). */
  get address(): UsbmuxdAddress {
    if (!this.boundAddress) throw new Error('The simulator is not listening yet.');
    return this.boundAddress;
  }

  attached(): VirtualDevice[] {
    return [...this.devices.values()].filter((d) => this.attachedIds.has(d.deviceId));
  }

  byId(deviceId: number): VirtualDevice | undefined {
    return this.attached().find((d) => d.deviceId === deviceId);
  }

  /** The simulated device with this UDID (attached or not). */
  device(udid: string): VirtualDevice | undefined {
    return this.devices.get(udid);
  }

  control(action: string, udid: string): boolean {
    const device = this.devices.get(udid);
    if (!device) return false;
    if (action === 'attach') this.setAttached(device, true);
    else if (action === 'detach') this.setAttached(device, false);
    else if (action === 'reboot') device.restart(device.spec.restart.downMs);
    else return false;
    return true;
  }

  /** Applies a scenario: new devices are created, removed ones detach, changed facts take effect. */
  applyScenario(scenario: Scenario): void {
    const wanted = new Set(scenario.devices.map((d) => d.udid));
    for (const [udid, device] of this.devices) {
      if (!wanted.has(udid)) this.setAttached(device, false);
    }
    for (const spec of scenario.devices) {
      let device = this.devices.get(spec.udid);
      if (!device) {
        device = this.createDevice(spec);
      } else {
        device.spec = spec;
      }
      this.setAttached(device, spec.attached);
    }
  }

  /** Stops the virtual usbmuxd and closes every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    if (this.options.scenarioFile) unwatchFile(this.options.scenarioFile);
    await this.usbmuxd.close();
  }

  private createDevice(spec: SimulatedDeviceSpec): VirtualDevice {
    const device = new VirtualDevice(spec, this.nextDeviceId++, this.state, this.logger.child(spec.udid), serveLockdown);
    device.ensurePairedWithHost(this.state.systemBuid());
    device.onRestart = (downMs) => this.restartDevice(device, downMs);
    this.devices.set(spec.udid, device);
    return device;
  }

  /** A device restart (after a restore, or asked for): Detached, the device boots, Attached again after `downMs`. */
  private restartDevice(device: VirtualDevice, downMs: number): void {
    if (this.stopped) return;
    const wasAttached = this.attachedIds.has(device.deviceId);
    this.setAttached(device, false);
    device.boot();
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (!this.stopped && wasAttached && device.spec.attached) this.setAttached(device, true);
    }, downMs);
    this.restartTimers.add(timer);
  }

  private setAttached(device: VirtualDevice, attached: boolean): void {
    const was = this.attachedIds.has(device.deviceId);
    if (attached === was) return;
    if (attached) {
      this.attachedIds.add(device.deviceId);
      this.usbmuxd.announceAttached(device);
      this.logger.info('device attached', { udid: device.udid });
    } else {
      this.attachedIds.delete(device.deviceId);
      this.usbmuxd.announceDetached(device.deviceId);
      device.unplug();
      this.logger.info('device detached', { udid: device.udid });
    }
  }

  private watchScenario(file: string): void {
    // Polling keeps working across editors that replace the file instead of writing in place.
    watchFile(file, { interval: 300 }, () => {
      try {
        this.applyScenario(loadScenarioFile(file));
        this.logger.info('scenario reloaded', { file });
      } catch (err) {
        this.logger.warn(`scenario not reloaded: ${(err as Error).message}`);
      }
    });
  }
}
