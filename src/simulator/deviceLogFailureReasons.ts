import type { DeviceLogLevel } from './deviceLog';

/** One line a daemon writes. */
export interface DeviceLogLine {
  process: string;
  level: DeviceLogLevel;
  message: string;
  image?: string;
}

/** What the caller knows about a failure: the file it concerns, the ErrorDescription it ends with. */
export interface FailureDetails {
  path?: string;
  description?: string;
}

/** The description with the "(MBErrorDomain/N)" suffix real ones carry, unless it has one. */
const withCode = (text: string, code: number): string => (/\(MBErrorDomain\/\d+\)/.test(text) ? text : `${text} (MBErrorDomain/${code})`);

const agent = (level: DeviceLogLevel, message: string): DeviceLogLine => ({ process: 'BackupAgent2', level, message });

/**
 * What the device's daemons log before BackupAgent2 ends a request with an MBErrorDomain code
 * (docs/failure-sources.md#mberrordomain-codes): the failing file before 104, the space check before 105, the keybag
 * before 207, the passcode prompt before 208, Find My before 211, Setup before 212, the MDM
 * restriction before 22. Other codes (1 is generic) get one BackupAgent2 error line with the description.
 */
export function failureReasonLines(code: number, details: FailureDetails = {}): DeviceLogLine[] {
  switch (code) {
    case 3:
      return [agent('Error', 'Failed to create snapshot: File exists (17) at path /private/var (MBErrorDomain/3)')];
    case 22:
      return [
        { process: 'profiled', level: 'Notice', message: 'Restriction forceEncryptedBackup is set by an MDM profile' },
        agent('Error', 'Cannot remove iTunes Backup Encryption - Encrypted Backup MDM setting present on device (MBErrorDomain/22)'),
      ];
    case 100:
    case 104: {
      const path = details.path ?? 'one or more files';
      return [
        agent('Error', `Failed to upload ${path}: Error Domain=MBErrorDomain Code=100 "Input/output error" (MBErrorDomain:100)`),
        ...(code === 104 ? [agent('Error', 'Backup failed: Multiple errors uploading files (MBErrorDomain/104)')] : []),
      ];
    }
    case 102:
      return [agent('Error', 'Failed to move the incomplete restore directory into place at path /var/.backup.i: File exists (NSPOSIXErrorDomain/17) (MBErrorDomain/102)')];
    case 103:
      return [agent('Error', 'Error reading backup properties: fcntl failed (device locked?) (MBErrorDomain/103)')];
    case 105:
      return [
        agent('Warning', 'Free space check failed: the host reported less free space than the backup needs'),
        agent('Error', 'Insufficient free disk space on drive to back up (MBErrorDomain/105)'),
      ];
    case 205:
      return [
        agent('Error', `Failed to download ${details.path ?? 'Manifest.plist'}: Cannot parse a NULL or zero-length data (MBErrorDomain:11)`),
        agent('Error', 'Multiple errors downloading files (MBErrorDomain/205)'),
      ];
    case 207:
      return [
        agent('Error', 'MKBKeyBagUnlock error (-3)'),
        agent('Error', 'Invalid password when restoring encrypted backup (MBErrorDomain/207)'),
      ];
    case 208:
      return [
        { process: 'SpringBoard', image: 'LocalAuthentication', level: 'Notice', message: 'Presenting the passcode prompt for "Back Up to Computer"' },
        agent('Notice', 'Waiting for the passcode to be entered on the device'),
        agent('Error', 'Timed out waiting for the passcode: Device locked (MBErrorDomain/208)'),
      ];
    case 211:
      return [
        { process: 'findmydeviced', level: 'Notice', message: 'Find My iPhone is enabled for this device' },
        agent('Error', 'Restore refused: Find My iPhone must be disabled before restoring (MBErrorDomain/211)'),
      ];
    case 212:
      return [
        { process: 'SpringBoard', level: 'Notice', message: 'Setup Assistant is still running' },
        agent('Error', 'Unable to backup until Setup is finished (MBErrorDomain/212)'),
      ];
    default:
      return [agent('Error', withCode(details.description ?? 'Request failed', code))];
  }
}
