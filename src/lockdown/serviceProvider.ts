import type { ServiceConnection } from '../transport/serviceConnection';

/** What device services need from below: a way to start a named service. */
export interface ServiceProvider {
  readonly udid: string;
  /** Starts a lockdown service and returns its connection (TLS already on when the device asked for it). */
  startService(name: string, options?: { withEscrowBag?: boolean; maxFrameBytes?: number }): Promise<ServiceConnection>;
}
