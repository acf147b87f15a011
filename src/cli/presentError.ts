import {
  isCancelledError,
  isDeviceToolError,
  isUsageError,
} from '../common/errors';
import { fileSystemErrorCode, fileSystemErrorSentence } from '../common/fileSystemErrorText';

/** Exit codes fixed by the CLI contract. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Turns any thrown value into the one sentence the CLI prints and the exit code it returns. */
export function presentError(err: unknown): { line: string; exitCode: number } {
  if (isUsageError(err)) return { line: err.message, exitCode: EXIT_USAGE };
  if (isCancelledError(err)) return { line: err.message, exitCode: EXIT_FAILED };
  if (isDeviceToolError(err)) return { line: err.message, exitCode: EXIT_FAILED };
  // A file-system failure nobody wrapped still gets a sentence that says what it means, not "ENOENT: …".
  if (fileSystemErrorCode(err) !== undefined) return { line: fileSystemErrorSentence(err), exitCode: EXIT_FAILED };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `Unexpected failure: ${message}`, exitCode: EXIT_FAILED };
}
