import type { ServiceConnection } from '../services/serviceConnection';
import { serveMobileConfig } from './services/mobileConfigServer';
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
};
