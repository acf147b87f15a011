import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BACKUP_FACTS_FILE, backupFactsFromDevice, readBackupFacts } from '../../../../src/backup/engine/backupFacts';
import { sourceFactsFromBackup } from '../../../../src/backup/restore/sourceFactsFromBackup';
import { readBackupFactsSidecar } from '../../../../src/ui/compat/backupFactsSidecar';
import { makeTempDir, writeTestBackup } from '../format/testBackupBuilder';

/** A FIFO opened blocking would never settle; every read here must. */
function withinSeconds<T>(promise: Promise<T>, seconds = 5): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${seconds} s`)), seconds * 1000).unref()),
  ]);
}

describe('backup facts sidecar in a hostile backup folder', () => {
  let root: string;
  let dir: string;

  beforeEach(async function () {
    if (process.platform === 'win32') this.skip();
    root = await makeTempDir('iosbr-facts-hostile-');
    dir = await writeTestBackup(root, { items: [] });
  });

  afterEach(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('a FIFO in its place is refused at once by all three readers', async () => {
    execFileSync('mkfifo', [path.join(dir, BACKUP_FACTS_FILE)]);
    assert.equal(await withinSeconds(readBackupFacts(dir)), undefined);
    assert.deepEqual(await withinSeconds(readBackupFactsSidecar(dir)), {
      status: 'unreadable',
      reason: `Cannot read ${BACKUP_FACTS_FILE} because it is a named pipe (FIFO), not a file`,
    });
    const { notes } = await withinSeconds(sourceFactsFromBackup(dir));
    assert.ok(notes.includes(`${BACKUP_FACTS_FILE} is unreadable: Cannot read ${BACKUP_FACTS_FILE} because it is a named pipe (FIFO), not a file.`), notes.join('\n'));
  });

  it('a symlink to a sidecar outside the folder is not followed', async () => {
    const outside = path.join(root, 'outside.json');
    await fs.writeFile(outside, JSON.stringify(backupFactsFromDevice({ udid: 'OUTSIDE', connectionType: 'USB', paired: true, supervised: true }, new Date())));
    await fs.symlink(outside, path.join(dir, BACKUP_FACTS_FILE));
    assert.equal(await readBackupFacts(dir), undefined);
    assert.equal((await readBackupFactsSidecar(dir)).status, 'unreadable');
    const { facts } = await sourceFactsFromBackup(dir);
    assert.equal(facts.supervisedAtBackup, undefined);
  });

  it('a missing sidecar still reads as absent', async () => {
    assert.deepEqual(await readBackupFactsSidecar(dir), { status: 'absent' });
    const { notes } = await sourceFactsFromBackup(dir);
    assert.ok(notes.some((n) => n.startsWith('This backup was not made by iosbr')), notes.join('\n'));
  });
});
