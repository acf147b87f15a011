import { BackupError, errorGuard } from '../common/errors';
import type { RestorePreflightResult } from './restorePreflight';

/** A restore check failed, so the restore did not start and nothing was sent to the device. */
export class RestorePreflightError extends BackupError {
  constructor(readonly preflight: RestorePreflightResult) {
    const failed = preflight.checks.filter((c) => c.status === 'fail');
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more failed ${failed.length === 2 ? 'check' : 'checks'})` : '';
    super(
      first
        ? `The restore did not start because a check failed: ${first.sentence.en.replace(/\.$/, '')}${more}.`
        : 'The restore did not start because a check failed.',
      'restore.preflight-failed',
    );
    this.name = 'RestorePreflightError';
  }
}

/** True when the error is a RestorePreflightError. */
export const isRestorePreflightError = errorGuard(RestorePreflightError);
