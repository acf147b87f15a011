/** MBErrorDomain codes the simulated BackupAgent2 ends a request with (docs/protocol/mobilebackup2.md#error-codes). */
export const MB_ERROR = {
  Success: 0,
  /** Also the Hello answer when no protocol version is shared. */
  Generic: 1,
  /** An underlying I/O error (a host request to create or move something failed). */
  IoError: 100,
  MultipleUploadErrors: 104,
  InsufficientSpace: 105,
  BackupPropertiesUnreadable: 205,
} as const;

/** Why the device refuses new work between a restore's result and the restart that applies it. */
export const DEVICE_RESTARTING_DESCRIPTION = 'The device is restarting to finish a restore; try again once it is back';

/** Appends the "(MBErrorDomain/<code>)" suffix real ErrorDescriptions carry, unless it is there. */
export function mbErrorDescription(text: string, code: number): string {
  return /\(MBErrorDomain\/\d+\)/.test(text) ? text : `${text} (MBErrorDomain/${code})`;
}

/** The device ends the current request with this ErrorCode and description (sent as the final ProcessMessage). */
export class BackupRequestFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    /** The file the failure concerns, when one does (for the device log). */
    readonly path?: string,
  ) {
    super(mbErrorDescription(description, errorCode));
    this.name = 'BackupRequestFailure';
  }
}

/** The host ended the DeviceLink session (DLMessageDisconnect or closed socket) in the middle of a request. */
export class HostLeftSession extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HostLeftSession';
  }
}

/** A scenario fault drops the connection on purpose; the service ends without a final message. */
export class SimulatedConnectionDrop extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SimulatedConnectionDrop';
  }
}
