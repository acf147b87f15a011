import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseKeybag } from '../../../src/backup/crypto';
import { MANIFEST_DB_FILE } from '../../../src/backup/format/manifestDb';
import { encodeManifestPlist, MANIFEST_PLIST_FILE, readManifestPlist } from '../../../src/backup/format/manifestPlist';
import { run, runCli, skipWithoutTools, type RunResult } from '../../helpers/simulatorHarness';
import { withoutField } from '../../builders/withoutField';
import {
  assertNoPasswords,
  cleanEnv,
  fastKeybagScenario,
  outputOf,
  startCapturingSimulator,
  type CapturingSimulator,
} from '../../helpers/encryptedDeviceHarness';

const MODERN = '00008110-000E1F2A3B4C501E';
const IOS_10_1 = '00008110-000E1F2A3B4C602E';
const PLAIN = '00008110-000E1F2A3B4C703E';
const DATASET = { files: 12, totalBytes: 60_000, seed: 5, generation: 0 };
const PASSWORD = 'customer-Pa55word ✓';
const WRONG = 'customer-Pa55word';
/** Raw POSIX codes a person must never be shown without a sentence (they must not appear at all here). */
const RAW_ERRNO = /\bE(NOENT|ISDIR|ACCES|NOSPC|LOOP|NOTDIR|MFILE|PERM|IO|INVAL)\b/;

/**
 * `verify-password` on what a customer often sends: only Manifest.plist, from a real encrypted backup that
 * Debian's idevicebackup2 made of a simulated device. Both keybag eras: iOS 10.2 and later (two PBKDF2
 * stages) and iOS 10.1 (one stage).
 */
describe('verify-password with only Manifest.plist (CLI, idevicebackup2 backups of simulated devices)', function () {
  this.timeout(600_000);
  let sim: CapturingSimulator;
  let root: string;
  const outputs: string[] = [];
  const cli = async (args: string[], password?: string, stdin?: string): Promise<RunResult> => {
    const env = password === undefined ? cleanEnv({}) : { ...cleanEnv({}), IOSBR_PASSWORD: password };
    const r = await runCli(args, env, { stdin, timeoutMs: 60_000 });
    outputs.push(...outputOf(r));
    return r;
  };
  /** A fresh folder holding only the Manifest.plist of the backup of `udid`. */
  const onlyManifestPlist = (udid: string, name: string): string => {
    const dir = path.join(root, name);
    mkdirSync(dir);
    copyFileSync(path.join(root, 'backups', udid, MANIFEST_PLIST_FILE), path.join(dir, MANIFEST_PLIST_FILE));
    return dir;
  };

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2', 'ideviceinfo');
    sim = await startCapturingSimulator(
      fastKeybagScenario(
        { udid: MODERN, name: 'Customer iPhone', productVersion: '17.5', buildVersion: '21F79', backupPassword: PASSWORD, dataset: DATASET },
        { udid: IOS_10_1, name: 'Old Customer iPhone', productVersion: '10.1', buildVersion: '14B72', backupPassword: PASSWORD, dataset: DATASET },
        { udid: PLAIN, name: 'Plain iPhone', dataset: DATASET },
      ),
    );
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-verify-password-'));
    const backups = path.join(root, 'backups');
    mkdirSync(backups);
    for (const udid of [MODERN, IOS_10_1, PLAIN]) {
      const r = await run('idevicebackup2', ['-u', udid, 'backup', '--full', backups], sim.env, { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });
  after(async () => {
    if (sim) await sim.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('iOS 10.2+ keybag (DPSL/DPIC): right password exit 0, wrong exit 1, from Manifest.plist alone', async () => {
    const dir = onlyManifestPlist(MODERN, 'modern');
    const keybag = parseKeybag((await readManifestPlist(dir)).backupKeyBag!);
    assert.ok(keybag.header.dpSalt !== undefined && keybag.header.dpIterations !== undefined, 'the device wrote a two-stage keybag');

    const right = await cli(['verify-password', dir], PASSWORD);
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /^The password opens the backup of Customer iPhone made on \d{4}-\d{2}-\d{2}\.$/m);
    assert.equal(right.stderr, '');

    const wrong = await cli(['verify-password', dir, '--password-stdin'], undefined, `${WRONG}\n`);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /^The password does not open this backup\.$/m);
    assert.match(wrong.stderr, /Reset All Settings/, 'the forgotten-password guidance follows');
  });

  it('iOS 10.1 keybag (one PBKDF2-SHA1 stage): right password exit 0, wrong exit 1, from Manifest.plist alone', async () => {
    const dir = onlyManifestPlist(IOS_10_1, 'ios-10.1');
    const keybag = parseKeybag((await readManifestPlist(dir)).backupKeyBag!);
    assert.equal(keybag.header.dpSalt, undefined, 'the device wrote a one-stage keybag');

    const right = await cli(['verify-password', dir, '--password-stdin'], undefined, `${PASSWORD}\n`);
    assert.equal(right.code, 0, right.stderr);
    const wrong = await cli(['verify-password', dir], WRONG);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /does not open/);
  });

  it('--json keeps { backupDir, passwordCorrect } for both answers', async () => {
    const dir = onlyManifestPlist(MODERN, 'json');
    const right = await cli(['verify-password', dir, '--json'], PASSWORD);
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(JSON.parse(right.stdout), { backupDir: dir, passwordCorrect: true });
    const wrong = await cli(['verify-password', dir, '--json'], WRONG);
    assert.equal(wrong.code, 1);
    assert.deepEqual(JSON.parse(wrong.stdout), { backupDir: dir, passwordCorrect: false });
  });

  it('a damaged Manifest.db beside Manifest.plist does not change the answer', async () => {
    const dir = onlyManifestPlist(MODERN, 'damaged-db');
    writeFileSync(path.join(dir, MANIFEST_DB_FILE), Buffer.from('not a database, not even ciphertext'));
    assert.equal((await cli(['verify-password', dir], PASSWORD)).code, 0);
    assert.equal((await cli(['verify-password', dir], WRONG)).code, 1);
  });

  it('an unencrypted backup: exit 1 and a sentence saying there is no password to verify', async () => {
    const dir = onlyManifestPlist(PLAIN, 'plain');
    const r = await cli(['verify-password', dir], PASSWORD);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `The backup at ${dir} is not encrypted (its Manifest.plist says so), so it has no password to verify.`);
  });

  it('a keybag cut short or missing: exit 1 with a sentence naming the keybag, before any password is asked for', async () => {
    const manifest = await readManifestPlist(path.join(root, 'backups', MODERN));
    const cut = path.join(root, 'cut-keybag');
    mkdirSync(cut);
    writeFileSync(path.join(cut, MANIFEST_PLIST_FILE), encodeManifestPlist({ ...manifest, backupKeyBag: manifest.backupKeyBag!.subarray(0, 50) }));
    const corrupt = await cli(['verify-password', cut]);
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.stderr.trim(), /^The password cannot be checked because the keybag in the Manifest\.plist of .*cut-keybag is corrupt: .+\.$/);

    const none = path.join(root, 'no-keybag');
    mkdirSync(none);
    writeFileSync(path.join(none, MANIFEST_PLIST_FILE), encodeManifestPlist(withoutField(manifest, 'backupKeyBag')));
    const missing = await cli(['verify-password', none]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr.trim(), /^The backup at .*no-keybag is marked encrypted but its Manifest\.plist has no BackupKeyBag/);
  });

  it('Manifest.plist missing, a folder, or the path of a file: exit 1 and one sentence without a raw errno code', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const folderInstead = path.join(root, 'folder-instead');
    mkdirSync(path.join(folderInstead, MANIFEST_PLIST_FILE), { recursive: true });
    const fileGiven = path.join(onlyManifestPlist(MODERN, 'file-given'), MANIFEST_PLIST_FILE);
    const expected: [string, RegExp][] = [
      [empty, /^Cannot read Manifest\.plist because it does not exist in .*empty\.$/],
      [folderInstead, /^Cannot read Manifest\.plist because it is a folder, not a file\.$/],
      [path.join(root, 'nowhere'), /^Cannot read the backup at .*nowhere because it does not exist\.$/],
      [fileGiven, /^Cannot read the backup at .*Manifest\.plist because it is a file, not a backup folder\. Give the folder that holds it: .*file-given\.$/],
    ];
    for (const [dir, sentence] of expected) {
      const r = await cli(['verify-password', dir], PASSWORD);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr.trim(), sentence);
      assert.doesNotMatch(r.stderr, RAW_ERRNO);
    }
  });

  it('no password appears in any output', () => {
    assertNoPasswords(outputs, [PASSWORD, WRONG]);
  });
});
