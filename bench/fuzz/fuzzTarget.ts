import type * as fc from 'fast-check';

/**
 * One decoder under fuzzing: how to generate its untrusted input (mutations of real, valid samples plus
 * random structure) and how to feed one input to it the way the product does.
 */
export interface FuzzTarget<T = unknown> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Decodes one input; a documented error of the decoder is a normal outcome, anything else a crash. */
  run(input: T): unknown;
  /** Cases the fixed-seed slice in the unit tests runs (slow decoders take fewer). */
  readonly sliceCases?: number;
  /** Cases a full `npm run fuzz` runs when no --cases is given (slow decoders take fewer). */
  readonly fullCases?: number;
  /** Errors the decoder documents beyond the product's own DeviceToolError family. */
  isDocumentedError?(error: unknown): boolean;
  /** Shows an input in a failure report (bytes as hex); default JSON-ish. */
  describe?(input: T): string;
  /** Frees sockets, servers and folders the target opened. */
  close?(): Promise<void>;
}

/** Creates a target (which may start servers or write sample files first). */
export type FuzzTargetFactory = () => Promise<FuzzTarget<unknown>> | FuzzTarget<unknown>;

/** Bytes as hex for a failure report, cut to keep reports readable. */
export function hexOf(bytes: Uint8Array, max = 512): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return hex.length > max * 2 ? `${hex.slice(0, max * 2)}… (${bytes.byteLength} bytes)` : hex;
}
