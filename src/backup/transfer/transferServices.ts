import type { CancellationTokenLike } from '../../common/cancellation';
import type { Logger } from '../../common/logger';
import { DeviceSession } from '../../lockdown/deviceSession';
import { AfcService } from '../../services/afc';
import { Mobilebackup2Service } from '../../services/mobilebackup2';
import { BACKUP_OBSERVED_NOTIFICATIONS, NotificationProxyService, SYNC_NOTIFICATION } from '../../services/notificationProxy';
import type { UsbmuxClient } from '../../usbmux/usbmuxClient';
import { SyncLock } from './syncLock';

/** What starting the device services of a backup or a restore needs. */
export interface TransferServicesRequest<SessionValues> {
  mux: UsbmuxClient;
  udid: string;
  logger: Logger;
  /** How long the device may stay silent on mobilebackup2; undefined leaves the service's default. */
  idleTimeoutMs: number | undefined;
  /** Cancels the wait for the sync lock. */
  token: CancellationTokenLike;
  /** The person tapped "Cancel" on the device. */
  onCancelRequest: () => void;
  /** The device shows its passcode prompt: the run waits until the person enters it. */
  onPasscodePrompt: () => void;
  /** Reads what else the run needs from the lockdown session, before the services start. */
  readFromSession: (session: DeviceSession) => Promise<SessionValues>;
}

/**
 * The device services a backup or a restore holds open for its whole run: notification_proxy,
 * AFC and mobilebackup2, with the device's sync lock taken.
 */
export class TransferServices<SessionValues> {
  private constructor(
    readonly notifications: NotificationProxyService,
    readonly afc: AfcService,
    readonly mobilebackup2: Mobilebackup2Service,
    private readonly syncLock: SyncLock,
    /** What readFromSession returned. */
    readonly sessionValues: SessionValues,
  ) {}

  /**
   * Opens a lockdown session only long enough to read from it and start the three services (as
   * hosts do; the service connections outlive the session), then takes the sync lock. Whatever was
   * started is closed again when a step fails.
   */
  static async start<SessionValues>(request: TransferServicesRequest<SessionValues>): Promise<TransferServices<SessionValues>> {
    const { logger } = request;
    const session = await DeviceSession.open(request.mux, request.udid, logger);
    const opened: { notifications?: NotificationProxyService; afc?: AfcService; mobilebackup2?: Mobilebackup2Service } = {};
    let services: TransferServices<SessionValues>;
    try {
      const sessionValues = await request.readFromSession(session);
      opened.notifications = new NotificationProxyService(session, logger);
      await opened.notifications.connect((name) => {
        if (name === SYNC_NOTIFICATION.CancelRequest) request.onCancelRequest();
        else if (name === SYNC_NOTIFICATION.PasscodePromptPresented) request.onPasscodePrompt();
      });
      for (const name of BACKUP_OBSERVED_NOTIFICATIONS) opened.notifications.observe(name);
      opened.afc = new AfcService(session);
      await opened.afc.connect();
      opened.mobilebackup2 = new Mobilebackup2Service(session, { logger, idleTimeoutMs: request.idleTimeoutMs });
      await opened.mobilebackup2.connect();
      const syncLock = new SyncLock(opened.notifications, opened.afc, logger);
      services = new TransferServices(opened.notifications, opened.afc, opened.mobilebackup2, syncLock, sessionValues);
    } catch (err) {
      opened.mobilebackup2?.close();
      opened.afc?.close();
      await opened.notifications?.close();
      throw err;
    } finally {
      await session.close();
    }
    try {
      await services.syncLock.acquire(request.token);
    } catch (err) {
      await services.close();
      throw err;
    }
    return services;
  }

  /** Ends mobilebackup2, releases the sync lock (announcing the end of the sync) and closes the other services. */
  async close(): Promise<void> {
    this.mobilebackup2.close();
    await this.syncLock.release();
    await this.notifications.close();
    this.afc.close();
  }
}
