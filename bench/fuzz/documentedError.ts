import { DeviceToolError } from '../../src/common/errors';

/** Error classes that are bugs when they reach a caller, even wrapped as the cause of a product error. */
const CRASH_TYPES: readonly (abstract new (...args: never[]) => Error)[] = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError];

/** Most causes followed; a cause chain longer than this is itself suspicious. */
const MAX_CAUSE_DEPTH = 16;

/**
 * Why an error thrown by a decoder counts as a crash, or undefined when it is one the decoder documents:
 * a product error (DeviceToolError family) or one the target names, with no built-in TypeError/RangeError/…
 * anywhere in its cause chain (a parser that wraps its own TypeError into a tidy sentence still has a bug).
 */
export function crashReason(error: unknown, isDocumented?: (error: unknown) => boolean): string | undefined {
  const documented = error instanceof DeviceToolError || (isDocumented?.(error) ?? false);
  if (!documented) return `${describeError(error)} escaped the decoder`;
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSE_DEPTH; depth++) {
    if (CRASH_TYPES.some((type) => cause instanceof type)) return `${describeError(error)} wraps ${describeError(cause)}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** "TypeError: message" plus the first stack frames, for a failure report. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error} (${String(error).slice(0, 200)})`;
  const frames = (error.stack ?? '').split('\n').slice(1, 5).map((line) => line.trim()).join(' | ');
  return `${error.name}: ${error.message.slice(0, 300)}${frames ? ` [${frames}]` : ''}`;
}
