import '../vscodeStub';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackupSummary } from '../../../../src/backup/format/backupFolder';
import type { BackupInspection } from '../../../../src/backup/inspect/backupInspection';
import { BackupInspections } from '../../../../src/ui/backups/backupInspections';
import type { BackupLibrary } from '../../../../src/ui/backups/backupLibrary';
import { BackupPasswordStore } from '../../../../src/ui/secrets/backupPasswordStore';
import { BackupsTreeProvider, type BackupTreeNode } from '../../../../src/ui/backups/backupsTreeProvider';
import { inspectionOf, unknownManagement } from './inspectionFixture';
import { EventEmitter } from '../vscodeStub';
import { memorySecrets } from '../secrets/memorySecrets';

describe('ui: the Backups view reads a backup again when its saved password changes', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-backups-tree-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function encryptedBackup(name: string): BackupSummary {
    const dir = path.join(root, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'Status.plist'), 'status');
    return { dir, udid: name, deviceName: `iPhone ${name}`, encrypted: true, sizeBytes: 1000, complete: true, notes: [] };
  }

  /**
   * The tree over two encrypted backups, with the real inspection cache and password store; the
   * inspect function records each read and answers as the core does (management unknown without a password).
   */
  function setUp(inspect?: (dir: string, password: string | undefined, signal: AbortSignal) => Promise<BackupInspection>) {
    const backups = [encryptedBackup('A'), encryptedBackup('B')];
    const listing = new EventEmitter<void>();
    const library = { root, list: async () => backups, onDidChange: listing.event } as unknown as BackupLibrary;
    const passwords = new BackupPasswordStore(memorySecrets());
    const reads: { dir: string; password: string | undefined }[] = [];
    const inspections = new BackupInspections({
      inspect: async (dir, options) => {
        reads.push({ dir, password: options.password });
        if (inspect) return inspect(dir, options.password, options.signal);
        return options.password === undefined
          ? inspectionOf({ backupDir: dir, encrypted: true, passwordOutcome: 'not-given', management: unknownManagement('The backup is encrypted and no password is saved.') })
          : inspectionOf({ backupDir: dir, encrypted: true, passwordOutcome: 'opens' });
      },
      savedPassword: (dir) => passwords.get(dir),
      concurrency: 2,
      timeLimitMs: 5_000,
    });
    const provider = new BackupsTreeProvider(library, inspections, 'en', passwords.onDidChange);
    const refreshed: (BackupTreeNode | undefined)[] = [];
    provider.onDidChangeTreeData((node) => refreshed.push(node));
    return { backups, passwords, provider, reads, refreshed, dispose: () => (provider.dispose(), inspections.dispose(), passwords.dispose()) };
  }

  /** The backup nodes as VS Code gets them: the root, then each device group's children. */
  async function backupNodes(provider: BackupsTreeProvider): Promise<BackupTreeNode[]> {
    const groups = await provider.getChildren();
    return (await Promise.all(groups.map((g) => provider.getChildren(g)))).flat();
  }

  const labels = (details: BackupTreeNode[]): string[] => details.map((d) => (d.kind === 'detail' ? `${d.detail.label}=${d.detail.description ?? ''}` : d.kind));

  it('refreshes only that backup when a password is saved, and the new details use it', async () => {
    const t = setUp();
    const [a, b] = await backupNodes(t.provider);
    assert.equal(a.kind === 'backup' && a.model.dir, t.backups[0].dir);
    const before = labels(await t.provider.getChildren(a));
    await t.provider.getChildren(b);
    assert.deepEqual(t.reads, [{ dir: t.backups[0].dir, password: undefined }, { dir: t.backups[1].dir, password: undefined }]);
    t.refreshed.length = 0;

    await t.passwords.remember(t.backups[0].dir, 'saved in the prompt');
    assert.deepEqual(t.refreshed, [a], 'the very node VS Code holds, and nothing else');
    const after = labels(await t.provider.getChildren(a));
    assert.deepEqual(t.reads.slice(2), [{ dir: t.backups[0].dir, password: 'saved in the prompt' }]);
    assert.notDeepEqual(after, before, 'the details now show what the password opened');
    await t.provider.getChildren(b);
    assert.equal(t.reads.length, 3, 'the other backup keeps its cached details');
    t.dispose();
  });

  it('reads a backup again without the password once it is forgotten, even though nothing else changed', async () => {
    const t = setUp();
    await t.passwords.remember(t.backups[0].dir, 'pw');
    const [a] = await backupNodes(t.provider);
    await t.provider.getChildren(a);
    t.refreshed.length = 0;
    await t.passwords.forget(t.backups[0].dir);
    assert.deepEqual(t.refreshed, [a]);
    await t.provider.getChildren(a);
    assert.deepEqual(t.reads.map((r) => r.password), ['pw', undefined]);
    t.dispose();
  });

  it('re-reads a backup the view has not expanded again only when it is next expanded, and refreshes nothing for an unknown folder', async () => {
    const t = setUp();
    await backupNodes(t.provider);
    await t.passwords.remember(path.join(root, 'not-listed'), 'pw');
    assert.deepEqual(t.refreshed, []);
    assert.equal(t.reads.length, 0);
    t.dispose();
  });

  it('stops a read still running with the old password', async () => {
    let aborted = false;
    let readStarted!: () => void;
    const started = new Promise<void>((resolve) => (readStarted = resolve));
    const t = setUp(
      (dir, _password, signal) =>
        new Promise<BackupInspection>((resolve) => {
          readStarted();
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve(inspectionOf({ backupDir: dir }));
          });
        }),
    );
    const [a] = await backupNodes(t.provider);
    const first = t.provider.getChildren(a);
    // Waits for the read itself rather than a fixed delay, which a busy machine can outlast.
    await started;
    await t.passwords.remember(t.backups[0].dir, 'pw');
    assert.equal(aborted, true);
    await first;
    t.dispose();
  });

  it('stops listening when disposed', async () => {
    const t = setUp();
    const [a] = await backupNodes(t.provider);
    await t.provider.getChildren(a);
    t.provider.dispose();
    // Forgetting a password never saved leaves the cache key as it was: only a live listener would drop the entry.
    await t.passwords.forget(t.backups[0].dir);
    await t.provider.getChildren(a);
    assert.equal(t.reads.length, 1);
    t.dispose();
  });
});
