import type { FuzzTargetFactory } from '../fuzzTarget';
import { afcPacketsTarget } from './afcTarget';
import { infoPlistTarget, manifestDbTarget, manifestPlistTarget, mbFileTarget, statusPlistTarget } from './backupFileTargets';
import { compatRulesTarget, knowledgeBaseTarget } from './dataFileTargets';
import { deviceLinkMessagesTarget, deviceLinkTransferTarget } from './deviceLinkTargets';
import { lockdownFramesTarget } from './lockdownTarget';
import { keybagTarget } from './keybagTarget';
import { binaryPlistTarget, xmlPlistTarget } from './plistTargets';
import { simulatorLockdownTarget, simulatorMobileBackup2Target, simulatorUsbmuxdTarget } from './simulatorTargets';
import { syslogRelayTarget } from './syslogTarget';
import { usbmuxFramesTarget } from './usbmuxTarget';

/** Every fuzz target, in the order the runner and the unit-test slice run them. */
export const FUZZ_TARGETS: ReadonlyArray<{ name: string; create: FuzzTargetFactory }> = [
  { name: 'plist-binary', create: binaryPlistTarget },
  { name: 'plist-xml', create: xmlPlistTarget },
  { name: 'usbmux-frames', create: usbmuxFramesTarget },
  { name: 'lockdown-frames', create: lockdownFramesTarget },
  { name: 'devicelink-messages', create: deviceLinkMessagesTarget },
  { name: 'devicelink-transfer', create: deviceLinkTransferTarget },
  { name: 'afc-packets', create: afcPacketsTarget },
  { name: 'syslog-relay', create: syslogRelayTarget },
  { name: 'keybag-tlv', create: keybagTarget },
  { name: 'mbfile', create: mbFileTarget },
  { name: 'manifest-db', create: manifestDbTarget },
  { name: 'info-plist', create: infoPlistTarget },
  { name: 'status-plist', create: statusPlistTarget },
  { name: 'manifest-plist', create: manifestPlistTarget },
  { name: 'compat-rules', create: compatRulesTarget },
  { name: 'knowledge-base', create: knowledgeBaseTarget },
  { name: 'simulator-usbmuxd', create: simulatorUsbmuxdTarget },
  { name: 'simulator-lockdown', create: simulatorLockdownTarget },
  { name: 'simulator-mobilebackup2', create: simulatorMobileBackup2Target },
];
