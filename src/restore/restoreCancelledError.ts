import { CancelledError } from '../common/errors';

/** The user cancelled a restore; the message says whether the device was already changed. */
export class RestoreCancelledError extends CancelledError {
  constructor(readonly deviceTouched: boolean) {
    super('Restore');
    this.message = deviceTouched
      ? 'Restore was cancelled after the device had started restoring, so it may be only partly restored; run the same restore again before using it.'
      : 'Restore was cancelled before anything was sent to the device.';
    this.name = 'RestoreCancelledError';
  }
}

/** True when the error is a RestoreCancelledError. */
export const isRestoreCancelledError = (e: unknown): e is RestoreCancelledError => e instanceof RestoreCancelledError;
