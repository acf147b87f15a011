import { errorGuard, ProtocolError } from '../common/errors';

/** Bytes that were meant to be a property list are not one (malformed, truncated, out of limits, wrong shape). */
export class PlistFormatError extends ProtocolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'plist', options);
    this.name = 'PlistFormatError';
  }
}

/** True when the error is a PlistFormatError. */
export const isPlistFormatError = errorGuard(PlistFormatError);

/**
 * Turns anything a parser threw into a PlistFormatError: the parsers promise callers that
 * untrusted bytes never surface as a RangeError or TypeError, even through a bug of ours.
 */
export function asPlistFormatError(error: unknown, format: string): PlistFormatError {
  if (error instanceof PlistFormatError) return error;
  return new PlistFormatError(`The ${format} property list could not be read.`, { cause: error });
}
