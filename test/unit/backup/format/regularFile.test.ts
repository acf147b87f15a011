import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { isUnsafePathError } from '../../../../src/backup/format/formatErrors';
import { isRegularFileError, openRegularFile, readRegularFile, type IrregularFileKind } from '../../../../src/backup/format/regularFile';
import { makeTempDir } from '../../../builders/testBackupBuilder';

/** Bounds every call: a FIFO opened without O_NONBLOCK would never settle. */
function withinSeconds<T>(promise: Promise<T>, seconds = 5): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${seconds} s`)), seconds * 1000).unref()),
  ]);
}

function refusedAs(kind: IrregularFileKind, sentence: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(isRegularFileError(e), `expected a RegularFileError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, sentence);
    return true;
  };
}

describe('backup/format regularFile', () => {
  let root: string;
  let backup: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-regular-');
    backup = path.join(root, 'backup');
    await fs.mkdir(backup);
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reads a regular file whole', async () => {
    await fs.writeFile(path.join(backup, 'Info.plist'), 'hello');
    assert.equal((await readRegularFile(path.join(backup, 'Info.plist'), 100, { root: backup })).toString(), 'hello');
    const { handle, size } = await openRegularFile(path.join(backup, 'Info.plist'));
    await handle.close();
    assert.equal(size, 5);
  });

  it('refuses a folder, naming it as the caller describes it', async () => {
    await fs.mkdir(path.join(backup, 'Info.plist'));
    await assert.rejects(
      withinSeconds(readRegularFile(path.join(backup, 'Info.plist'), 100, { describe: 'Info.plist' })),
      refusedAs('folder', /^Cannot read Info\.plist because it is a folder, not a file\.$/),
    );
  });

  it('refuses a FIFO at once instead of waiting for a writer', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(backup, 'Manifest.plist');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(withinSeconds(readRegularFile(fifo, 100, { describe: 'Manifest.plist' })), refusedAs('fifo', /named pipe \(FIFO\), not a file\.$/));
    // Four parked opens would fill libuv's thread pool and stall every later file call.
    await assert.rejects(withinSeconds(Promise.any([1, 2, 3, 4, 5].map(() => openRegularFile(fifo)))), (e) => e instanceof AggregateError && e.errors.every(refusedAs('fifo', /named pipe \(FIFO\), not a file\.$/)));
    assert.equal((await withinSeconds(fs.readdir(backup))).length, 1);
  });

  it('refuses a socket', async function () {
    if (process.platform === 'win32') this.skip();
    const socketPath = path.join(backup, 'sock');
    const server = net.createServer().listen(socketPath);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await assert.rejects(withinSeconds(openRegularFile(socketPath)), (e: unknown) => isRegularFileError(e) && ['socket', 'unreadable'].includes(e.kind));
    } finally {
      server.close();
    }
  });

  it('refuses a symlink as the file itself, even one pointing inside', async function () {
    if (process.platform === 'win32') this.skip();
    await fs.writeFile(path.join(backup, 'real'), 'inside');
    await fs.symlink('real', path.join(backup, 'link'));
    await assert.rejects(readRegularFile(path.join(backup, 'link'), 100, { describe: 'link' }), refusedAs('symlink', /^Cannot read link because it is a symlink/));
    await assert.rejects(readRegularFile(path.join(backup, 'link'), 100, { root: backup }), refusedAs('symlink', /symlink/));
  });

  it('does not leave its root through a symlinked folder on the way', async function () {
    if (process.platform === 'win32') this.skip();
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret'), 'outside bytes');
    await fs.symlink(outside, path.join(backup, 'ab'));
    await assert.rejects(readRegularFile(path.join(backup, 'ab', 'secret'), 100, { root: backup }), (e: unknown) => isUnsafePathError(e) && /leaves .* through a symlink/.test(e.message));
  });

  it('refuses a file over the cap and reports a missing one as missing', async () => {
    await fs.writeFile(path.join(backup, 'big'), Buffer.alloc(101));
    await assert.rejects(readRegularFile(path.join(backup, 'big'), 100, { describe: 'big' }), refusedAs('too-large', /^Cannot read big because it is 101 bytes, more than the 100 bytes/));
    await assert.rejects(readRegularFile(path.join(backup, 'none'), 100, { describe: 'none' }), (e: unknown) => isRegularFileError(e) && e.kind === 'missing' && e.posixCode === 'ENOENT');
  });
});
