import type { CancellationTokenLike } from '../common/cancellation';

/** How a wait for a restarting device ended. */
export type RestartWaitOutcome = 'back' | 'not-back' | 'cancelled';

/** How the wait looks and how long it lasts. */
export interface RestartWaitOptions {
  /** The UDIDs attached now (usbmuxd's device list); a failed listing counts as "not seen". */
  attachedUdids: () => Promise<string[]>;
  udid: string;
  token: CancellationTokenLike;
  /** Longest wait in all (a real iPhone restarts in about a minute). */
  timeoutMs: number;
  pollMs: number;
}

/**
 * Waits until a device that was told to restart has left usbmuxd's device list and come back, polling the
 * list (bounded by `timeoutMs`). Leaving first matters: a real device stays listed for a few seconds after
 * the restore before it goes down, and "still listed" must not read as "back". The poll ends at once on cancellation.
 */
export async function waitForDeviceRestart(options: RestartWaitOptions): Promise<RestartWaitOutcome> {
  const wanted = options.udid.replace(/-/g, '').toLowerCase();
  const deadline = Date.now() + options.timeoutMs;
  let left = false;
  for (;;) {
    if (options.token.isCancellationRequested) return 'cancelled';
    const listed = await options.attachedUdids().then(
      (udids) => udids.some((u) => u.replace(/-/g, '').toLowerCase() === wanted),
      () => false,
    );
    if (!listed) left = true;
    else if (left) return 'back';
    const remaining = deadline - Date.now();
    if (remaining <= 0) return 'not-back';
    if (await pause(Math.min(options.pollMs, remaining), options.token)) return 'cancelled';
  }
}

/** Waits `ms`, or less when the token cancels; true when it did. */
function pause(ms: number, token: CancellationTokenLike): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(false);
    }, ms);
    const subscription = token.onCancellationRequested(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
