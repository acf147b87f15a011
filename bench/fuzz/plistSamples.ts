import * as fc from 'fast-check';
import { encodeMbFile } from '../../src/backup/format/mbFile';
import { buildBinaryPlist, buildXmlPlist, PlistUid, type PlistDict, type PlistValue } from '../../src/plist';

/** Property lists of the shapes the product reads: lockdown replies, usbmux lists, DeviceLink arrays, backup plists. */
export function samplePlistValues(): PlistValue[] {
  const date = new Date(Date.UTC(2026, 11, 6, 9, 41, 7));
  return [
    { Request: 'QueryType', Type: 'com.apple.mobile.lockdown' },
    { Request: 'GetValue', Value: { DeviceName: 'Support iPhone', ProductType: 'iPhone14,5', ProductVersion: '16.1', UniqueChipID: 2n ** 60n, ActivationState: 'Activated' } },
    { Request: 'StartService', Service: 'com.apple.mobilebackup2', Port: 49152, EnableServiceSSL: true },
    { MessageType: 'Result', Number: 0 },
    { DeviceList: [{ DeviceID: 3, MessageType: 'Attached', Properties: { ConnectionType: 'USB', DeviceID: 3, LocationID: 0, ProductID: 4776, SerialNumber: '00008110000A1B2C3D4E801E' } }] },
    ['DLMessageVersionExchange', 300, 0],
    ['DLMessageProcessMessage', { MessageName: 'Response', ErrorCode: 0, ProtocolVersion: 2.1 }],
    ['DLMessageStatusResponse', -13, 'Multi status', { 'a/b': { DLFileErrorCode: -6, DLFileErrorString: 'No such file' } }],
    ['DLMessageMoveItems', { 'Snapshot/a': 'a', 'Snapshot/b': 'b' }, {}, 99.5],
    { BackupState: 'new', Date: date, IsFullBackup: false, SnapshotState: 'finished', UUID: '4C2E7D6E-52F2-4A8E-9D67-3E1A0F2B9C11', Version: '3.3' },
    { IsEncrypted: true, Version: '10.0', Date: date, WasPasscodeSet: false, Lockdown: { ProductVersion: '16.1', UniqueDeviceID: '00008110-000A1B2C3D4E801E' }, BackupKeyBag: Buffer.alloc(64, 0x41), Applications: { 'com.example.app': { CFBundleIdentifier: 'com.example.app' } } },
    { 'Device Name': 'Support iPhone', 'Last Backup Date': date, 'Installed Applications': ['com.example.app'], GUID: Buffer.alloc(16, 0xab), 'iTunes Files': { 'x.plist': Buffer.from('<plist/>') } },
    { $archiver: 'NSKeyedArchiver', $version: 100000, $top: { root: new PlistUid(1) }, $objects: ['$null', { RelativePath: new PlistUid(2), Size: 12, $class: new PlistUid(3) }, 'Library/x', { $classname: 'MBFile' }] },
    [1.5, -1, 0, true, false, 'ünïcödé ✓', Buffer.alloc(0), [], {}, 2n ** 64n - 1n, -(2n ** 63n)],
  ];
}

/** The samples as binary plists, an MBFile archive among them. */
export function sampleBinaryPlists(): Buffer[] {
  const archive = encodeMbFile({ relativePath: 'Library/Notes/notes.sqlite', size: 70001, mode: 0o100644, protectionClass: 3, encryptionKey: Buffer.alloc(44, 3), lastModified: 1_700_000_000 });
  return [...samplePlistValues().map((v) => buildBinaryPlist(v as PlistDict)), archive];
}

/** The samples as XML plists, plus the libplist and Apple layout quirks the parser accepts. */
export function sampleXmlPlists(): Buffer[] {
  return [
    ...samplePlistValues().filter((v) => !containsUid(v)).map((v) => Buffer.from(buildXmlPlist(v), 'utf8')),
    Buffer.from('\uFEFF<?xml version="1.0"?><!DOCTYPE plist [ <!ENTITY x "y"> ]><!-- c --><plist version="1.0"><dict><key>a&amp;b</key><string><![CDATA[<raw>]]>&#x263A;&#9731;</string><key>n</key><integer>0x7f</integer><key>r</key><real>-inf</real><key>d</key><data>\n  AAEC\n  </data></dict></plist>'),
  ];
}

function containsUid(value: PlistValue): boolean {
  if (value instanceof PlistUid) return true;
  if (Array.isArray(value)) return value.some(containsUid);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) return Object.values(value).some(containsUid);
  return false;
}

const KEYS = ['Request', 'Error', 'Value', 'Key', 'MessageType', 'Number', 'DeviceList', 'Properties', 'DeviceID', 'SerialNumber', '$objects', '$top', 'root', '$class', '__proto__', 'constructor', 'toString'];

/** Random plist trees: every type, odd numbers, prototype-ish keys, nesting a few levels deep. */
export function plistValueArbitrary(withUids: boolean): fc.Arbitrary<PlistValue> {
  const leaf: fc.Arbitrary<PlistValue> = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }),
    fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b)),
    ...(withUids ? [fc.nat().map((n) => new PlistUid(n))] : []),
  );
  const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
  const tree = fc.letrec<{ value: PlistValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 6 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }) as fc.Arbitrary<PlistDict>,
    ),
  }));
  return tree.value;
}
