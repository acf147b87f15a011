import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isKeybagCorruptError } from '../../../../src/backup/crypto/cryptoErrors';
import { KEYBAG_MAX_SHA1_ITERATIONS, KEYBAG_MAX_SHA256_ITERATIONS, buildKeybag, parseKeybag, readKeybagRecords } from '../../../../src/backup/crypto/keybagTlv';
import { thrownBy } from './cryptoTestSupport';

/** One TLV record assembled by hand, independently of writeKeybagRecords. */
function tlv(tag: string, value: Buffer | number): Buffer {
  const body = typeof value === 'number' ? Buffer.from([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]) : value;
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'ascii');
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

const KEYBAG_UUID = Buffer.alloc(16, 0x11);
const SALT = Buffer.alloc(20, 0x22);
const DPSL = Buffer.alloc(20, 0x33);

function classBlock(protectionClass: number, overrides: { wrap?: number; ktyp?: number; wpky?: Buffer | null } = {}): Buffer[] {
  const records = [tlv('UUID', Buffer.alloc(16, protectionClass)), tlv('CLAS', protectionClass), tlv('WRAP', overrides.wrap ?? 2)];
  if (overrides.ktyp !== undefined) records.push(tlv('KTYP', overrides.ktyp));
  if (overrides.wpky !== null) records.push(tlv('WPKY', overrides.wpky ?? Buffer.alloc(40, protectionClass)));
  return records;
}

/** A keybag laid out as an iOS 10.2+ device writes it. */
function modernKeybag(): Buffer {
  return Buffer.concat([
    tlv('VERS', 3),
    tlv('TYPE', 1),
    tlv('UUID', KEYBAG_UUID),
    tlv('HMCK', Buffer.alloc(40, 0x44)),
    tlv('WRAP', 0),
    tlv('SALT', SALT),
    tlv('ITER', 10_000),
    tlv('DPWT', 1),
    tlv('DPIC', 10_000_000),
    tlv('DPSL', DPSL),
    ...classBlock(1, { ktyp: 0 }),
    ...classBlock(2, { ktyp: 0 }),
    ...classBlock(3, { ktyp: 0 }),
  ]);
}

function corruptDetail(bytes: Buffer): string {
  const error = thrownBy(() => parseKeybag(bytes));
  assert.ok(isKeybagCorruptError(error), `expected KeybagCorruptError, got ${String(error)}`);
  assert.match(error.message, /^The backup keybag is corrupt: .+\.$/);
  return error.detail;
}

describe('backup/crypto keybagTlv', () => {
  it('parses the header and class blocks of an iOS 10.2+ keybag', () => {
    const keybag = parseKeybag(modernKeybag());
    assert.equal(keybag.header.version, 3);
    assert.equal(keybag.header.type, 1);
    assert.deepEqual(keybag.header.uuid, KEYBAG_UUID);
    assert.equal(keybag.header.hmacKey?.length, 40);
    assert.equal(keybag.header.wrap, 0);
    assert.deepEqual(keybag.header.salt, SALT);
    assert.equal(keybag.header.iterations, 10_000);
    assert.equal(keybag.header.dpWrap, 1);
    assert.equal(keybag.header.dpIterations, 10_000_000);
    assert.deepEqual(keybag.header.dpSalt, DPSL);
    assert.deepEqual(
      keybag.classKeys.map((entry) => [entry.protectionClass, entry.wrap, entry.keyType, entry.wrappedKey.length, entry.uuid?.[0]]),
      [
        [1, 2, 0, 40, 1],
        [2, 2, 0, 40, 2],
        [3, 2, 0, 40, 3],
      ],
    );
  });

  it('parses a pre-10.2 keybag that has only SALT and ITER, and class blocks without KTYP', () => {
    const bytes = Buffer.concat([tlv('VERS', 3), tlv('TYPE', 1), tlv('UUID', KEYBAG_UUID), tlv('SALT', SALT), tlv('ITER', 10_000), ...classBlock(1), ...classBlock(2)]);
    const keybag = parseKeybag(bytes);
    assert.equal(keybag.header.dpSalt, undefined);
    assert.equal(keybag.header.dpIterations, undefined);
    assert.equal(keybag.classKeys.length, 2);
    assert.equal(keybag.classKeys[0].keyType, undefined);
  });

  it('starts a new class at a repeated CLAS even without a UUID before it', () => {
    const bytes = Buffer.concat([
      tlv('UUID', KEYBAG_UUID),
      tlv('SALT', SALT),
      tlv('ITER', 1),
      tlv('CLAS', 1),
      tlv('WRAP', 2),
      tlv('WPKY', Buffer.alloc(40)),
      tlv('CLAS', 2),
      tlv('WRAP', 2),
      tlv('WPKY', Buffer.alloc(40)),
    ]);
    assert.deepEqual(
      parseKeybag(bytes).classKeys.map((entry) => entry.protectionClass),
      [1, 2],
    );
  });

  it('keeps a PBKY record with its class and ignores tags it does not know', () => {
    const bytes = Buffer.concat([modernKeybag(), tlv('ZZZZ', Buffer.from('future')), ...classBlock(4, { ktyp: 1 }), tlv('PBKY', Buffer.alloc(32, 9))]);
    const keybag = parseKeybag(bytes);
    const curve = keybag.classKeys.find((entry) => entry.protectionClass === 4);
    assert.equal(curve?.keyType, 1);
    assert.deepEqual(curve?.publicKey, Buffer.alloc(32, 9));
  });

  it('builds bytes that parse back to the same keybag, in the device record order', () => {
    const original = parseKeybag(modernKeybag());
    const rebuilt = buildKeybag(original);
    assert.deepEqual(rebuilt, modernKeybag());
    assert.deepEqual(parseKeybag(rebuilt), original);
    assert.deepEqual(
      readKeybagRecords(rebuilt).slice(0, 10).map((record) => record.tag),
      ['VERS', 'TYPE', 'UUID', 'HMCK', 'WRAP', 'SALT', 'ITER', 'DPWT', 'DPIC', 'DPSL'],
    );
  });

  it('does not keep the caller buffer alive through the parsed values', () => {
    const bytes = modernKeybag();
    const keybag = parseKeybag(bytes);
    bytes.fill(0);
    assert.deepEqual(keybag.header.salt, SALT);
  });

  describe('corrupt keybags', () => {
    it('rejects an empty keybag', () => {
      assert.match(corruptDetail(Buffer.alloc(0)), /empty/);
    });

    it('rejects a keybag cut inside a record header', () => {
      const bytes = modernKeybag();
      assert.match(corruptDetail(Buffer.concat([bytes, Buffer.from('WPK')])), /ends inside a record header/);
    });

    it('rejects a keybag cut inside a value, at every possible length', () => {
      const bytes = modernKeybag();
      const boundaries = new Set<number>();
      for (let offset = 0; offset < bytes.length; ) {
        boundaries.add(offset);
        offset += 8 + bytes.readUInt32BE(offset + 4);
      }
      for (let length = 1; length < bytes.length; length++) {
        if (boundaries.has(length)) continue;
        corruptDetail(bytes.subarray(0, length));
      }
    });

    it('rejects a length that runs past the end', () => {
      const bytes = Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1)]);
      bytes.writeUInt32BE(0xffffffff, 4);
      assert.match(corruptDetail(bytes), /SALT record claims 4294967295 bytes/);
    });

    it('rejects bytes that are not a record tag', () => {
      assert.match(corruptDetail(Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 0, 0, 0]), modernKeybag()])), /does not start a record tag/);
      assert.match(corruptDetail(randomBytes(64).fill(0xff, 0, 4)), /does not start a record tag/);
    });

    it('rejects a keybag without SALT', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('ITER', 10_000), ...classBlock(1)])), /no SALT record/);
    });

    it('rejects a keybag without ITER', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), ...classBlock(1)])), /no ITER record/);
    });

    it('rejects an empty SALT', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', Buffer.alloc(0)), tlv('ITER', 1)])), /SALT record is empty/);
    });

    it('rejects ITER of zero and absurd ITER or DPIC values', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 0)])), /ITER value 0 is outside/);
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 0xffffffff)])), /ITER value 4294967295 is outside/);
      const hostileDpic = Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1), tlv('DPIC', KEYBAG_MAX_SHA256_ITERATIONS + 1), tlv('DPSL', DPSL)]);
      assert.match(corruptDetail(hostileDpic), /DPIC value \d+ is outside/);
    });

    it('caps each derivation stage on its own: ITER (SHA-1, real 10,000) near a million, DPIC (SHA-256, real 10,000,000) higher', () => {
      assert.equal(KEYBAG_MAX_SHA1_ITERATIONS, 1_000_000);
      assert.ok(KEYBAG_MAX_SHA256_ITERATIONS >= 10_000_000);
      // An ITER the SHA-256 cap would allow: 5,000,000 extra SHA-1 rounds after the SHA-256 stage.
      const hostileIter = Buffer.concat([tlv('SALT', SALT), tlv('ITER', 5_000_000), tlv('DPIC', 10_000_000), tlv('DPSL', DPSL)]);
      const refusal = thrownBy(() => parseKeybag(hostileIter));
      assert.ok(isKeybagCorruptError(refusal), String(refusal));
      assert.equal(refusal.message, 'The backup keybag is corrupt: its ITER value 5000000 is outside 1 to 1000000.');
      const atTheCaps = Buffer.concat([tlv('SALT', SALT), tlv('ITER', KEYBAG_MAX_SHA1_ITERATIONS), tlv('DPIC', KEYBAG_MAX_SHA256_ITERATIONS), tlv('DPSL', DPSL)]);
      assert.deepEqual(
        { iterations: parseKeybag(atTheCaps).header.iterations, dpIterations: parseKeybag(atTheCaps).header.dpIterations },
        { iterations: KEYBAG_MAX_SHA1_ITERATIONS, dpIterations: KEYBAG_MAX_SHA256_ITERATIONS },
      );
    });

    it('rejects DPSL without DPIC and DPIC without DPSL', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1), tlv('DPSL', DPSL)])), /DPSL record but no DPIC/);
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1), tlv('DPIC', 1)])), /DPIC record but no DPSL/);
    });

    it('rejects an integer record that is not 4 bytes', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', Buffer.alloc(3, 1))])), /ITER record is 3 bytes long, not 4/);
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1), tlv('CLAS', Buffer.alloc(8))])), /CLAS record is 8 bytes/);
    });

    it('rejects a UUID that is not 16 bytes', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('UUID', Buffer.alloc(5)), tlv('SALT', SALT), tlv('ITER', 1)])), /UUID record is 5 bytes/);
    });

    it('rejects a class without WPKY', () => {
      const bytes = Buffer.concat([modernKeybag(), ...classBlock(5, { wpky: null })]);
      assert.match(corruptDetail(bytes), /protection class 5 has no WPKY record/);
    });

    it('rejects a class without WRAP or without CLAS', () => {
      const noWrap = Buffer.concat([modernKeybag(), tlv('UUID', Buffer.alloc(16)), tlv('CLAS', 6), tlv('WPKY', Buffer.alloc(40))]);
      assert.match(corruptDetail(noWrap), /protection class 6 has no WRAP record/);
      const noClas = Buffer.concat([modernKeybag(), tlv('UUID', Buffer.alloc(16)), tlv('WRAP', 2), tlv('WPKY', Buffer.alloc(40))]);
      assert.match(corruptDetail(noClas), /class block 4 has no CLAS record/);
    });

    it('rejects class records before any class block', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('ITER', 1), tlv('WPKY', Buffer.alloc(40))])), /WPKY record comes before any class block/);
    });

    it('rejects repeated header records and repeated protection classes', () => {
      assert.match(corruptDetail(Buffer.concat([tlv('SALT', SALT), tlv('SALT', SALT), tlv('ITER', 1)])), /two SALT records/);
      assert.match(corruptDetail(Buffer.concat([modernKeybag(), ...classBlock(2)])), /protection class 2 appears twice/);
    });
  });
});
