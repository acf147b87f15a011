import { KeybagCorruptError } from './cryptoErrors';

/*
 * The backup keybag (Manifest.plist BackupKeyBag) as a sequence of TLV records: 4-byte ASCII tag,
 * u32be length, value. Header records come first; the first UUID is the keybag's own, and every later
 * UUID (or a CLAS when the open class already has one) starts the next class-key block.
 */

/** WRAP bit: the class key is wrapped with the device's hardware key (cannot be unwrapped off-device). */
export const KEYBAG_WRAP_DEVICE = 1;
/** WRAP bit: the class key is wrapped with the key derived from the backup password. */
export const KEYBAG_WRAP_PASSCODE = 2;
/** KTYP value of an AES class key (the kind backup keybags hold). */
export const KEYBAG_KEY_TYPE_AES = 0;
/** KTYP value of a Curve25519 class key (needs an ECDH step nobody off-device performs). */
export const KEYBAG_KEY_TYPE_CURVE25519 = 1;
/**
 * Highest DPIC (PBKDF2-HMAC-SHA256 stage) accepted from a keybag. Real bags use 10,000,000 (about two
 * seconds); a hostile value in the billions would pin a CPU for minutes before the password could be checked.
 */
export const KEYBAG_MAX_SHA256_ITERATIONS = 100_000_000;
/**
 * Highest ITER (PBKDF2-HMAC-SHA1 stage) accepted from a keybag. Real bags use 10,000; each stage has its own
 * cap so the SHA-1 stage cannot add another 100,000,000 rounds after the SHA-256 one.
 */
export const KEYBAG_MAX_SHA1_ITERATIONS = 1_000_000;

const TAG_BYTES = 4;
const LENGTH_BYTES = 4;
const UUID_BYTES = 16;
const INTEGER_BYTES = 4;
const TAG_PATTERN = /^[A-Z0-9]{4}$/;

/** One TLV record of a keybag. */
export interface KeybagRecord {
  readonly tag: string;
  readonly value: Buffer;
}

/** Keybag-wide records. SALT/ITER always exist; DPSL/DPIC only in iOS 10.2+ backups. */
export interface KeybagHeader {
  /** VERS: keybag format version. */
  readonly version?: number;
  /** TYPE: 1 for a backup keybag (upper bits may carry flags). */
  readonly type?: number;
  /** UUID: the keybag's own identifier (16 bytes). */
  readonly uuid?: Buffer;
  /** HMCK: wrapped HMAC key of the keybag signature (unused for backups). */
  readonly hmacKey?: Buffer;
  /** WRAP: keybag-level wrap type. */
  readonly wrap?: number;
  /** SALT: salt of the PBKDF2-HMAC-SHA1 stage. */
  readonly salt: Buffer;
  /** ITER: iteration count of the PBKDF2-HMAC-SHA1 stage. */
  readonly iterations: number;
  /** DPWT: present in iOS 10.2+ bags; not interpreted. */
  readonly dpWrap?: number;
  /** DPIC: iteration count of the PBKDF2-HMAC-SHA256 stage. */
  readonly dpIterations?: number;
  /** DPSL: salt of the PBKDF2-HMAC-SHA256 stage. */
  readonly dpSalt?: Buffer;
}

/** One class-key block of a keybag. */
export interface KeybagClassKey {
  /** UUID: the class block's identifier. */
  readonly uuid?: Buffer;
  /** CLAS: the data-protection class number (1–11 in backups). */
  readonly protectionClass: number;
  /** WRAP: KEYBAG_WRAP_DEVICE / KEYBAG_WRAP_PASSCODE bits. */
  readonly wrap: number;
  /** KTYP: key type; absent in old bags, which means AES. */
  readonly keyType?: number;
  /** WPKY: the wrapped class key (40 bytes for an AES key). */
  readonly wrappedKey: Buffer;
  /** PBKY: public key of a Curve25519 class. */
  readonly publicKey?: Buffer;
}

/** A parsed backup keybag. */
export interface BackupKeybag {
  readonly header: KeybagHeader;
  readonly classKeys: readonly KeybagClassKey[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Splits keybag bytes into TLV records; a record that runs past the end is a KeybagCorruptError. */
export function readKeybagRecords(bytes: Uint8Array): KeybagRecord[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0) throw new KeybagCorruptError('it is empty');
  const records: KeybagRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < TAG_BYTES + LENGTH_BYTES) {
      throw new KeybagCorruptError(`it ends inside a record header at byte ${offset}`);
    }
    const tag = buffer.toString('latin1', offset, offset + TAG_BYTES);
    if (!TAG_PATTERN.test(tag)) throw new KeybagCorruptError(`byte ${offset} does not start a record tag`);
    const length = buffer.readUInt32BE(offset + TAG_BYTES);
    const valueStart = offset + TAG_BYTES + LENGTH_BYTES;
    if (length > buffer.length - valueStart) {
      throw new KeybagCorruptError(`its ${tag} record claims ${length} bytes but only ${buffer.length - valueStart} remain`);
    }
    // Copied so the parsed keybag does not keep the whole Manifest.plist buffer alive.
    records.push({ tag, value: Buffer.from(buffer.subarray(valueStart, valueStart + length)) });
    offset = valueStart + length;
  }
  return records;
}

/** Joins TLV records into keybag bytes. */
export function writeKeybagRecords(records: readonly KeybagRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const { tag, value } of records) {
    if (!TAG_PATTERN.test(tag)) throw new RangeError(`A keybag record tag must be four ASCII capitals or digits, not "${tag}".`);
    const head = Buffer.alloc(TAG_BYTES + LENGTH_BYTES);
    head.write(tag, 0, 'latin1');
    head.writeUInt32BE(value.length, TAG_BYTES);
    parts.push(head, value);
  }
  return Buffer.concat(parts);
}

function readInteger(record: KeybagRecord): number {
  if (record.value.length !== INTEGER_BYTES) {
    throw new KeybagCorruptError(`its ${record.tag} record is ${record.value.length} bytes long, not ${INTEGER_BYTES}`);
  }
  return record.value.readUInt32BE(0);
}

function readUuid(record: KeybagRecord): Buffer {
  if (record.value.length !== UUID_BYTES) {
    throw new KeybagCorruptError(`its ${record.tag} record is ${record.value.length} bytes long, not ${UUID_BYTES}`);
  }
  return record.value;
}

function setOnce(target: Partial<Record<string, unknown>>, key: string, value: unknown, tag: string, where: string): void {
  if (target[key] !== undefined) throw new KeybagCorruptError(`${where} has two ${tag} records`);
  target[key] = value;
}

/** How a record's value is kept: a 4-byte big-endian integer, a 16-byte UUID, or the bytes as they are. */
type RecordKind = 'integer' | 'uuid' | 'bytes';
type RecordLayout<T> = readonly (readonly [tag: string, field: keyof T & string, kind: RecordKind])[];

/** The header's records in the order devices write them, and the field each fills. */
const HEADER_LAYOUT: RecordLayout<KeybagHeader> = [
  ['VERS', 'version', 'integer'], ['TYPE', 'type', 'integer'], ['UUID', 'uuid', 'uuid'], ['HMCK', 'hmacKey', 'bytes'],
  ['WRAP', 'wrap', 'integer'], ['SALT', 'salt', 'bytes'], ['ITER', 'iterations', 'integer'], ['DPWT', 'dpWrap', 'integer'],
  ['DPIC', 'dpIterations', 'integer'], ['DPSL', 'dpSalt', 'bytes'],
];

/** A class block's records in the order devices write them (UUID or CLAS opens a block). */
const CLASS_LAYOUT: RecordLayout<KeybagClassKey> = [
  ['UUID', 'uuid', 'uuid'], ['CLAS', 'protectionClass', 'integer'], ['WRAP', 'wrap', 'integer'], ['KTYP', 'keyType', 'integer'],
  ['WPKY', 'wrappedKey', 'bytes'], ['PBKY', 'publicKey', 'bytes'],
];

function readField(record: KeybagRecord, kind: RecordKind): number | Buffer {
  return kind === 'integer' ? readInteger(record) : kind === 'uuid' ? readUuid(record) : record.value;
}

function checkIterations(tag: 'ITER' | 'DPIC', value: number, max: number): void {
  if (value < 1 || value > max) {
    throw new KeybagCorruptError(`its ${tag} value ${value} is outside 1 to ${max}`);
  }
}

function completeHeader(header: Partial<Mutable<KeybagHeader>>): KeybagHeader {
  const { salt, iterations, dpSalt, dpIterations } = header;
  if (salt === undefined) throw new KeybagCorruptError('it has no SALT record');
  if (salt.length === 0) throw new KeybagCorruptError('its SALT record is empty');
  if (iterations === undefined) throw new KeybagCorruptError('it has no ITER record');
  checkIterations('ITER', iterations, KEYBAG_MAX_SHA1_ITERATIONS);
  if (dpSalt !== undefined && dpIterations === undefined) throw new KeybagCorruptError('it has a DPSL record but no DPIC record');
  if (dpIterations !== undefined && dpSalt === undefined) throw new KeybagCorruptError('it has a DPIC record but no DPSL record');
  if (dpSalt !== undefined && dpSalt.length === 0) throw new KeybagCorruptError('its DPSL record is empty');
  if (dpIterations !== undefined) checkIterations('DPIC', dpIterations, KEYBAG_MAX_SHA256_ITERATIONS);
  return { ...header, salt, iterations };
}

function completeClassKey(entry: Partial<Mutable<KeybagClassKey>>, index: number): KeybagClassKey {
  const { protectionClass, wrap, wrappedKey } = entry;
  if (protectionClass === undefined) throw new KeybagCorruptError(`class block ${index + 1} has no CLAS record`);
  if (wrap === undefined) throw new KeybagCorruptError(`protection class ${protectionClass} has no WRAP record`);
  if (wrappedKey === undefined) throw new KeybagCorruptError(`protection class ${protectionClass} has no WPKY record`);
  return { ...entry, protectionClass, wrap, wrappedKey };
}

/** Parses untrusted keybag bytes into header and class keys; any inconsistency is a KeybagCorruptError. */
export function parseKeybag(bytes: Uint8Array): BackupKeybag {
  const header: Partial<Mutable<KeybagHeader>> = {};
  const classes: Partial<Mutable<KeybagClassKey>>[] = [];
  let current: Partial<Mutable<KeybagClassKey>> | undefined;
  const openClass = (): Partial<Mutable<KeybagClassKey>> => {
    current = {};
    classes.push(current);
    return current;
  };
  const classBlock = (tag: string): Partial<Mutable<KeybagClassKey>> => {
    if (current === undefined) throw new KeybagCorruptError(`its ${tag} record comes before any class block`);
    return current;
  };
  const headerWhere = 'its header';
  const classWhere = (): string => `class block ${classes.length}`;

  for (const record of readKeybagRecords(bytes)) {
    const { tag } = record;
    switch (tag) {
      case 'UUID':
        if (header.uuid === undefined && current === undefined) header.uuid = readUuid(record);
        else openClass().uuid = readUuid(record);
        break;
      case 'CLAS': {
        const block = current === undefined || current.protectionClass !== undefined ? openClass() : current;
        block.protectionClass = readInteger(record);
        break;
      }
      case 'WRAP':
        if (current === undefined) setOnce(header, 'wrap', readInteger(record), tag, headerWhere);
        else setOnce(current, 'wrap', readInteger(record), tag, classWhere());
        break;
      default: {
        const headerField = HEADER_LAYOUT.find(([known]) => known === tag);
        const classField = CLASS_LAYOUT.find(([known]) => known === tag);
        if (headerField !== undefined) setOnce(header, headerField[1], readField(record, headerField[2]), tag, headerWhere);
        else if (classField !== undefined) setOnce(classBlock(tag), classField[1], readField(record, classField[2]), tag, classWhere());
        // Any other tag is a record a later iOS version added; what matters for decryption is validated below.
        break;
      }
    }
  }

  const classKeys = classes.map(completeClassKey);
  const seen = new Set<number>();
  for (const { protectionClass } of classKeys) {
    if (seen.has(protectionClass)) throw new KeybagCorruptError(`protection class ${protectionClass} appears twice`);
    seen.add(protectionClass);
  }
  return { header: completeHeader(header), classKeys };
}

function integerRecord(tag: string, value: number): KeybagRecord {
  const bytes = Buffer.alloc(INTEGER_BYTES);
  bytes.writeUInt32BE(value, 0);
  return { tag, value: bytes };
}

/** Serialises a keybag in the record order devices write: header (VERS … DPSL), then each class block. */
export function buildKeybag(keybag: BackupKeybag): Buffer {
  const { header } = keybag;
  const records: KeybagRecord[] = [];
  const push = <T>(layout: RecordLayout<T>, source: T): void => {
    for (const [tag, field, kind] of layout) {
      const value = source[field] as number | Buffer | undefined;
      if (value !== undefined) records.push(kind === 'integer' ? integerRecord(tag, value as number) : { tag, value: value as Buffer });
    }
  };
  push(HEADER_LAYOUT, header);
  for (const entry of keybag.classKeys) push(CLASS_LAYOUT, entry);
  return writeKeybagRecords(records);
}
