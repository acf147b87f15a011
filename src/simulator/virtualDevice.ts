import type { Socket } from 'node:net';
import type { Logger } from '../common/logger';
import { createPairingCertificates, type PairingKeys } from '../lockdown/pairingCertificates';
import { newHostId } from '../lockdown/lockdownClient';
import { encodePairRecord, type PairRecord } from '../usbmux/pairRecord';
import { LOCKDOWN_PORT } from '../usbmux/protocol';
import type { BackupRunReport } from './backup/backupRunReport';
import { loadBackupEncryptionSettings } from './backup/encryptedBackupSettings';
import type { SimulatedDataset } from './dataset/simulatedDataset';
import { DeviceLog } from './deviceLog';
import { DeviceNotificationCenter } from './deviceNotificationCenter';
import { MediaFileSystem } from './mediaFileSystem';
import { RestoredDeviceState } from './restore/restoredDeviceState';
import type { RestartSpec } from './restore/restoreScenarioFields';
import type { SimulatedDeviceSpec } from './scenario';
import type { SimulatorState, TrustedHost } from './simulatorState';

/** Accepts one tunnelled connection to a device port. */
export type PortHandler = (socket: Socket) => void;

/** A restart as the simulator carries it out. */
export interface DeviceRestart {
  /** Time until the device goes down (its open connections cut); usbmuxd reports it Detached at once either way. */
  goesDownInMs: number;
  /** Time between going down and Attached again. */
  downMs: number;
}

/** First port handed out for started services, as on a real device (dynamic range). */
const FIRST_SERVICE_PORT = 49152;

/**
 * One simulated device: its facts (from the scenario), its keys and trusted hosts (from the state
 * dir), and the ports its daemons listen on. lockdownd is always on 62078; each StartService opens
 * a one-shot port.
 */
export class VirtualDevice {
  readonly keys: { privateKeyPem: Buffer; publicKeyPkcs1Pem: Buffer };
  readonly trustedHosts: Map<string, TrustedHost>;
  private readonly ports = new Map<number, PortHandler>();
  /** Tunnelled connections now open to this device's daemons (cut when it is unplugged). */
  private readonly connections = new Set<Socket>();
  private nextPort = FIRST_SERVICE_PORT;
  /** Backup encryption password; mutable because ChangePassword changes it. */
  backupPassword: string | null;
  /** The "password could not be set" case: after "Reset All Settings" the device refuses a new backup password until an unencrypted backup completes. */
  resetAllSettingsQuirkArmed: boolean;
  /** When the "Trust This Computer?" dialog appeared, while it is up. */
  pairDialogShownAt: number | undefined;
  /** The media partition AFC serves, with the sync-lock file and its locks. */
  readonly mediaFiles = new MediaFileSystem();
  /** The Darwin notification bus notification_proxy connections observe and post to. */
  readonly notifications = new DeviceNotificationCenter();
  /** The device's log bus: daemons write here, syslog_relay clients read (see deviceLog.ts). */
  readonly log = new DeviceLog(() => this.spec);
  /** True while a Backup request runs (a second one is refused, as BackupAgent2 runs one at a time). */
  backupInProgress = false;
  /** What restores changed on this device: its content, restored facts, a restore waiting for a restart (restore/). */
  readonly restored: RestoredDeviceState;
  /** From a restore's result until the restart that applies it: new mobilebackup2 work is refused (the device is going down). */
  restartPending = false;
  /** Set by the simulator: takes the device off usbmuxd, boots it, and brings it back after `downMs`. */
  onRestart: ((restart: DeviceRestart) => void) | undefined;
  private scenarioSpec: SimulatedDeviceSpec;
  private lastBackupReport: BackupRunReport | undefined;
  /** Passcode prompts on screen now, each resolved when the person types the passcode. */
  private readonly passcodePrompts = new Set<() => void>();

  constructor(
    spec: SimulatedDeviceSpec,
    readonly deviceId: number,
    readonly state: SimulatorState,
    readonly logger: Logger,
    lockdownHandler: (device: VirtualDevice, socket: Socket) => void,
  ) {
    this.scenarioSpec = spec;
    this.restored = new RestoredDeviceState(state.dir, spec, logger.child('restore'));
    this.keys = state.deviceKeys(spec.udid);
    this.trustedHosts = state.trustedHosts(spec.udid);
    // What ChangePassword and completed backups left in the state dir wins over the scenario's starting values.
    const encryption = loadBackupEncryptionSettings(state.dir, spec);
    this.backupPassword = encryption.backupPassword;
    this.resetAllSettingsQuirkArmed = encryption.resetAllSettingsQuirkArmed;
    this.ports.set(LOCKDOWN_PORT, (socket) => lockdownHandler(this, socket));
  }

  /** The device's facts: the scenario's, with what a restore changed (name, supervision, MDM) on top. */
  get spec(): SimulatedDeviceSpec {
    return this.restored.applyFacts(this.scenarioSpec);
  }

  set spec(spec: SimulatedDeviceSpec) {
    this.scenarioSpec = spec;
    this.restored.scenarioChanged(spec);
  }

  /** How the most recent Backup request ended. */
  get lastBackup(): BackupRunReport | undefined {
    return this.lastBackupReport;
  }

  set lastBackup(report: BackupRunReport | undefined) {
    this.lastBackupReport = report;
  }

  /** What a backup reads: the generated dataset until a restore, then the restored files. */
  currentContent(): SimulatedDataset {
    return this.restored.currentContent(this.scenarioSpec.dataset);
  }

  /** Restarts the device now: through the simulator (Detached, boot, Attached) when one runs it, else in place. */
  restart(downMs: number): void {
    if (this.onRestart) this.onRestart({ goesDownInMs: 0, downMs });
    else this.boot();
  }

  /**
   * Restarts the device to apply a restore, as soon as its result is sent. It leaves usbmuxd at once,
   * so no host starts new work in the seconds before it goes down (a session cut halfway through
   * leaves hosts with errors that say nothing about the restart); the restoring host's open
   * connections keep working for `afterRestoreDelayMs` to release the sync lock.
   */
  restartAfterRestore(restart: RestartSpec): void {
    this.restartPending = true;
    if (this.onRestart) this.onRestart({ goesDownInMs: restart.afterRestoreDelayMs, downMs: restart.downMs });
    // Unreferenced: a pending restart must not keep a stopping process alive (the restore is kept and applied at the next start).
    else setTimeout(() => this.boot(), restart.afterRestoreDelayMs).unref();
  }

  /** What the device does as it starts: a restore staged without a restart moves into place. */
  boot(): void {
    this.restartPending = false;
    const applied = this.restored.boot();
    if (applied) this.log.write('BackupAgent2', undefined, 'Notice', `Moved the restored files into place from /var/.backup.i (${applied.summary.fileCount} files, backup of ${applied.restoredFrom})`);
  }

  get udid(): string {
    return this.spec.udid;
  }

  /** How many tunnelled connections are open now (tests check that a host closed what it opened). */
  get openConnections(): number {
    return this.connections.size;
  }

  /** True when a daemon listens on the port. */
  listensOn(port: number): boolean {
    return this.ports.has(port);
  }

  /** Hands a tunnelled connection to whatever listens on the port; false when nothing does (usbmuxd answers refused). */
  accept(port: number, socket: Socket): boolean {
    const handler = this.ports.get(port);
    if (!handler) return false;
    if (port !== LOCKDOWN_PORT) this.ports.delete(port);
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    handler(socket);
    return true;
  }

  /** Cuts every open connection, as pulling the cable does: hosts see their streams end at once. */
  unplug(): void {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
  }

  /**
   * Waits until the person types the passcode at a prompt now on screen (`enterPasscode`); the returned
   * `done` takes the prompt off the list when it ends another way (typed on schedule, timed out).
   */
  passcodeTyped(): { typed: Promise<void>; done: () => void } {
    let resolve!: () => void;
    const typed = new Promise<void>((r) => (resolve = r));
    this.passcodePrompts.add(resolve);
    return { typed, done: () => this.passcodePrompts.delete(resolve) };
  }

  /** The simulated person types the passcode at every prompt on screen; false when none is shown. */
  enterPasscode(): boolean {
    const prompts = [...this.passcodePrompts];
    this.passcodePrompts.clear();
    for (const resolve of prompts) resolve();
    return prompts.length > 0;
  }

  /** Opens a one-shot port for a started service. */
  openServicePort(handler: PortHandler): number {
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 65000 ? FIRST_SERVICE_PORT : this.nextPort + 1;
    this.ports.set(port, handler);
    return port;
  }

  /** Records a host as trusted (a completed Pair) and persists it. */
  trust(host: TrustedHost): void {
    this.trustedHosts.set(host.hostId, host);
    this.state.saveTrustedHosts(this.udid, this.trustedHosts);
  }

  /** Forgets a host (Unpair). */
  forget(hostId: string): boolean {
    const had = this.trustedHosts.delete(hostId);
    if (had) this.state.saveTrustedHosts(this.udid, this.trustedHosts);
    return had;
  }

  /**
   * For a scenario device that starts out paired: make sure usbmuxd holds a pair record this
   * device trusts, creating both halves as a real pairing would.
   */
  ensurePairedWithHost(systemBuid: string, keys?: PairingKeys): void {
    if (!this.spec.paired) return;
    const existing = this.state.readPairRecord(this.udid);
    if (existing && this.trustedHosts.size > 0) return;
    const certs = createPairingCertificates(this.keys.publicKeyPkcs1Pem, this.spec.productVersion, keys);
    const record: PairRecord = {
      ...certs,
      hostId: newHostId(),
      systemBuid,
      wifiMacAddress: this.spec.wifiAddress,
      escrowBag: this.state.escrowBag(this.udid),
    };
    this.trust({ hostId: record.hostId, rootCertificate: record.rootCertificate, hostCertificate: record.hostCertificate, deviceCertificate: record.deviceCertificate });
    this.state.savePairRecord(this.udid, encodePairRecord(record));
  }
}
