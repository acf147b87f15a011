import type { CancellationTokenLike } from './cancellation';

/** A token that cancels when its parent does or when cancel() is called (e.g. the device asked to stop). */
export interface LinkedCancellation {
  readonly token: CancellationTokenLike;
  cancel(): void;
  dispose(): void;
}

/** Creates a token linked to `parent`. */
export function linkedCancellation(parent: CancellationTokenLike | undefined): LinkedCancellation {
  let cancelled = false;
  const listeners = new Set<() => void>();
  const cancel = (): void => {
    if (cancelled) return;
    cancelled = true;
    for (const listener of [...listeners]) listener();
    listeners.clear();
  };
  const parentSubscription = parent?.onCancellationRequested(cancel);
  if (parent?.isCancellationRequested) cancel();
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(listener) {
        if (cancelled) {
          listener();
          return { dispose: () => undefined };
        }
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    },
    cancel,
    dispose: () => {
      parentSubscription?.dispose();
      listeners.clear();
    },
  };
}
