import type { ServiceConnection } from '../transport/serviceConnection';
import { serveAfc } from './services/afcServer';
import { serveCrashReportCopyMobile } from './services/crashReportCopyMobileServer';
import { serveCrashReportMover } from './services/crashReportMoverServer';
import { serveInstallationProxy } from './services/installationProxyServer';
import { serveMobileBackup2 } from './services/mobileBackup2Server';
import { serveMobileConfig } from './services/mobileConfigServer';
import { serveNotificationProxy } from './services/notificationProxyServer';
import { serveSpringboardServices } from './services/springboardServicesServer';
import { serveSyslogRelay } from './services/syslogRelayServer';
import type { VirtualDevice } from './virtualDevice';

/** What a started service gets besides its connection. */
export interface ServiceStartContext {
  escrowBag?: Buffer;
}

/** One device-side service: whether it runs TLS, its frame cap, and its server loop. */
export interface DeviceServiceDefinition {
  ssl: boolean;
  maxFrameBytes?: number;
  serve(connection: ServiceConnection, device: VirtualDevice, context: ServiceStartContext): Promise<void>;
}

/**
 * The one table of services a simulated device offers. A name not listed here is refused with
 * lockdownd's "InvalidService", as a real device refuses an unknown service.
 */
export const DEVICE_SERVICES: Record<string, DeviceServiceDefinition> = {
  'com.apple.mobile.MCInstall': { ssl: true, serve: serveMobileConfig },
  // Small command dictionaries only; 64 KiB is generous.
  'com.apple.mobile.notification_proxy': { ssl: true, maxFrameBytes: 64 * 1024, serve: serveNotificationProxy },
  // AFC speaks its own packets (bounded in afcPackets.ts), never plist frames.
  'com.apple.afc': { ssl: true, maxFrameBytes: 0, serve: serveAfc },
  'com.apple.mobile.installation_proxy': { ssl: true, maxFrameBytes: 1024 * 1024, serve: serveInstallationProxy },
  'com.apple.springboardservices': { ssl: true, maxFrameBytes: 64 * 1024, serve: serveSpringboardServices },
  // DeviceLink: StatusResponses may list every path of a batch (multi-status), so allow 32 MiB.
  'com.apple.mobilebackup2': { ssl: true, maxFrameBytes: 32 * 1024 * 1024, serve: (connection, device) => serveMobileBackup2(connection, device) },
  // A raw text stream (records end in "\n" + NUL), never plist frames.
  'com.apple.syslog_relay': { ssl: true, maxFrameBytes: 0, serve: serveSyslogRelay },
  // No TLS: idevicecrashreport connects to the mover without it and only waits for "ping".
  'com.apple.crashreportmover': { ssl: false, maxFrameBytes: 0, serve: serveCrashReportMover },
  'com.apple.crashreportcopymobile': { ssl: true, maxFrameBytes: 0, serve: serveCrashReportCopyMobile },
};
