import { watchFile, unwatchFile } from 'node:fs';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { createPairingKeys, type PairingKeys } from '../lockdown/pairingCertificates';
import type { UsbmuxdAddress } from '../usbmux/socketAddress';
import { serveLockdown } from './lockdownServer';
import { loadScenarioFile, type Scenario, type SimulatedDeviceSpec } from './scenario';
import { SimulatorState } from './simulatorState';
import { VirtualDevice, type DeviceRestart } from './virtualDevice';
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
  /** Timers of restarts under way: the device going down, or attaching again. */
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** Devices between Detached for a restart and Attached after it: a scenario reload does not bring them back early. */
  private readonly restarting = new Set<VirtualDevice>();
  private stopped = false;
  /** Pairing keys made ahead by prepareKeys, used when the device is created. */
  private readonly pairingKeys = new Map<string, PairingKeys>();

  private constructor(private readonly options: SimulatorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.state = new SimulatorState(options.stateDir);
    this.usbmuxd = new VirtualUsbmuxd(this, this.state, this.logger);
  }

  /** Starts the simulator and returns it once it accepts connections. */
  static async start(options: SimulatorOptions): Promise<Simulator> {
    const sim = new Simulator(options);
    await sim.prepareKeys(options.scenario);
    sim.applyScenario(options.scenario);
    sim.boundAddress = await sim.usbmuxd.listen(options.listen);
    if (options.scenarioFile) sim.watchScenario(options.scenarioFile);
    return sim;
  }

  /**
   * Makes the RSA keys a first start needs (each device's own; root and host keys for the devices a scenario
   * starts paired) on Node's thread pool, all at once. Made one after another on this thread, as creating a
   * device would, they hold the caller up for seconds: the extension host, when it starts the demo devices
   * in a fresh profile. A later start finds them in the state folder and makes none.
   */
  private async prepareKeys(scenario: Scenario): Promise<void> {
    await Promise.all(
      scenario.devices.map(async (spec) => {
        const pairing = spec.paired && !this.state.hasHostPairing(spec.udid) ? createPairingKeys() : undefined;
        await this.state.prepareDeviceKeys(spec.udid);
        if (pairing) this.pairingKeys.set(spec.udid, await pairing);
      }),
    );
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

  /** SimulatorControl: attach, detach, reboot, or enter-passcode (at a prompt on screen); false for an unknown device, action, or no prompt. */
  control(action: string, udid: string): boolean {
    const device = this.devices.get(udid);
    if (!device) return false;
    if (action === 'attach') this.setAttached(device, true);
    else if (action === 'detach') this.setAttached(device, false);
    else if (action === 'reboot') device.restart(device.spec.restart.downMs);
    else if (action === 'enter-passcode') return device.enterPasscode();
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
    device.ensurePairedWithHost(this.state.systemBuid(), this.pairingKeys.get(spec.udid));
    this.pairingKeys.delete(spec.udid);
    device.onRestart = (restart) => this.restartDevice(device, restart);
    this.devices.set(spec.udid, device);
    return device;
  }

  /**
   * A device restart (after a restore, or asked for): Detached at once; after `goesDownInMs` the open
   * connections are cut and the device boots; Attached again `downMs` later.
   */
  private restartDevice(device: VirtualDevice, { goesDownInMs, downMs }: DeviceRestart): void {
    if (this.stopped || this.restarting.has(device)) return;
    const wasAttached = this.attachedIds.has(device.deviceId);
    this.restarting.add(device);
    this.setAttached(device, false, { keepConnections: goesDownInMs > 0 });
    const later = (ms: number, step: () => void) => {
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (!this.stopped) step();
      }, ms);
      this.restartTimers.add(timer);
    };
    const goDown = () => {
      device.unplug();
      device.boot();
      later(downMs, () => {
        this.restarting.delete(device);
        if (wasAttached && device.spec.attached) this.setAttached(device, true);
      });
    };
    if (goesDownInMs > 0) later(goesDownInMs, goDown);
    else goDown();
  }

  /** Attaches or detaches a device; a detach cuts its connections unless a restart lets them finish first. */
  private setAttached(device: VirtualDevice, attached: boolean, options: { keepConnections?: boolean } = {}): void {
    const was = this.attachedIds.has(device.deviceId);
    if (attached === was || (attached && this.restarting.has(device))) return;
    if (attached) {
      this.attachedIds.add(device.deviceId);
      this.usbmuxd.announceAttached(device);
      this.logger.info('device attached', { udid: device.udid });
    } else {
      this.attachedIds.delete(device.deviceId);
      this.usbmuxd.announceDetached(device.deviceId);
      if (!options.keepConnections) device.unplug();
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
        this.logger.warn('scenario not reloaded', { file, reason: (err as Error).message });
      }
    });
  }
}
