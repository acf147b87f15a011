import * as fc from 'fast-check';

/** One edit of a sample: kind, two position/amount numbers, and bytes to insert or write. */
type Mutation = readonly [kind: number, a: number, b: number, bytes: Uint8Array];

const INTERESTING_BYTES = [0x00, 0x01, 0x0f, 0x10, 0x1f, 0x20, 0x3c, 0x5c, 0x7f, 0x80, 0xa0, 0xd0, 0xef, 0xfe, 0xff];
const INTERESTING_WORDS = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x400000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const MUTATION_KINDS = 10;

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.integer({ min: 0, max: MUTATION_KINDS - 1 }),
  fc.nat(),
  fc.nat(),
  fc.uint8Array({ maxLength: 24 }),
);

/**
 * Inputs made by editing real, valid samples a few times (bit flips, interesting bytes and lengths,
 * insertions, deletions, repeats, truncation, splices of two samples): they get past the first checks
 * a decoder makes, which random bytes rarely do. The edits shrink, so a failure reduces to few of them.
 */
export function mutatedBytes(samples: readonly Buffer[], maxMutations = 8): fc.Arbitrary<Buffer> {
  if (samples.length === 0) throw new RangeError('mutatedBytes needs at least one sample.');
  return fc
    .tuple(fc.nat(samples.length - 1), fc.array(mutation, { minLength: 1, maxLength: maxMutations }))
    .map(([index, mutations]) => mutations.reduce<Buffer>((bytes, m) => applyMutation(bytes, m, samples), Buffer.from(samples[index])));
}

/** Random bytes, for decoders that must refuse garbage quickly. */
export function randomBytes(maxLength = 256): fc.Arbitrary<Buffer> {
  return fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes));
}

function applyMutation(input: Buffer, [kind, a, b, bytes]: Mutation, samples: readonly Buffer[]): Buffer {
  const length = input.length;
  const at = length === 0 ? 0 : a % length;
  const insertAt = a % (length + 1);
  switch (kind) {
    case 0: {
      if (length === 0) return Buffer.from(bytes);
      const out = Buffer.from(input);
      out[at] ^= 1 << (b % 8);
      return out;
    }
    case 1: {
      if (length === 0) return Buffer.of(INTERESTING_BYTES[b % INTERESTING_BYTES.length]);
      const out = Buffer.from(input);
      out[at] = INTERESTING_BYTES[b % INTERESTING_BYTES.length];
      return out;
    }
    case 2: {
      // A length or count field set to an edge value, big- or little-endian (the protocols use both).
      if (length < 4) return input;
      const out = Buffer.from(input);
      const words = [...INTERESTING_WORDS, length, length - 1, length + 1];
      const value = words[(b >>> 1) % words.length] >>> 0;
      const pos = a % (length - 3);
      if (b & 1) out.writeUInt32LE(value, pos);
      else out.writeUInt32BE(value, pos);
      return out;
    }
    case 3:
      return Buffer.concat([input.subarray(0, insertAt), bytes, input.subarray(insertAt)]);
    case 4:
      return Buffer.concat([input.subarray(0, at), input.subarray(at + 1 + (b % 64))]);
    case 5: {
      const piece = input.subarray(at, at + 1 + (b % 64));
      return Buffer.concat([input.subarray(0, at), piece, piece, input.subarray(at)]);
    }
    case 6:
      return input.subarray(0, insertAt);
    case 7: {
      const other = samples[b % samples.length];
      return Buffer.concat([input.subarray(0, insertAt), other.subarray(other.length === 0 ? 0 : a % other.length)]);
    }
    case 8: {
      const out = Buffer.from(input);
      out.set(bytes.subarray(0, Math.max(0, length - at)), at);
      return out;
    }
    default: {
      // A short run repeated many times: floods of empty blocks, nested openings, repeated records.
      const unit = bytes.length > 0 ? bytes.subarray(0, 1 + (b % 8)) : input.subarray(at, at + 1 + (b % 8));
      if (unit.length === 0) return input;
      const repeats = 1 + ((b >>> 3) % 4096);
      return Buffer.concat([input.subarray(0, insertAt), Buffer.alloc(unit.length * repeats, unit), input.subarray(insertAt)]);
    }
  }
}
