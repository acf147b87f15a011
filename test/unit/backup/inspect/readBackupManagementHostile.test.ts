import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as fc from 'fast-check';
import { mutatedBytes } from '../../../../bench/fuzz/byteMutation';
import { BackupReader, type BackupContentSource, type BackupEntry } from '../../../../src/backup/format/backupReader';
import { MANIFEST_FLAGS } from '../../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../../src/backup/format/manifestDbBuilder';
import { encodeMbFile } from '../../../../src/backup/format/mbFile';
import type { BackupManagement } from '../../../../src/backup/inspect/backupManagement';
import { interpretCloudConfiguration } from '../../../../src/backup/inspect/cloudConfigurationDetails';
import { CONFIGURATION_PROFILES_DOMAIN } from '../../../../src/backup/inspect/configurationProfileStore';
import { DISPLAY_STRING_MAX_CHARS } from '../../../../src/backup/inspect/displayString';
import { interpretProfileEvents } from '../../../../src/backup/inspect/profileEvents';
import { interpretProfileStub } from '../../../../src/backup/inspect/profileStub';
import { readBackupManagement } from '../../../../src/backup/inspect/readBackupManagement';
import type { PlistDict, PlistValue } from '../../../../src/plist';
import { CLOUD_PATH, cloudConfiguration, encodePlist, EVENTS_PATH, MDM_PROFILE_ID, mdmStub, profileEvents, stubPath, wifiStub } from '../../../builders/profileStoreFixtures';

/** Fixed, so a failure here reproduces; change it only together with the case counts. */
const SEED = 20261207;

// The keys the interpreters look at, plus prototype-ish ones, so random trees hit the real code paths.
const KEYS = [
  'IsSupervised', 'OrganizationName', 'ConfigurationURL', 'IsMandatory', 'IsMDMUnremovable',
  'PayloadType', 'PayloadIdentifier', 'PayloadDisplayName', 'PayloadOrganization', 'PayloadContent', 'InstallDate', 'IsEncrypted', 'ServerURL',
  'ProfileEvents', 'timestamp', 'process', 'operation', MDM_PROFILE_ID, '__proto__', 'constructor',
];
const TYPES = ['com.apple.mdm', 'Configuration', 'com.apple.wifi.managed'];

function plistTree(): fc.Arbitrary<PlistValue> {
  const leaf: fc.Arbitrary<PlistValue> = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...TYPES, 'install', '\u001b[31mred\u001b[0m'),
    fc.integer(),
    fc.boolean(),
    fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }),
    fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)),
  );
  const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 }));
  return fc.letrec<{ value: PlistValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }) as fc.Arbitrary<PlistDict>,
    ),
  })).value;
}

function assertPrintable(text: string | undefined): void {
  if (text === undefined) return;
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/);
  assert.ok(Array.from(text).length <= DISPLAY_STRING_MAX_CHARS + 1, `too long: ${text.length}`);
}

function assertWellFormed(management: BackupManagement): void {
  for (const fact of [management.supervised, management.mdmEnrolled]) assert.ok(fact === true || fact === false || fact === null);
  assert.ok(management.organizationName === null || typeof management.organizationName === 'string');
  assertPrintable(management.organizationName ?? undefined);
  assert.ok(management.sources.length >= 1);
  for (const source of management.sources) {
    assert.equal(source.domain, CONFIGURATION_PROFILES_DOMAIN);
    assert.match(source.detail, /^[A-Z0-9].*\.$/s);
    assert.doesNotMatch(source.detail, /[\u0000-\u001f]/);
  }
  // A fact is never stated without a file that decided it.
  if (management.supervised !== null) assert.ok(management.sources.some((s) => s.facts.includes('supervised')));
  if (management.mdmEnrolled !== null) assert.ok(management.sources.some((s) => s.facts.includes('mdmEnrolled')));
  if (management.organizationName !== null) assert.ok(management.sources.some((s) => s.facts.includes('organizationName')));
}

describe('backup/inspect readBackupManagement on hostile store files (fixed seed)', function () {
  this.timeout(120_000);

  it('the three interpreters take any property-list tree without throwing, and what they keep is printable', () => {
    fc.assert(
      fc.property(plistTree(), (value) => {
        const cloud = interpretCloudConfiguration(value);
        if (cloud.ok) {
          assert.equal(typeof cloud.details.isSupervised, 'boolean');
          assertPrintable(cloud.details.organizationName);
          assertPrintable(cloud.details.configurationUrl);
        } else assert.match(cloud.problem, /\.$/);
        const stub = interpretProfileStub(value);
        if (stub.ok) {
          for (const text of [stub.stub.identifier, stub.stub.displayName, stub.stub.organization, stub.stub.mdm?.serverUrl, ...stub.stub.payloadTypes]) assertPrintable(text);
        } else assert.match(stub.problem, /\.$/);
        const events = interpretProfileEvents(value);
        if (events.ok) for (const e of events.events) [e.profileIdentifier, e.operation, e.process].forEach(assertPrintable);
        else assert.match(events.problem, /\.$/);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('mutated store files (binary and XML) give true, false or unknown with a source for each fact, never an exception', async () => {
    // One Manifest.db with the store of a supervised, enrolled device; the content source serves whatever
    // bytes the case chose, so each case costs a parse, not a backup folder.
    const paths = [CLOUD_PATH, EVENTS_PATH, stubPath(MDM_PROFILE_ID), stubPath('com.example.wifi')];
    const valid: Record<string, PlistDict> = {
      [CLOUD_PATH]: cloudConfiguration({ supervised: true, organizationName: 'Example Corp' }),
      [EVENTS_PATH]: profileEvents(),
      [stubPath(MDM_PROFILE_ID)]: mdmStub({ organization: 'Example Corp IT' }),
      [stubPath('com.example.wifi')]: wifiStub(),
    };
    const db = await ManifestDbBuilder.create();
    let manifest: Buffer;
    try {
      for (const relativePath of paths) {
        db.put({ domain: CONFIGURATION_PROFILES_DOMAIN, relativePath, flags: MANIFEST_FLAGS.file, file: encodeMbFile({ relativePath, size: 100, mode: 0o100644, protectionClass: 3 }) });
      }
      manifest = db.serialize();
    } finally {
      db.close();
    }
    let served: Record<string, Buffer> = {};
    const source: BackupContentSource = {
      readManifestDb: async () => manifest,
      openFile: async (entry: BackupEntry) => Readable.from([served[entry.relativePath]]),
    };
    const reader = await BackupReader.open('/nonexistent/in-memory-backup', source);
    try {
      const samples = paths.flatMap((p) => [encodePlist(valid[p], 'binary'), encodePlist(valid[p], 'xml')]);
      await fc.assert(
        fc.asyncProperty(fc.tuple(...paths.map(() => mutatedBytes(samples))), async (contents) => {
          served = Object.fromEntries(paths.map((p, i) => [p, contents[i]]));
          assertWellFormed(await readBackupManagement(reader));
        }),
        { seed: SEED, numRuns: 400 },
      );
    } finally {
      reader.close();
    }
  });
});
