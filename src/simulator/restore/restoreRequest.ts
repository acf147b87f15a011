import { getBoolean, getDict, getString, type PlistDict } from '../../plist';

/** A Restore request as the device understands it (docs/protocol/mobilebackup2.md#requests). */
export interface RestoreRequest {
  /** TargetIdentifier, when the host sent one. */
  targetIdentifier: string | undefined;
  /** The UDID folder the device asks the host for (`<SourceIdentifier>/Manifest.db`, …); the device's own by default. */
  sourceIdentifier: string;
  restoreSystemFiles: boolean;
  shouldReboot: boolean;
  preserveSettings: boolean;
  removeItemsNotRestored: boolean;
  dontCopyBackup: boolean;
  /** The backup password for an encrypted backup. Never logged. */
  password: string | undefined;
}

/** A backup folder name the device is willing to put in its requests: a UDID-like name, never a path. */
const SOURCE_IDENTIFIER = /^[0-9A-Za-z-]{1,64}$/;

/**
 * Reads the Restore request. Absent options take the device's defaults: no system files, restart
 * when done, keep the device's settings, keep items that are not restored. The password may come
 * in Options (libimobiledevice) or at the top level. Returns undefined when SourceIdentifier is
 * not a folder name, which the device refuses to use in a path.
 */
export function parseRestoreRequest(request: PlistDict, deviceUdid: string): RestoreRequest | undefined {
  const options = getDict(request, 'Options') ?? {};
  const source = getString(request, 'SourceIdentifier') ?? deviceUdid;
  if (!SOURCE_IDENTIFIER.test(source)) return undefined;
  const password = getString(options, 'Password') ?? getString(request, 'Password');
  return {
    targetIdentifier: getString(request, 'TargetIdentifier'),
    sourceIdentifier: source,
    restoreSystemFiles: getBoolean(options, 'RestoreSystemFiles') ?? false,
    shouldReboot: getBoolean(options, 'RestoreShouldReboot') ?? true,
    preserveSettings: getBoolean(options, 'RestorePreserveSettings') ?? true,
    removeItemsNotRestored: getBoolean(options, 'RemoveItemsNotRestored') ?? false,
    dontCopyBackup: getBoolean(options, 'RestoreDontCopyBackup') ?? false,
    password: password === '' ? undefined : password,
  };
}
