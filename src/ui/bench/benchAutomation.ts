import * as vscode from 'vscode';
import { describeBackup, type BackupSummary } from '../../backup/format/backupFolder';
import type { DeviceFacts } from '../../device/deviceFacts';
import type { Logger } from '../../common/logger';
import type { BenchAutomationSetting } from '../../kitting/attachAutomation';
import type { BenchRestorePlan } from '../../kitting/kittingBench';
import type { DeviceMonitor, MonitoredDevice } from '../devices/deviceMonitor';
import { uiLanguage } from '../util/uiLanguage';
import type { BenchSession } from './benchSession';
import type { BenchSettings } from './benchSettings';

/** A restore the bench makes to the devices that attach later: from the command, or from the settings. */
interface NextDevicesRestore {
  backup: BackupSummary;
  plan: BenchRestorePlan;
}

/**
 * The bench's optional automation, off by default: "when a device attaches, back it up" or "restore backup X
 * to it" (the `iosbr.bench.*` settings), and the restore to "every device attached from now on" that the batch
 * restore command can start. Only devices that attach while it is on count (the ones already attached are left
 * alone); what to do with each is the kitting layer's decision (restores only to devices in Setup Assistant,
 * never to the backup's own device, once per device). Each device skipped is logged and said once.
 */
export class BenchAutomation implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** While on: the monitor kept watching, its changes heard, and whether the devices attached at the start are known. */
  private watching: { hold: vscode.Disposable; subscription: vscode.Disposable; ready: boolean } | undefined;
  /** Attached when the automation started, or already handled: not "attaching" until they leave and come back. */
  private readonly present = new Set<string>();
  /** Devices decided on in this bench session (the kitting layer's "once per device"). */
  private readonly seen = new Set<string>();
  /** Skips already said to the person (device and reason). */
  private readonly said = new Set<string>();
  private nextDevices: NextDevicesRestore | undefined;
  /** The settings' restore, read from its folder when the setting changes. */
  private settingsRestore: NextDevicesRestore | undefined;
  /** The automation settings last applied (action and backup folder). */
  private applied: string | undefined;

  constructor(
    private readonly monitor: DeviceMonitor,
    private readonly session: BenchSession,
    private readonly settings: BenchSettings,
    private readonly locale: string,
    private readonly logger: Logger,
  ) {
    this.disposables.push(settings.onDidChange(() => void this.applySettings()));
    if (settings.whenDeviceAttaches() !== 'nothing') void this.applySettings();
  }

  /** Restores this backup, with these options, to every device in Setup Assistant that attaches from now on. */
  async restoreToNextDevices(backup: BackupSummary, plan: BenchRestorePlan): Promise<void> {
    this.nextDevices = { backup, plan };
    this.logger.info('bench will restore to devices attached from now on', { backup: backup.dir });
    await this.update();
  }

  /** Ends the restore to devices attached later (Cancel All, or a cleared bench). */
  stopRestoringToNextDevices(): void {
    if (!this.nextDevices) return;
    this.nextDevices = undefined;
    this.logger.info('bench no longer restores to devices attached from now on');
    void this.update();
  }

  dispose(): void {
    this.stopWatching();
    for (const d of this.disposables) d.dispose();
  }

  private async applySettings(): Promise<void> {
    const action = this.settings.whenDeviceAttaches();
    const dir = this.settings.backupToRestore();
    // Any bench setting fires the change (the jobs too): what was said about these two is not said again.
    const applied = `${action}\n${dir}`;
    if (applied === this.applied) return;
    this.applied = applied;
    this.settingsRestore = undefined;
    if (action === 'restoreBackup') {
      const backup = dir ? await describeBackup(dir).catch(() => undefined) : undefined;
      if (!backup?.complete) {
        // Turning it on asks nothing; a missing backup is said once, and nothing is restored until it is set.
        void vscode.window.showWarningMessage(
          vscode.l10n.t('The bench restores to attached devices only once "iOS Backup & Restore › Bench: Backup to Restore" names a complete backup folder.'),
        );
      } else if (backup.encrypted === true) {
        // A setting cannot hold a password; the batch restore command asks for it.
        void vscode.window.showWarningMessage(vscode.l10n.t('The backup to restore on attach is encrypted: use Restore Backup to Several Devices… with "every device attached from now on" instead.'));
      } else {
        this.settingsRestore = { backup, plan: { backupDir: backup.dir, reboot: true } };
      }
    }
    this.logger.info('bench automation setting', { whenDeviceAttaches: action, backup: this.settingsRestore?.backup.dir });
    await this.update();
  }

  /** What is to happen on attach now: the command's restore first, else the settings. */
  private current(): { action: 'backUp' | 'restoreBackup'; restore?: NextDevicesRestore } | undefined {
    if (this.nextDevices) return { action: 'restoreBackup', restore: this.nextDevices };
    const action = this.settings.whenDeviceAttaches();
    if (action === 'backUp') return { action };
    if (action === 'restoreBackup' && this.settingsRestore) return { action, restore: this.settingsRestore };
    return undefined;
  }

  private async update(): Promise<void> {
    if (!this.current()) {
      this.stopWatching();
      return;
    }
    if (this.watching) return;
    // Set before the first await, so that two updates at once watch once.
    const watching = { hold: this.monitor.hold(), subscription: this.monitor.onDidChange(() => void this.devicesChanged()), ready: false };
    this.watching = watching;
    await this.monitor.ensureStarted();
    if (this.watching !== watching) return;
    // Only devices that attach from now on: the ones on the cable already were not brought for this.
    for (const device of this.monitor.devices()) this.present.add(device.udid);
    watching.ready = true;
  }

  private stopWatching(): void {
    this.watching?.subscription.dispose();
    this.watching?.hold.dispose();
    this.watching = undefined;
    this.present.clear();
  }

  private async devicesChanged(): Promise<void> {
    if (!this.watching?.ready) return;
    const devices = this.monitor.devices();
    const attached = new Set(devices.map((d) => d.udid));
    for (const udid of [...this.present]) if (!attached.has(udid)) this.present.delete(udid);
    for (const device of devices) {
      // Decided once the facts are read: Setup Assistant and the device's identity decide.
      if (this.present.has(device.udid) || device.reading || (!device.facts && !device.factsError)) continue;
      this.present.add(device.udid);
      await this.deviceAttached(device);
    }
  }

  private async deviceAttached(device: MonitoredDevice): Promise<void> {
    const now = this.current();
    if (!now) return;
    const facts: DeviceFacts = device.facts ?? { udid: device.udid, connectionType: device.connection.connectionType, paired: false };
    const { decideOnAttach } = await import('../../kitting/attachAutomation');
    const setting: BenchAutomationSetting = now.restore ? { mode: 'restore', backupDir: now.restore.backup.dir, backupUdid: now.restore.backup.udid } : { mode: 'back-up' };
    const decision = decideOnAttach(facts, setting, this.seen);
    if (typeof decision === 'object') {
      this.logger.info('bench automation skipped a device', { udid: device.udid, reason: decision.skip.en });
      // Said once per device and reason: a device plugged in again and again is not announced each time.
      const said = `${device.udid} ${decision.skip.en}`;
      if (this.said.has(said)) return;
      this.said.add(said);
      void vscode.window.showInformationMessage(vscode.l10n.t('The bench left {0} alone: {1}', facts.name ?? device.udid, decision.skip[uiLanguage(this.locale)]));
      return;
    }
    const bench = await this.session.open();
    try {
      if (decision === 'back-up') bench.addBackup(device.udid);
      else if (now.restore) bench.addRestore(device.udid, now.restore.plan);
      this.logger.info('bench automation added a row', { udid: device.udid, operation: decision });
    } catch (err) {
      this.logger.warn('bench automation could not add a row', { udid: device.udid, reason: (err as Error).message });
      void vscode.window.showWarningMessage((err as Error).message);
    }
  }
}
