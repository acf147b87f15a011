import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { BackupReader, openContentFile, type BackupEntry } from '../../../../src/backup/format/backupReader';
import { hashedFilePath } from '../../../../src/backup/format/fileId';
import { INFO_PLIST_FILE, readInfoPlist } from '../../../../src/backup/format/infoPlist';
import { MANIFEST_DB_FILE, ManifestDb } from '../../../../src/backup/format/manifestDb';
import { MANIFEST_PLIST_FILE, readManifestPlist } from '../../../../src/backup/format/manifestPlist';
import { readStatusPlist, STATUS_PLIST_FILE } from '../../../../src/backup/format/statusPlist';
import { parseArgs } from '../../../../src/cli/args';
import { lsCommand } from '../../../../src/cli/commands/ls';
import type { CliContext } from '../../../../src/cli/context';
import { presentError } from '../../../../src/cli/presentError';
import { silentLogger } from '../../../../src/common/logger';
import { errorMessageForPeople, fileSystemErrorReason, fileSystemErrorSentence } from '../../../../src/common/fileSystemErrorText';
import { makeTempDir, writeTestBackup } from '../../../builders/testBackupBuilder';
import { assertNoBareErrnoCode } from '../../../helpers/bareErrnoCode';

/*
 * No message a person reads may be a bare POSIX code ("ENOENT", "EISDIR: illegal operation on a
 * directory"). Each of the backup readers is pointed at a damaged folder, and each message must be one
 * sentence that says what is wrong and names the file.
 */

const execFileAsync = promisify(execFile);

function assertSentence(message: string, mentions: string): void {
  assert.match(message, /^[A-Z][^\n]*\.$/, `one sentence: ${JSON.stringify(message)}`);
  assertNoBareErrnoCode(message);
  assert.ok(message.includes(mentions), `names ${mentions}: ${message}`);
}

async function messageOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (err) {
    assert.ok(err instanceof Error, `an Error, not ${String(err)}`);
    return err.message;
  }
  assert.fail('expected the read to fail');
}

/** Ways a file of a backup folder can be broken. */
type Damage = 'missing' | 'folder' | 'fifo' | 'dangling symlink' | 'permission denied';
const RUNNING_AS_ROOT = process.getuid?.() === 0;
/** The unprivileged account a root test process runs a reader as, so a chmod 000 file is really refused. */
const NOBODY = 65534;

/**
 * Calls `exported` (e.g. "readInfoPlist" or "ManifestDb.openFile") of a compiled module in a child process
 * running as nobody, and returns the message it failed with. Root is never refused a read, so this is how
 * a root test run still meets a real EACCES.
 */
async function messageAsNobody(modulePath: string, exported: string, args: unknown[]): Promise<string> {
  const script = `
    const [modulePath, exported, argsJson] = process.argv.slice(1);
    const parts = exported.split('.');
    const owner = parts.length > 1 ? require(modulePath)[parts[0]] : require(modulePath);
    Promise.resolve()
      .then(() => owner[parts[parts.length - 1]](...JSON.parse(argsJson)))
      .then(() => { process.stdout.write(JSON.stringify({ resolved: true })); process.exit(0); },
            (e) => { process.stdout.write(JSON.stringify({ message: e.message })); process.exit(0); });`;
  const { stdout } = await execFileAsync(process.execPath, ['-e', script, modulePath, exported, JSON.stringify(args)], { uid: NOBODY, gid: NOBODY, timeout: 30_000 });
  const answer = JSON.parse(stdout) as { message?: string };
  assert.ok(answer.message !== undefined, `expected ${exported} to fail as nobody`);
  return answer.message;
}

/** The compiled module of a source file under src/backup/format. */
const compiledFormatModule = (name: string): string => path.resolve(__dirname, '..', '..', '..', '..', 'src', 'backup', 'format', `${name}.js`);
const DAMAGES: readonly Damage[] = ['missing', 'folder', 'fifo', 'dangling symlink', 'permission denied'];

async function damage(file: string, how: Damage): Promise<void> {
  await fs.rm(file, { recursive: true, force: true });
  switch (how) {
    case 'missing':
      return;
    case 'folder':
      await fs.mkdir(file);
      return;
    case 'fifo':
      execFileSync('mkfifo', [file]);
      return;
    case 'dangling symlink':
      await fs.symlink(path.join(path.dirname(file), 'nothing-here'), file);
      return;
    case 'permission denied':
      await fs.writeFile(file, 'unreadable');
      await fs.chmod(file, 0o000);
      return;
  }
}

describe('backup readers say what a file-system problem means, in a sentence (no bare errno codes)', () => {
  let root: string;
  let dir: string;
  let entry: BackupEntry;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-errno-');
    // Traversable by the unprivileged child of the permission-denied cases.
    await fs.chmod(root, 0o755);
    dir = await writeTestBackup(root);
    const reader = await BackupReader.open(dir);
    try {
      entry = (await reader.listEntries({ domain: 'HomeDomain', path: 'Library/SMS/sms.db' }))[0];
    } finally {
      reader.close();
    }
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  interface ReaderCase {
    name: string;
    file: () => string;
    read: () => Promise<unknown>;
    /** The same call for a child process: compiled module, export, JSON arguments. */
    asChild: () => [module: string, exported: string, args: unknown[]];
    mentions: () => string;
  }
  const readers: ReaderCase[] = [
    {
      name: 'readInfoPlist',
      file: () => path.join(dir, INFO_PLIST_FILE),
      read: () => readInfoPlist(dir),
      asChild: () => [compiledFormatModule('infoPlist'), 'readInfoPlist', [dir]],
      mentions: () => INFO_PLIST_FILE,
    },
    {
      name: 'readManifestPlist',
      file: () => path.join(dir, MANIFEST_PLIST_FILE),
      read: () => readManifestPlist(dir),
      asChild: () => [compiledFormatModule('manifestPlist'), 'readManifestPlist', [dir]],
      mentions: () => MANIFEST_PLIST_FILE,
    },
    {
      name: 'readStatusPlist',
      file: () => path.join(dir, STATUS_PLIST_FILE),
      read: () => readStatusPlist(dir),
      asChild: () => [compiledFormatModule('statusPlist'), 'readStatusPlist', [dir]],
      mentions: () => STATUS_PLIST_FILE,
    },
    {
      name: 'ManifestDb.openFile',
      file: () => path.join(dir, MANIFEST_DB_FILE),
      read: async () => (await ManifestDb.openFile(path.join(dir, MANIFEST_DB_FILE))).close(),
      asChild: () => [compiledFormatModule('manifestDb'), 'ManifestDb.openFile', [path.join(dir, MANIFEST_DB_FILE)]],
      mentions: () => MANIFEST_DB_FILE,
    },
    {
      name: 'BackupReader.open',
      file: () => path.join(dir, MANIFEST_DB_FILE),
      read: async () => (await BackupReader.open(dir)).close(),
      asChild: () => [compiledFormatModule('backupReader'), 'BackupReader.open', [dir]],
      mentions: () => MANIFEST_DB_FILE,
    },
    {
      name: 'openContentFile',
      file: () => hashedFilePath(dir, entry.fileID),
      read: async () => (await openContentFile(dir, entry)).destroy(),
      asChild: () => [compiledFormatModule('backupReader'), 'openContentFile', [dir, entry]],
      mentions: () => entry.fileID,
    },
  ];

  for (const reader of readers) {
    for (const how of DAMAGES) {
      it(`${reader.name}: ${how}`, async () => {
        await damage(reader.file(), how);
        // Root reads a chmod 000 file anyway, so as root the reader runs as nobody in a child process.
        const message =
          how === 'permission denied' && RUNNING_AS_ROOT ? await messageAsNobody(...reader.asChild()) : await messageOf(reader.read);
        assertSentence(message, reader.mentions());
        if (how === 'permission denied') assert.match(message, /does not have permission/);
      });
    }
  }

  it('openContentFile: a shard folder that is a file says the content does not exist', async () => {
    const shard = path.dirname(hashedFilePath(dir, entry.fileID));
    await fs.rm(shard, { recursive: true });
    await fs.writeFile(shard, 'a file where the shard folder should be');
    const message = await messageOf(() => openContentFile(dir, entry));
    assertSentence(message, entry.fileID);
  });
});

describe('fileSystemErrorText: what a real file-system error means', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('iosbr-errno-text-');
  });
  afterEach(async () => {
    await fs.chmod(root, 0o700).catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
  });

  async function errorOf(action: () => Promise<unknown>): Promise<NodeJS.ErrnoException> {
    try {
      await action();
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
    return assert.fail('expected the file-system call to fail');
  }

  it('turns the codes the file system really returns into reasons, each without the code', async () => {
    const file = path.join(root, 'file');
    await fs.writeFile(file, 'x');
    const full = path.join(root, 'full');
    await fs.mkdir(full);
    await fs.writeFile(path.join(full, 'inside'), 'x');
    await fs.symlink(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    await fs.symlink(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['ENOENT', () => fs.readFile(path.join(root, 'absent')), /^it does not exist$/],
      ['ENOTDIR', () => fs.readFile(path.join(file, 'below')), /a file where a folder should be/],
      ['EISDIR', () => fs.readFile(root), /^it is a folder, not a file$/],
      ['EEXIST', () => fs.mkdir(full), /already exists/],
      ['ENOTEMPTY', () => fs.rmdir(full), /not empty/],
      ['ENAMETOOLONG', () => fs.readFile(path.join(root, 'n'.repeat(300))), /longer than the file system allows/],
      ['ELOOP', () => fs.readFile(path.join(root, 'loop-a')), /symbolic links/],
    ];
    for (const [code, action, reason] of cases) {
      const err = await errorOf(action);
      assert.equal(err.code, code);
      assert.match(fileSystemErrorReason(err), reason, code);
      // Node leaves the path out of some errors (reading a folder fails in read(), not open()).
      assertSentence(fileSystemErrorSentence(err), err.path === undefined ? 'A file operation failed because' : root);
    }
  });

  it('permission denied is explained (skipped as root, which is never denied)', async function () {
    if (RUNNING_AS_ROOT) this.skip();
    const locked = path.join(root, 'locked');
    await fs.writeFile(locked, 'x');
    await fs.chmod(locked, 0o000);
    const err = await errorOf(() => fs.readFile(locked));
    assert.equal(err.code, 'EACCES');
    assertSentence(fileSystemErrorSentence(err), locked);
    assert.match(fileSystemErrorReason(err), /does not have permission/);
  });

  it('disk full, too many open files and Node\'s own EISDIR have reasons too', () => {
    const nodeError = (code: string, text: string, syscall: string, file: string): NodeJS.ErrnoException =>
      Object.assign(new Error(`${code}: ${text}, ${syscall} '${file}'`), { code, syscall, path: file });
    assert.equal(fileSystemErrorSentence(nodeError('ENOSPC', 'no space left on device', 'write', '/out/a')), 'Cannot write /out/a because the disk is full.');
    assert.match(fileSystemErrorSentence(nodeError('EMFILE', 'too many open files', 'open', '/b/c')), /^Cannot open \/b\/c because too many files are open/);
    assert.equal(fileSystemErrorReason(Object.assign(new Error('Path is a directory'), { code: 'ERR_FS_EISDIR' })), 'it is a folder, not a file');
    assert.equal(fileSystemErrorSentence(nodeError('EROFS', 'read-only file system', 'mkdir', '/ro/x')), 'Cannot create the folder /ro/x because the disk is read-only.');
  });

  it('an unknown code keeps the system\'s own description next to it, and a wrapped error is found through its cause', () => {
    const odd = Object.assign(new Error('EHOSTDOWN: host is down, open \'/net/share/x\''), { code: 'EHOSTDOWN', syscall: 'open', path: '/net/share/x' });
    assert.equal(fileSystemErrorReason(odd), 'the operating system answered "host is down" (EHOSTDOWN)');
    const wrapped = new Error('Copy failed.', { cause: Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) });
    assert.equal(fileSystemErrorReason(wrapped), 'the disk is full');
    assert.equal(fileSystemErrorReason(new Error('Something else went wrong.')), 'Something else went wrong');
  });

  it('the CLI presents an fs error nobody wrapped as a sentence, not as "Unexpected failure: ENOENT: …"', async () => {
    const err = await errorOf(() => fs.readFile(path.join(root, 'gone.plist')));
    const { line, exitCode } = presentError(err);
    assert.equal(exitCode, 1);
    assert.equal(line, `Cannot open ${path.join(root, 'gone.plist')} because it does not exist.`);
    assert.equal(presentError(new Error('boom')).line, 'Unexpected failure: boom');
  });
});

/** Runs `ls` in-process the way cli.ts does: its exit code, and the line the presenter prints for a failure. */
async function runLs(backupDir: string): Promise<{ exitCode: number; line?: string }> {
  const args = parseArgs([backupDir], lsCommand.flags);
  const ctx: CliContext = {
    args,
    json: false,
    env: {},
    stdin: Readable.from([]),
    out: () => undefined,
    note: () => undefined,
    logger: silentLogger,
    signal: new AbortController().signal,
  };
  try {
    return { exitCode: await lsCommand.run(ctx) };
  } catch (err) {
    return presentError(err);
  }
}

describe('ls on a damaged Manifest.plist names Manifest.plist, not only Manifest.db', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await makeTempDir('iosbr-errno-ls-');
    dir = await writeTestBackup(root);
    await fs.writeFile(path.join(dir, MANIFEST_PLIST_FILE), 'garbage, not a property list');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('with Manifest.db missing', async () => {
    await fs.rm(path.join(dir, MANIFEST_DB_FILE));
    const { exitCode, line } = await runLs(dir);
    assert.equal(exitCode, 1);
    assert.match(line ?? '', /^Cannot read Manifest\.plist because it is not a valid property list \(.*\), and Manifest\.db cannot stand in for it: cannot read Manifest\.db in .* because it does not exist\.$/);
  });

  it('with Manifest.db not a database either (as an encrypted one looks)', async () => {
    await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), Buffer.alloc(4096, 0x5a));
    const { exitCode, line } = await runLs(dir);
    assert.equal(exitCode, 1);
    assert.match(line ?? '', /^Cannot read Manifest\.plist because .*, and Manifest\.db cannot stand in for it: cannot read Manifest\.db because .+\.$/);
  });

  it('with a good Manifest.db the files are still listed (the database alone can list a plain backup)', async () => {
    assert.deepEqual(await runLs(dir), { exitCode: 0 });
  });

  it('a folder with neither file is called not a backup folder', async () => {
    await fs.rm(path.join(dir, MANIFEST_PLIST_FILE));
    await fs.rm(path.join(dir, MANIFEST_DB_FILE));
    const { exitCode, line } = await runLs(dir);
    assert.equal(exitCode, 1);
    assert.equal(line, `Cannot read the backup at ${dir} because it holds neither Manifest.plist nor Manifest.db; a backup folder is the one named by the device's UDID.`);
  });
});

describe('errorMessageForPeople: the message a person reads for any error', () => {
  it('turns a raw file-system error into a sentence without the bare code', async () => {
    const err = await fs.readFile('/nonexistent-iosbr-folder/Info.plist').catch((e: unknown) => e);
    const text = errorMessageForPeople(err);
    assert.match(text, /does not exist/);
    assert.doesNotMatch(text, /^ENOENT/);
  });
  it("keeps the project's own sentence even when it wraps a file-system cause", () => {
    const cause = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open' });
    const wrapped = new Error('Info.plist is missing from the backup.', { cause });
    assert.equal(errorMessageForPeople(wrapped), 'Info.plist is missing from the backup.');
  });
  it('keeps a plain message and stringifies a non-error', () => {
    assert.equal(errorMessageForPeople(new Error('The device went away.')), 'The device went away.');
    assert.equal(errorMessageForPeople('text'), 'text');
  });
});
