import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackupInspection } from '../../../../src/backup/inspect/backupInspection';
import { BackupInspections, statusStamp, type BackupInspectionsOptions, type InspectBackupFunction } from '../../../../src/ui/backups/backupInspections';
import { inspectionOf, unknownManagement } from './inspectionFixture';

/** A backup folder with a Status.plist whose modification time the test sets. */
function backupFolder(root: string, name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Status.plist'), 'status');
  utimesSync(path.join(dir, 'Status.plist'), 1_700_000_000, 1_700_000_000);
  return dir;
}

describe('ui: backup inspections for the Backups view', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-inspections-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Inspections with a recording inspect function; `saved` is the remembered password per folder. */
  function setUp(over: Partial<BackupInspectionsOptions> & { result?: (dir: string, password?: string) => BackupInspection; saved?: Record<string, string> } = {}) {
    const calls: { dir: string; password?: string }[] = [];
    const inspect: InspectBackupFunction = async (dir, options) => {
      calls.push({ dir, password: options.password });
      return over.result?.(dir, options.password) ?? inspectionOf({ backupDir: dir });
    };
    const inspections = new BackupInspections({
      inspect,
      savedPassword: async (dir) => over.saved?.[dir],
      concurrency: 2,
      timeLimitMs: 5_000,
      ...over,
    });
    return { inspections, calls };
  }

  it('inspects a folder once while its Status.plist is unchanged, and again after a new backup rewrote it', async () => {
    const dir = backupFolder(root, 'A');
    const { inspections, calls } = setUp();
    const first = await inspections.get(dir, false);
    assert.equal(first.kind, 'inspected');
    await inspections.get(dir, false);
    assert.equal(calls.length, 1);
    utimesSync(path.join(dir, 'Status.plist'), 1_700_000_100, 1_700_000_100);
    await inspections.get(dir, false);
    assert.equal(calls.length, 2);
    assert.deepEqual(await inspections.get(dir, false), first);
    assert.equal(calls.length, 2);
  });

  it('shares one running inspection between callers', async () => {
    const dir = backupFolder(root, 'A');
    const { inspections, calls } = setUp();
    const [a, b] = await Promise.all([inspections.get(dir, false), inspections.get(dir, false)]);
    assert.equal(calls.length, 1);
    assert.deepEqual(a, b);
  });

  it('uses the saved password of an encrypted backup, never for a plain one, and re-reads when another password is saved', async () => {
    const dir = backupFolder(root, 'A');
    const saved: Record<string, string> = { [dir]: 'first' };
    const { inspections, calls } = setUp({ saved });
    const withPassword = await inspections.get(dir, true);
    assert.equal(withPassword.kind === 'inspected' && withPassword.password, 'saved');
    saved[dir] = 'second';
    await inspections.get(dir, true);
    assert.deepEqual(calls.map((c) => c.password), ['first', 'second']);
    const plain = backupFolder(root, 'B');
    saved[plain] = 'ignored';
    const outcome = await inspections.get(plain, false);
    assert.equal(outcome.kind === 'inspected' && outcome.password, 'none');
    assert.equal(calls[2].password, undefined);
  });

  it('says when the backup refused the saved password, from what the inspection learnt about it', async () => {
    const dir = backupFolder(root, 'A');
    const refused = setUp({
      saved: { [dir]: 'stale' },
      result: (d) => inspectionOf({ backupDir: d, encrypted: true, passwordOutcome: 'refused', management: unknownManagement('The password given does not open the backup.') }),
    });
    assert.equal(((await refused.inspections.get(dir, true)) as { password: string }).password, 'savedRefused');
    const opens = setUp({ saved: { [dir]: 'right' }, result: (d) => inspectionOf({ backupDir: d, encrypted: true, passwordOutcome: 'opens' }) });
    assert.equal(((await opens.inspections.get(dir, true)) as { password: string }).password, 'saved');
  });

  it('reads an encrypted backup without a password when the keychain cannot be reached', async () => {
    const dir = backupFolder(root, 'A');
    const { inspections, calls } = setUp({ savedPassword: () => Promise.reject(new Error('no keyring')) });
    const outcome = await inspections.get(dir, true);
    assert.equal(outcome.kind === 'inspected' && outcome.password, 'none');
    assert.equal(calls[0].password, undefined);
  });

  it('runs at most `concurrency` inspections at once', async () => {
    const dirs = ['A', 'B', 'C', 'D', 'E'].map((n) => backupFolder(root, n));
    let running = 0;
    let peak = 0;
    const inspections = new BackupInspections({
      inspect: async (dir) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return inspectionOf({ backupDir: dir });
      },
      savedPassword: async () => undefined,
      concurrency: 2,
      timeLimitMs: 5_000,
    });
    const outcomes = await Promise.all(dirs.map((d) => inspections.get(d, false)));
    assert.ok(outcomes.every((o) => o.kind === 'inspected'));
    assert.equal(peak, 2);
  });

  it('stops an inspection that outlives the time limit, says so, and keeps the answer until the folder changes', async () => {
    const dir = backupFolder(root, 'A');
    let calls = 0;
    const inspections = new BackupInspections({
      // Ignores the abort on purpose: the limit must hold even then.
      inspect: () => (calls++, new Promise<BackupInspection>(() => undefined)),
      savedPassword: async () => undefined,
      concurrency: 1,
      timeLimitMs: 50,
    });
    const outcome = await inspections.get(dir, false);
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /took longer than \d+ seconds and was stopped/);
    await inspections.get(dir, false);
    assert.equal(calls, 1);
  });

  it('turns an inspection that throws into a failed outcome with its sentence', async () => {
    const dir = backupFolder(root, 'A');
    const { inspections } = setUp({ inspect: () => Promise.reject(new Error(`${dir} is not a backup: it has no readable Info.plist.`)) });
    const outcome = await inspections.get(dir, false);
    assert.deepEqual(outcome, { kind: 'failed', message: `${dir} is not a backup: it has no readable Info.plist.` });
  });

  it('stamps a folder by its Status.plist and tells a missing one apart', async () => {
    const dir = backupFolder(root, 'A');
    assert.match(await statusStamp(dir), /^\d+(\.\d+)?:6$/);
    assert.equal(await statusStamp(path.join(root, 'nothing')), 'missing');
  });

  it('keeps at most maxEntries folders, dropping the one unused for longest', async () => {
    const [a, b, c] = ['A', 'B', 'C'].map((n) => backupFolder(root, n));
    const { inspections, calls } = setUp({ maxEntries: 2 });
    await inspections.get(a, false);
    await inspections.get(b, false);
    await inspections.get(a, false);
    await inspections.get(c, false);
    assert.equal(calls.length, 3);
    await inspections.get(a, false);
    assert.equal(calls.length, 3, 'A was used last before C came, so it stayed');
    await inspections.get(b, false);
    assert.equal(calls.length, 4, 'B was dropped');
  });

  it('reads one folder again after it is forgotten, keeping the others, and stops its running read', async () => {
    const [a, b] = ['A', 'B'].map((n) => backupFolder(root, n));
    const { inspections, calls } = setUp();
    await inspections.get(a, false);
    await inspections.get(b, false);
    inspections.forget(`${a}${path.sep}`);
    await inspections.get(a, false);
    await inspections.get(b, false);
    assert.deepEqual(calls.map((c) => path.basename(c.dir)), ['A', 'B', 'A']);

    let inspectStarted!: () => void;
    const started = new Promise<void>((resolve) => (inspectStarted = resolve));
    const stuck = new BackupInspections({
      inspect: (_dir, options) =>
        new Promise<BackupInspection>((_resolve, reject) => {
          inspectStarted();
          options.signal.addEventListener('abort', () => reject(new Error('stopped')));
        }),
      savedPassword: async () => undefined,
      concurrency: 1,
      timeLimitMs: 5_000,
    });
    const running = stuck.get(a, false);
    await started;
    stuck.forget(a);
    assert.equal((await running).kind, 'failed');
  });

  it('answers nothing new after it is disposed', async () => {
    const dir = backupFolder(root, 'A');
    const { inspections, calls } = setUp();
    inspections.dispose();
    assert.equal((await inspections.get(dir, false)).kind, 'failed');
    assert.equal(calls.length, 0);
  });
});
