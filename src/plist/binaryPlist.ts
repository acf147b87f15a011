import { PLIST_MAX_DEPTH, PLIST_MAX_OBJECTS } from './limits';
import { asPlistFormatError, PlistFormatError } from './plistFormatError';
import { isPlistDict, PLIST_INTEGER_MAX, PLIST_INTEGER_MIN, plistIntegerOf, plistIntegerValue, PlistReal, PlistUid, setPlistEntry, type PlistDict, type PlistValue } from './types';

const MAGIC = 'bplist00';
const TRAILER_SIZE = 32;
/** Binary plist dates count seconds from 2001-01-01T00:00:00Z (Core Foundation's reference date). */
const REFERENCE_DATE_MS = Date.UTC(2001, 0, 1);

/** Parses a "bplist00" binary property list; throws PlistFormatError on anything malformed. */
export function parseBinaryPlist(buf: Buffer): PlistValue {
  try {
    return new BinaryPlistReader(buf).readTop();
  } catch (error) {
    throw asPlistFormatError(error, 'binary');
  }
}

/** Writes a value as a "bplist00" binary property list with minimal integer, offset and reference widths. */
export function buildBinaryPlist(value: PlistValue): Buffer {
  return new BinaryPlistWriter().build(value);
}

// ---------------------------------------------------------------------------------------------
// Reading

function fail(reason: string): never {
  throw new PlistFormatError(`The binary property list is malformed: ${reason}.`);
}

/**
 * Reads objects on demand from the offset table. Every read is bounds-checked against the object
 * area (between the header and the offset table); containers on the current path are marked to
 * refuse cycles, and every produced value counts against the object limit so that shared
 * references cannot expand a small file into an enormous tree. Containers are rebuilt at each
 * reference (callers get a tree, never a graph); leaves are decoded once and reused.
 */
class BinaryPlistReader {
  private readonly offsetSize: number;
  private readonly refSize: number;
  private readonly objectCount: number;
  private readonly topObject: number;
  private readonly tableOffset: number;
  private readonly onPath: Uint8Array;
  private readonly leaves: Array<PlistValue | undefined>;
  /**
   * Most values this input may produce. Every value of a tree is reached through its own reference
   * slot (at least one byte of the file), and Apple's and our writers never share containers, so a real
   * file yields fewer values than it has bytes; a crafted 200-byte file of arrays that each hold the
   * next one twice would otherwise expand to millions of values (seconds of CPU, hundreds of MB).
   */
  private readonly valueBudget: number;
  private produced = 0;

  constructor(private readonly buf: Buffer) {
    if (buf.length < MAGIC.length + 2 + TRAILER_SIZE) fail('it is too short');
    if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) fail('the header is not "bplist00"');
    const trailer = buf.length - TRAILER_SIZE;
    this.offsetSize = buf[trailer + 6];
    this.refSize = buf[trailer + 7];
    if (this.offsetSize < 1 || this.offsetSize > 8) fail('the offset size in the trailer is not 1–8');
    if (this.refSize < 1 || this.refSize > 8) fail('the object reference size in the trailer is not 1–8');
    this.objectCount = this.readUnsigned(trailer + 8, 8, trailer + TRAILER_SIZE);
    this.topObject = this.readUnsigned(trailer + 16, 8, trailer + TRAILER_SIZE);
    this.tableOffset = this.readUnsigned(trailer + 24, 8, trailer + TRAILER_SIZE);
    if (this.objectCount < 1) fail('it holds no objects');
    if (this.objectCount > PLIST_MAX_OBJECTS) fail(`it holds more than ${PLIST_MAX_OBJECTS} objects`);
    if (this.topObject >= this.objectCount) fail('the top object is out of range');
    if (this.tableOffset < MAGIC.length + 1 || this.tableOffset > trailer || (trailer - this.tableOffset) / this.offsetSize < this.objectCount) {
      fail('the offset table lies outside the file');
    }
    this.onPath = new Uint8Array(this.objectCount);
    this.leaves = new Array<PlistValue | undefined>(this.objectCount);
    this.valueBudget = Math.min(PLIST_MAX_OBJECTS, buf.length);
  }

  readTop(): PlistValue {
    return this.readObject(this.topObject, 0);
  }

  /** Big-endian unsigned integer of 1–16 bytes that must end by `limit` and be a safe JS integer. */
  private readUnsigned(pos: number, size: number, limit = this.tableOffset): number {
    this.need(pos, size, limit);
    let value = 0;
    for (let i = 0; i < size; i++) {
      value = value * 256 + this.buf[pos + i];
      if (value > Number.MAX_SAFE_INTEGER) fail('a size or offset is too large');
    }
    return value;
  }

  private need(pos: number, length: number, limit = this.tableOffset): void {
    if (pos < 0 || length < 0 || pos + length > limit) fail('an object extends past its area');
  }

  private objectOffset(ref: number): number {
    if (ref >= this.objectCount) fail('an object reference is out of range');
    const offset = this.readUnsigned(this.tableOffset + ref * this.offsetSize, this.offsetSize, this.buf.length - TRAILER_SIZE);
    if (offset < MAGIC.length || offset >= this.tableOffset) fail('an object offset is out of range');
    return offset;
  }

  private readObject(ref: number, depth: number): PlistValue {
    if (++this.produced > this.valueBudget) fail(`shared references expand it to more than ${this.valueBudget} values`);
    const cached = this.leaves[ref];
    if (cached !== undefined) return cached;
    const pos = this.objectOffset(ref);
    const marker = this.buf[pos];
    const type = marker >> 4;
    const info = marker & 0x0f;
    if (type === 0xa || type === 0xd) return this.readContainer(ref, pos, type === 0xd, depth + 1);
    const value = this.readLeaf(pos, type, info);
    this.leaves[ref] = value;
    return value;
  }

  private readLeaf(pos: number, type: number, info: number): PlistValue {
    const buf = this.buf;
    switch (type) {
      case 0x0:
        if (info === 0x8 || info === 0x9) return info === 0x9;
        return fail(`the marker 0x${info.toString(16).padStart(2, '0')} (null or fill) is not supported`);
      case 0x1:
        return this.readInteger(pos + 1, info);
      case 0x2:
        if (info !== 2 && info !== 3) fail('a real is not 4 or 8 bytes');
        this.need(pos + 1, 1 << info);
        return info === 2 ? buf.readFloatBE(pos + 1) : buf.readDoubleBE(pos + 1);
      case 0x3: {
        if (info !== 3) fail('a date is not 8 bytes');
        this.need(pos + 1, 8);
        const date = new Date(REFERENCE_DATE_MS + Math.round(buf.readDoubleBE(pos + 1) * 1000));
        if (Number.isNaN(date.getTime())) fail('a date is out of range');
        return date;
      }
      case 0x4: {
        const [start, length] = this.readLength(pos, info);
        this.need(start, length);
        return Buffer.from(buf.subarray(start, start + length));
      }
      case 0x5: {
        const [start, length] = this.readLength(pos, info);
        this.need(start, length);
        return buf.toString('latin1', start, start + length);
      }
      case 0x6: {
        const [start, units] = this.readLength(pos, info);
        this.need(start, units * 2);
        // Node has no UTF-16BE decoder; swap a copy into little-endian order.
        return Buffer.from(buf.subarray(start, start + units * 2)).swap16().toString('utf16le');
      }
      case 0x8:
        return new PlistUid(this.readUnsigned(pos + 1, info + 1));
      default:
        return fail(`the object marker 0x${((type << 4) | info).toString(16).padStart(2, '0')} is not known`);
    }
  }

  /** 1, 2 and 4-byte ints are unsigned, 8-byte ints signed, 16-byte ints signed 128-bit (Apple writes uint64 values above int64 this way). */
  private readInteger(pos: number, info: number): number | bigint {
    if (info > 4) fail('an integer is wider than 16 bytes');
    const size = 1 << info;
    this.need(pos, size);
    if (size <= 4) return this.buf.readUIntBE(pos, size);
    let value = this.buf.readBigInt64BE(pos);
    if (size === 16) {
      value = (value << 64n) | this.buf.readBigUInt64BE(pos + 8);
      if (value < PLIST_INTEGER_MIN || value > PLIST_INTEGER_MAX) fail('a 128-bit integer is out of the 64-bit range');
    }
    return plistIntegerValue(value);
  }

  /** A count from the marker's low nibble, or from the int object that follows when the nibble is 0xF. */
  private readLength(pos: number, info: number): [start: number, length: number] {
    if (info !== 0xf) return [pos + 1, info];
    this.need(pos + 1, 1);
    const marker = this.buf[pos + 1];
    if (marker >> 4 !== 0x1 || (marker & 0x0f) > 3) fail('a length is not followed by an integer of 1–8 bytes');
    const size = 1 << (marker & 0x0f);
    return [pos + 2 + size, this.readUnsigned(pos + 2, size)];
  }

  private readContainer(ref: number, pos: number, isDict: boolean, depth: number): PlistValue {
    if (this.onPath[ref]) fail('a container contains itself');
    if (depth > PLIST_MAX_DEPTH) fail(`containers are nested deeper than ${PLIST_MAX_DEPTH} levels`);
    const [start, count] = this.readLength(pos, this.buf[pos] & 0x0f);
    const refCount = isDict ? count * 2 : count;
    if (refCount > (this.tableOffset - start) / this.refSize) fail('a container extends past its area');
    const childRef = (i: number): number => this.readUnsigned(start + i * this.refSize, this.refSize);
    this.onPath[ref] = 1;
    let result: PlistValue;
    if (isDict) {
      const dict: PlistDict = {};
      for (let i = 0; i < count; i++) {
        const key = this.readObject(childRef(i), depth);
        if (typeof key !== 'string') fail('a dictionary key is not a string');
        setPlistEntry(dict, key, this.readObject(childRef(count + i), depth));
      }
      result = dict;
    } else {
      const items: PlistValue[] = [];
      for (let i = 0; i < count; i++) items.push(this.readObject(childRef(i), depth));
      result = items;
    }
    this.onPath[ref] = 0;
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * One object of the output: its marker (and for small values all) bytes, the payload of data and
 * strings kept uncopied, and child indices for containers (written once the reference width is known).
 */
interface PendingObject {
  head: Buffer;
  body?: Buffer;
  refs?: number[];
}

class BinaryPlistWriter {
  private readonly objects: PendingObject[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly ancestors = new Set<object>();

  build(value: PlistValue): Buffer {
    const top = this.add(value);
    const refSize = byteWidth(this.objects.length - 1);
    const offsets: number[] = [];
    let end = MAGIC.length;
    for (const object of this.objects) {
      offsets.push(end);
      end += object.head.length + (object.body?.length ?? 0) + (object.refs?.length ?? 0) * refSize;
    }
    const offsetSize = byteWidth(offsets[offsets.length - 1]);
    const out = Buffer.alloc(end + offsets.length * offsetSize + TRAILER_SIZE);
    out.write(MAGIC, 0, 'latin1');
    this.objects.forEach((object, i) => {
      let pos = offsets[i] + object.head.copy(out, offsets[i]);
      if (object.body) pos += object.body.copy(out, pos);
      for (const ref of object.refs ?? []) pos = writeUnsigned(out, ref, pos, refSize);
      writeUnsigned(out, offsets[i], end + i * offsetSize, offsetSize);
    });
    const trailer = out.length - TRAILER_SIZE;
    out[trailer + 6] = offsetSize;
    out[trailer + 7] = refSize;
    out.writeBigUInt64BE(BigInt(this.objects.length), trailer + 8);
    out.writeBigUInt64BE(BigInt(top), trailer + 16);
    out.writeBigUInt64BE(BigInt(end), trailer + 24);
    return out;
  }

  /** Appends the value (children after their container) and returns its object index. */
  private add(value: PlistValue): number {
    if (typeof value === 'string') {
      // Equal strings (dictionary keys above all) share one object, as Apple's writer does.
      const known = this.stringIndex.get(value);
      if (known !== undefined) return known;
      this.stringIndex.set(value, this.objects.length);
      return this.objects.push(encodeString(value)) - 1;
    }
    if (Buffer.isBuffer(value)) return this.objects.push({ head: withLength(0x4, value.length), body: value }) - 1;
    if (Array.isArray(value) || isPlistDict(value)) return this.addContainer(value);
    return this.objects.push({ head: encodeLeaf(value) }) - 1;
  }

  private addContainer(value: PlistValue[] | PlistDict): number {
    if (this.ancestors.has(value)) throw new TypeError('A property list cannot contain itself.');
    this.ancestors.add(value);
    const object: PendingObject = { head: Buffer.alloc(0), refs: [] };
    const index = this.objects.push(object) - 1;
    if (Array.isArray(value)) {
      object.head = withLength(0xa, value.length);
      object.refs = value.map((item) => this.add(item));
    } else {
      const keys = Object.keys(value);
      object.head = withLength(0xd, keys.length);
      object.refs = [...keys.map((key) => this.add(key)), ...keys.map((key) => this.add(value[key]))];
    }
    this.ancestors.delete(value);
    return index;
  }
}

function encodeLeaf(value: PlistValue): Buffer {
  if (typeof value === 'boolean') return Buffer.of(value ? 0x09 : 0x08);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const integer = plistIntegerOf(value);
    return integer === undefined ? encodeReal(Number(value)) : encodeInteger(integer);
  }
  if (value instanceof PlistReal) return encodeReal(value.value);
  if (value instanceof PlistUid) return encodeUid(value.value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('An invalid Date cannot be written to a property list.');
    const out = Buffer.alloc(9);
    out[0] = 0x33;
    out.writeDoubleBE((value.getTime() - REFERENCE_DATE_MS) / 1000, 1);
    return out;
  }
  throw new TypeError(`A ${value === null ? 'null' : typeof value} value cannot be written to a property list.`);
}

/** ASCII strings as 0x5 (one byte a character), everything else as 0x6 UTF-16BE counted in code units. */
function encodeString(text: string): PendingObject {
  if (/^[\x00-\x7f]*$/.test(text)) return { head: withLength(0x5, text.length), body: Buffer.from(text, 'latin1') };
  return { head: withLength(0x6, text.length), body: Buffer.from(text, 'utf16le').swap16() };
}

function encodeReal(value: number): Buffer {
  const out = Buffer.alloc(9);
  out[0] = 0x23;
  out.writeDoubleBE(value, 1);
  return out;
}

/** Smallest of 1, 2, 4 bytes for non-negative values; negatives take 8 bytes and values above int64 16, as Apple writes them. */
function encodeInteger(value: bigint): Buffer {
  if (value < PLIST_INTEGER_MIN || value > PLIST_INTEGER_MAX) throw new RangeError(`The integer ${value} does not fit in a property list.`);
  if (value >= 0n && value <= 0xffffffffn) {
    const size = byteWidth(Number(value));
    const out = Buffer.alloc(1 + size);
    out[0] = 0x10 | Math.log2(size);
    out.writeUIntBE(Number(value), 1, size);
    return out;
  }
  if (value <= 0x7fffffffffffffffn) {
    const out = Buffer.alloc(9);
    out[0] = 0x13;
    out.writeBigInt64BE(value, 1);
    return out;
  }
  const out = Buffer.alloc(17);
  out[0] = 0x14;
  out.writeBigUInt64BE(value, 9);
  return out;
}

function encodeUid(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`The UID ${value} is not a non-negative integer.`);
  const size = value > 0xffffffff ? 8 : byteWidth(value);
  const out = Buffer.alloc(1 + size);
  out[0] = 0x80 | (size - 1);
  if (size === 8) out.writeBigUInt64BE(BigInt(value), 1);
  else out.writeUIntBE(value, 1, size);
  return out;
}

/** A type marker with its count: in the low nibble when below 15, else nibble 0xF and an int object. */
function withLength(type: number, length: number): Buffer {
  if (length < 15) return Buffer.of((type << 4) | length);
  return Buffer.concat([Buffer.of((type << 4) | 0x0f), encodeInteger(BigInt(length))]);
}

/** Writes an unsigned value of 1, 2, 4 or 8 bytes big-endian (writeUIntBE stops at 6) and returns the next position. */
function writeUnsigned(out: Buffer, value: number, pos: number, size: number): number {
  return size === 8 ? out.writeBigUInt64BE(BigInt(value), pos) : out.writeUIntBE(value, pos, size);
}

/** Bytes (1, 2, 4 or 8) needed for an unsigned value; readers commonly expect only these widths. */
function byteWidth(value: number): number {
  if (value <= 0xff) return 1;
  if (value <= 0xffff) return 2;
  if (value <= 0xffffffff) return 4;
  return 8;
}
