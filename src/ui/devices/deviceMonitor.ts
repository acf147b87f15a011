import * as vscode from 'vscode';
import type { DeviceFacts } from '../../device/deviceFacts';
import { MuxError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { DeviceWatch, UsbmuxClient } from '../../usbmux/usbmuxClient';
import { preferUsb, type UsbmuxDevice } from '../../usbmux/usbmuxDevice';
import { Debouncer } from '../util/debouncer';
import type { UsbmuxEndpoint } from './usbmuxEndpoint';

/** One attached device as the extension knows it. */
export interface MonitoredDevice {
  udid: string;
  /** The connection commands use (USB preferred over Wi-Fi). */
  connection: UsbmuxDevice;
  /** What lockdownd told us; undefined until the first read finishes or when it failed. */
  facts?: DeviceFacts;
  /** Why the facts could not be read (locked, refused, disconnected). */
  factsError?: Error;
  /** True while the facts are being read. */
  reading: boolean;
}

/** Where the Listen connection to usbmuxd stands. */
export type MonitorState = 'idle' | 'connecting' | 'connected' | 'unreachable';

/** Tree refreshes wait this long for a burst of usbmuxd events to end. */
const EVENT_DEBOUNCE_MS = 150;
/** Reconnection attempts after usbmuxd went away back off up to this delay. */
const MAX_RETRY_MS = 30_000;
const FIRST_RETRY_MS = 2_000;

interface FactsEntry {
  facts?: DeviceFacts;
  error?: Error;
  reading: boolean;
}

/**
 * Keeps the list of attached devices from a usbmuxd Listen subscription: attach and detach events
 * arrive as they happen (no polling of the device list), and each new device's facts are read once.
 * When usbmuxd goes away the monitor says so and tries again with a backoff, only while someone is
 * looking (the Devices view is visible).
 */
export class DeviceMonitor implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) when devices, their facts or the connection state changed. */
  readonly onDidChange = this.changed.event;
  private readonly connections = new Map<number, UsbmuxDevice>();
  private readonly factsByUdid = new Map<string, FactsEntry>();
  private readonly debouncer = new Debouncer(EVENT_DEBOUNCE_MS, () => this.changed.fire());
  private readonly subscription: vscode.Disposable;
  private watch: DeviceWatch | undefined;
  /** Bumped on every (re)connection so results of an older one are dropped. */
  private generation = 0;
  private currentState: MonitorState = 'idle';
  private error: Error | undefined;
  private visible = false;
  /** Open views other than the Devices view that show the device list (the compatibility panel). */
  private watchers = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = FIRST_RETRY_MS;
  private factsQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly endpoint: UsbmuxEndpoint,
    private readonly logger: Logger,
  ) {
    this.subscription = endpoint.onDidChange(() => {
      // A new address deserves its own first warning.
      this.error = undefined;
      this.retryDelay = FIRST_RETRY_MS;
      if (this.currentState !== 'idle') void this.connect();
    });
  }

  /** The connection state. */
  get state(): MonitorState {
    return this.currentState;
  }

  /** Why usbmuxd is unreachable, when it is. */
  get lastError(): Error | undefined {
    return this.error;
  }

  /** Tells the monitor whether anyone is looking; the first time it starts the Listen subscription. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && (this.currentState === 'idle' || (this.currentState === 'unreachable' && !this.retryTimer))) void this.connect();
  }

  /**
   * Says that something besides the Devices view shows the devices (the compatibility panel): while it is
   * held, an unreachable usbmuxd is retried as for a visible view. Starts watching if not yet started.
   */
  hold(): vscode.Disposable {
    this.watchers++;
    if (this.currentState === 'idle' || (this.currentState === 'unreachable' && !this.retryTimer)) void this.connect();
    let released = false;
    return new vscode.Disposable(() => {
      if (released) return;
      released = true;
      this.watchers--;
    });
  }

  /** Starts watching if not yet started and waits until the first connection attempt settled. */
  async ensureStarted(): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'unreachable') await this.connect();
  }

  /** Drops everything known and reconnects: a fresh device list and fresh facts. */
  async refresh(): Promise<void> {
    this.factsByUdid.clear();
    this.error = undefined;
    this.retryDelay = FIRST_RETRY_MS;
    await this.connect();
  }

  /** Reads one device's facts again (after pairing, unpairing or a backup changed them). */
  refreshFacts(udid: string): Promise<void> {
    return this.readFacts(udid, this.generation);
  }

  /** The attached devices, one per UDID, sorted by name. */
  devices(): MonitoredDevice[] {
    return preferUsb([...this.connections.values()])
      .map((connection) => {
        const entry = this.factsByUdid.get(connection.udid);
        return { udid: connection.udid, connection, facts: entry?.facts, factsError: entry?.error, reading: entry?.reading ?? false };
      })
      .sort((a, b) => (a.facts?.name ?? a.udid).localeCompare(b.facts?.name ?? b.udid));
  }

  /** One attached device by UDID. */
  device(udid: string): MonitoredDevice | undefined {
    return this.devices().find((d) => d.udid === udid);
  }

  dispose(): void {
    this.generation++;
    this.watch?.dispose();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.debouncer.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.watch?.dispose();
    this.watch = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.connections.clear();
    this.setState('connecting');
    const current = (): boolean => generation === this.generation;
    const detachedSinceListen = new Set<number>();
    try {
      const client = this.endpoint.client;
      const watch = await client.watch({
        onAttached: (device) => current() && this.attached(device, generation),
        onDetached: (deviceId) => {
          detachedSinceListen.add(deviceId);
          if (current()) this.detached(deviceId);
        },
        onPaired: (deviceId) => {
          const udid = this.connections.get(deviceId)?.udid;
          if (current() && udid) void this.readFacts(udid, generation);
        },
        onClosed: (error) => current() && this.lost(error ?? new MuxError(`usbmuxd at ${this.endpoint.addressText} closed the connection.`, 'usbmux.closed', this.endpoint.addressText)),
      });
      if (!current()) {
        watch.dispose();
        return;
      }
      this.watch = watch;
      // Listen reports the devices already attached as events that trickle in after its reply; a command that
      // awaited ensureStarted() must not see an empty list meanwhile, so the current list is read at once too.
      await this.seedFromList(client, generation, detachedSinceListen);
      if (!current()) return;
      this.retryDelay = FIRST_RETRY_MS;
      this.error = undefined;
      this.logger.info('watching devices', { usbmuxd: this.endpoint.addressText });
      this.setState('connected');
    } catch (err) {
      if (current()) this.lost(err as Error);
    }
  }

  private async seedFromList(client: UsbmuxClient, generation: number, detachedSinceListen: ReadonlySet<number>): Promise<void> {
    try {
      const listed = await client.listDevices();
      if (generation !== this.generation) return;
      for (const device of listed) {
        if (!this.connections.has(device.deviceId) && !detachedSinceListen.has(device.deviceId)) this.attached(device, generation);
      }
    } catch (err) {
      // The Listen events still bring the devices; only the head start is lost.
      this.logger.debug('device list not read', { error: (err as Error).message });
    }
  }

  private attached(device: UsbmuxDevice, generation: number): void {
    // Already known from the device list read right after Listen.
    if (this.connections.has(device.deviceId)) return;
    this.connections.set(device.deviceId, device);
    this.logger.info('device attached', { udid: device.udid, connection: device.connectionType });
    if (!this.factsByUdid.has(device.udid)) void this.readFacts(device.udid, generation);
    this.debouncer.trigger();
  }

  private detached(deviceId: number): void {
    const gone = this.connections.get(deviceId);
    if (!gone) return;
    this.connections.delete(deviceId);
    this.logger.info('device detached', { udid: gone.udid, connection: gone.connectionType });
    if (![...this.connections.values()].some((d) => d.udid === gone.udid)) this.factsByUdid.delete(gone.udid);
    this.debouncer.trigger();
  }

  private lost(error: Error): void {
    // Said once when usbmuxd goes away; the retries after that only at debug level.
    const firstFailure = this.error === undefined;
    this.watch?.dispose();
    this.watch = undefined;
    this.connections.clear();
    this.error = error;
    if (firstFailure) this.logger.warn('usbmuxd not reachable', { usbmuxd: this.endpoint.addressText, reason: error.message });
    else this.logger.debug('usbmuxd still not reachable', { usbmuxd: this.endpoint.addressText });
    this.setState('unreachable');
    if (this.visible || this.watchers > 0) {
      this.logger.debug('will try usbmuxd again', { afterMs: this.retryDelay });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.currentState === 'unreachable') void this.connect();
      }, this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    }
  }

  private readFacts(udid: string, generation: number): Promise<void> {
    const entry: FactsEntry = { ...this.factsByUdid.get(udid), reading: true };
    this.factsByUdid.set(udid, entry);
    this.debouncer.trigger();
    // One lockdown session at a time: a burst of attaches should not open a TLS session per device at once.
    this.factsQueue = this.factsQueue.then(async () => {
      if (generation !== this.generation || !this.factsByUdid.has(udid)) return;
      try {
        // The lockdown client (TLS session, device services) loads with the first device read, not at activation:
        // the extension activates at every window's startup, most often without the Devices view shown.
        const { readDeviceFacts } = await import('../../device/readDeviceFacts');
        const facts = await readDeviceFacts(this.endpoint.client, udid, this.logger.child('facts'));
        if (generation !== this.generation || !this.factsByUdid.has(udid)) return;
        this.factsByUdid.set(udid, { facts, reading: false });
        this.logger.debug('device facts read', { udid, paired: facts.paired, ios: facts.iosVersion, model: facts.productType });
      } catch (err) {
        if (generation !== this.generation || !this.factsByUdid.has(udid)) return;
        this.factsByUdid.set(udid, { error: err as Error, reading: false });
        this.logger.warn('cannot read device facts', { udid, reason: (err as Error).message });
      }
      this.debouncer.trigger();
    });
    return this.factsQueue;
  }

  private setState(state: MonitorState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.debouncer.trigger();
  }
}
