import type { ErrorCode, PairingCode } from './errorCodes';

/**
 * The product's error families. Each carries data in fields and a one-sentence message;
 * the CLI and the UI each have one presenter that turns them into what the user reads.
 */
export class DeviceToolError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeviceToolError';
  }
}

/** usbmuxd could not be reached or answered with a failure. */
export class MuxError extends DeviceToolError {
  constructor(message: string, code: ErrorCode, readonly address?: string, readonly resultNumber?: number, options?: { cause?: unknown }) {
    super(message, code, options);
    this.name = 'MuxError';
  }
}

/** A peer sent bytes that break the framing or shape rules (length over the cap, truncated, not a plist). */
export class ProtocolError extends DeviceToolError {
  constructor(message: string, readonly peer: string, options?: { cause?: unknown }) {
    super(message, 'protocol', options);
    this.name = 'ProtocolError';
  }
}

/** lockdownd answered with an Error string. */
export class LockdownError extends DeviceToolError {
  constructor(message: string, readonly lockdownCode: string, readonly request: string, readonly udid?: string) {
    super(message, `lockdown.${lockdownCode}`);
    this.name = 'LockdownError';
  }
}

/** Pairing could not be completed (denied, locked, timed out, no record). */
export class PairingError extends DeviceToolError {
  declare readonly code: `pairing.${PairingCode}`;
  constructor(message: string, code: PairingCode, readonly udid?: string) {
    super(message, `pairing.${code}`);
    this.name = 'PairingError';
  }
}

/** A device service could not be started. */
export class ServiceStartError extends DeviceToolError {
  constructor(message: string, readonly service: string, readonly lockdownCode?: string) {
    super(message, 'service-start');
    this.name = 'ServiceStartError';
  }
}

/** An AFC operation failed with a status code. */
export class AfcError extends DeviceToolError {
  constructor(message: string, readonly status: number, readonly path?: string) {
    super(message, `afc.${status}`);
    this.name = 'AfcError';
  }
}

/** A backup or restore operation failed (device error code, local I/O, bad backup folder). */
export class BackupError extends DeviceToolError {
  constructor(message: string, code: ErrorCode, readonly deviceErrorCode?: number, options?: { cause?: unknown }) {
    super(message, code, options);
    this.name = 'BackupError';
  }
}

/** The user (or a token) cancelled the operation; shown quietly. The message may say what became of the data. */
export class CancelledError extends DeviceToolError {
  constructor(readonly operation: string, message = `${operation} was cancelled.`) {
    super(message, 'cancelled');
    this.name = 'CancelledError';
  }
}

/** Input given to a command or a file read from disk is not valid. */
export class UsageError extends DeviceToolError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

/** A type guard for one error class: every family's `isX` is made by it, so none is written by hand. */
export function errorGuard<T>(type: abstract new (...args: never[]) => T): (e: unknown) => e is T {
  return (e: unknown): e is T => e instanceof type;
}

export const isDeviceToolError = errorGuard(DeviceToolError);
export const isMuxError = errorGuard(MuxError);
export const isProtocolError = errorGuard(ProtocolError);
export const isLockdownError = errorGuard(LockdownError);
export const isPairingError = errorGuard(PairingError);
export const isServiceStartError = errorGuard(ServiceStartError);
export const isAfcError = errorGuard(AfcError);
export const isBackupError = errorGuard(BackupError);
export const isCancelledError = errorGuard(CancelledError);
export const isUsageError = errorGuard(UsageError);
