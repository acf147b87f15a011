import type { FuzzTargetFactory } from '../fuzzTarget';
import { afcPacketsTarget } from './afcTarget';
import { deviceLinkMessagesTarget, deviceLinkTransferTarget } from './deviceLinkTargets';
import { lockdownFramesTarget } from './lockdownTarget';
import { binaryPlistTarget, xmlPlistTarget } from './plistTargets';
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
];
