import { CancelledError } from './errors';

/**
 * The core's cancellation type: structurally satisfied by a vscode.CancellationToken,
 * and convertible from an AbortSignal (CLI Ctrl-C).
 */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A token that never cancels. */
export const neverCancelled: CancellationTokenLike = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => undefined }),
};

/** Adapts an AbortSignal to the core's token type. */
export function tokenFromAbortSignal(signal: AbortSignal): CancellationTokenLike {
  return {
    get isCancellationRequested() {
      return signal.aborted;
    },
    onCancellationRequested(listener) {
      signal.addEventListener('abort', listener, { once: true });
      return { dispose: () => signal.removeEventListener('abort', listener) };
    },
  };
}

/** Throws CancelledError when the token has been cancelled. */
export function throwIfCancelled(token: CancellationTokenLike | undefined, operation: string): void {
  if (token?.isCancellationRequested) throw new CancelledError(operation);
}

/**
 * Why a signal aborted, as an Error to reject with: the reason given to abort(), or the AbortError an abort()
 * without one leaves (an Error too); anything else a caller aborted with is wrapped so rejections stay Errors.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`Aborted: ${String(reason)}`);
}
