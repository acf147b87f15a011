import { compareIosVersions } from '../../common/iosVersion';
import { BackupRequestFailure } from './mobileBackupErrors';
import type { VirtualDevice } from '../virtualDevice';

/** Notifications a device posts while its passcode prompt is on screen (docs/protocol/other-services.md#notification-proxy). */
export const PASSCODE_PROMPT_NOTIFICATION = {
  presented: 'com.apple.LocalAuthentication.ui.presented',
  dismissed: 'com.apple.LocalAuthentication.ui.dismissed',
} as const;

/** First iOS version that asks for the passcode before a backup or restore (lid#1380). */
const PROMPT_SINCE_IOS = '16.1';

/** What the prompt is for, as the device words it on screen. */
export type PasscodePurpose = 'backup' | 'restore';

/** How the prompt ended: not needed, the passcode was typed, or nobody typed it in time. */
export type PasscodePromptOutcome = { kind: 'not-needed' } | { kind: 'entered'; afterMs: number } | { kind: 'timed-out'; waitedMs: number };

const PURPOSE_TEXT: Record<PasscodePurpose, string> = { backup: 'Back Up to Computer', restore: 'Restore from Computer' };

/**
 * The iOS 16.1+ passcode prompt before a backup or restore on a device with a passcode: posts
 * LocalAuthentication ui.presented, waits until the simulated person types the passcode
 * (scenario `passcode.enteredAfterMs`, or earlier through SimulatorControl `enter-passcode`) or the
 * prompt times out (`passcode.timeoutMs`), then posts
 * ui.dismissed. The device sends nothing to the host meanwhile, as a real one does.
 */
export async function showPasscodePrompt(device: VirtualDevice, purpose: PasscodePurpose): Promise<PasscodePromptOutcome> {
  const spec = device.spec;
  if (!spec.passcode.set || compareIosVersions(spec.productVersion, PROMPT_SINCE_IOS) < 0) return { kind: 'not-needed' };
  const { enteredAfterMs, timeoutMs } = spec.passcode;
  const entered = enteredAfterMs !== null && enteredAfterMs < timeoutMs;
  const waitMs = entered ? enteredAfterMs : timeoutMs;
  device.notifications.post(PASSCODE_PROMPT_NOTIFICATION.presented);
  device.log.write('SpringBoard', undefined, 'Notice', `Presenting the passcode prompt for "${PURPOSE_TEXT[purpose]}"`, 'LocalAuthentication');
  device.log.write('BackupAgent2', undefined, 'Notice', 'Waiting for the passcode to be entered on the device');
  // The person may also type it earlier, when a program says so (SimulatorControl "enter-passcode").
  const shownAt = Date.now();
  const prompt = device.passcodeTyped();
  const typedEarly = await Promise.race([delay(waitMs).then(() => false), prompt.typed.then(() => true)]);
  prompt.done();
  const accepted = entered || typedEarly;
  device.notifications.post(PASSCODE_PROMPT_NOTIFICATION.dismissed);
  device.log.write('SpringBoard', undefined, 'Notice', accepted ? 'Passcode accepted; dismissing the prompt' : 'Dismissing the passcode prompt: no passcode was entered', 'LocalAuthentication');
  return accepted ? { kind: 'entered', afterMs: Date.now() - shownAt } : { kind: 'timed-out', waitedMs: waitMs };
}

/** For a Backup request: shows the prompt when one is due and ends the request with 208 "Device locked" when nobody answers it. */
export async function requirePasscodeForBackup(device: VirtualDevice): Promise<void> {
  const outcome = await showPasscodePrompt(device, 'backup');
  if (outcome.kind === 'timed-out') throw new BackupRequestFailure(208, 'Device locked');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    // Unreferenced: a device waiting at its prompt must not keep a stopping simulator alive.
    setTimeout(resolve, ms).unref();
  });
}
