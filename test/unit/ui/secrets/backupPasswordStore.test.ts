import '../vscodeStub';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { BackupPasswordStore } from '../../../../src/ui/secrets/backupPasswordStore';
import { memorySecrets } from './memorySecrets';

describe('ui: the backup password store tells when a saved password changes', () => {
  const folder = path.resolve('/backups/00008110-000A');

  it('fires with the backup folder after a password is remembered, once the keychain holds it', async () => {
    const secrets = memorySecrets();
    const store = new BackupPasswordStore(secrets);
    const heard: { dir: string; saved: string | undefined }[] = [];
    store.onDidChange((dir) => void store.get(dir).then((saved) => heard.push({ dir, saved })));
    await store.remember(folder, 'correct horse');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(heard, [{ dir: folder, saved: 'correct horse' }]);
  });

  it('fires with the folder after a password is forgotten', async () => {
    const store = new BackupPasswordStore(memorySecrets());
    await store.remember(folder, 'pw');
    const heard: string[] = [];
    store.onDidChange((dir) => heard.push(dir));
    await store.forget(folder);
    assert.deepEqual(heard, [folder]);
    assert.equal(await store.get(folder), undefined);
  });

  it('names the folder as an absolute path, whatever form the caller gave', async () => {
    const store = new BackupPasswordStore(memorySecrets());
    const heard: string[] = [];
    store.onDidChange((dir) => heard.push(dir));
    await store.remember(`${folder}${path.sep}`, 'pw');
    await store.forget(path.relative(process.cwd(), folder));
    assert.deepEqual(heard, [folder, folder]);
  });

  it('stays silent when the keychain refuses the change', async () => {
    const store = new BackupPasswordStore(memorySecrets(new Error('The keychain is locked.')));
    const heard: string[] = [];
    store.onDidChange((dir) => heard.push(dir));
    await assert.rejects(store.remember(folder, 'pw'), /keychain is locked/);
    await assert.rejects(store.forget(folder), /keychain is locked/);
    assert.deepEqual(heard, []);
  });

  it('never carries the password in the event', async () => {
    const store = new BackupPasswordStore(memorySecrets());
    const heard: unknown[] = [];
    store.onDidChange((value) => heard.push(value));
    await store.remember(folder, 'secret-in-the-event?');
    assert.ok(!JSON.stringify(heard).includes('secret-in-the-event?'));
  });

  it('delivers nothing after it is disposed', async () => {
    const store = new BackupPasswordStore(memorySecrets());
    const heard: string[] = [];
    store.onDidChange((dir) => heard.push(dir));
    store.dispose();
    await store.remember(folder, 'pw');
    assert.deepEqual(heard, []);
    assert.equal(await store.get(folder), 'pw', 'the password is still stored');
  });
});
