import { formatByteCount, groupThousands } from '../common/byteCount';
import type { LocalizedText } from '../common/localizedText';
import type { PostRestoreStep } from '../restore/postRestoreSteps';

/** "1 file, 512 B" / "1,234 files, 56.0 MB": what a row's detail and summary say of a transfer. */
export function filesAndBytes(files: number, bytes: number): string {
  return `${groupThousands(files)} ${files === 1 ? 'file' : 'files'}, ${formatByteCount(bytes)}`;
}

/** The row details of the phases before and after the files move (English, as the log and the CLI print them). */
export const ROW_DETAIL = {
  readingDevice: 'reading the device…',
  waitingForTrust: 'Unlock the device, tap "Trust" and enter its passcode.',
  checking: 'checking the backup and the device…',
  preparing: 'preparing…',
  waitingForDevice: 'waiting for the device…',
  finishing: 'finishing…',
  restarting: 'waiting for the device to restart…',
  notBack: (minutes: number): string =>
    `The device did not come back within ${minutes} minutes of the restart; check that it started up and is connected before the next steps.`,
  notWaited: 'Stopped waiting for the device to restart; check that it started up before the next steps.',
} as const;

/** A restore's next steps as one list: each step, then its details. */
export function flattenSteps(steps: readonly PostRestoreStep[]): LocalizedText[] {
  return steps.flatMap((s) => [s.text, ...s.details]);
}
