import { OncePerInterval } from '../util/oncePerInterval';

/**
 * How often one operation may raise the "enter the passcode" notification. The device posts its prompt
 * notification every time the prompt is presented, and a device that keeps re-presenting it would otherwise
 * stack one notification per post.
 */
export const PASSCODE_NOTICE_INTERVAL_MS = 30_000;

/** The throttle for one backup's or restore's passcode notifications (a new operation shows its first at once). */
export function passcodePromptThrottle(now?: () => number): OncePerInterval {
  return new OncePerInterval(PASSCODE_NOTICE_INTERVAL_MS, now);
}
