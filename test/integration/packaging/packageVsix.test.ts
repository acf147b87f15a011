import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers/simulatorHarness';

/** The file names in a zip archive, read from its central directory (a VSIX is a zip). */
function zipEntryNames(zip: Buffer): string[] {
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), zip.length - 22);
  assert.ok(eocd >= 0, 'the VSIX is a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry signature');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * "npm run package:vsix" as a newcomer runs it: in a fresh clone of the committed tree (node_modules linked in
 * place of npm ci), with no earlier build or test run. The VSIX must hold everything the extension reads at run
 * time, since an installed extension has no network and no node_modules.
 */
describe('npm run package:vsix on a fresh clone', function () {
  this.timeout(180_000);
  let clone: string;
  let printed: string;
  let version: string;

  before(function () {
    clone = mkdtempSync(path.join(os.tmpdir(), 'iosbr-vsix-'));
    execFileSync('git', ['clone', '--quiet', REPO_ROOT, clone], { stdio: 'pipe' });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    version = (JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { version: string }).version;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // --silent keeps npm's own banner lines off stdout, leaving the path the packaging script prints.
    printed = execFileSync(npm, ['run', '--silent', 'package:vsix'], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  });

  after(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('writes build/iosbr-<version>.vsix, the path the README documents', () => {
    assert.equal(path.relative(clone, printed), path.join('build', `iosbr-${version}.vsix`));
    assert.match(readFileSync(path.join(clone, 'README.md'), 'utf8'), /`build\/iosbr-<version>\.vsix`/);
  });

  it('leaves the clone clean: the VSIX lands in a git-ignored folder', () => {
    // The node_modules link is this test's stand-in for npm ci (a link, so the folder pattern in .gitignore misses it).
    assert.equal(execFileSync('git', ['status', '--porcelain', '--', '.', ':!node_modules'], { cwd: clone, encoding: 'utf8' }), '');
  });

  it('holds the bundles, the workers, the WebAssembly SQLite, the webview page, the grammar and both languages', () => {
    const names = zipEntryNames(readFileSync(printed));
    for (const needed of [
      'extension/package.json',
      'extension/package.nls.json',
      'extension/package.nls.ja.json',
      'extension/dist/extension.js',
      'extension/dist/pbkdf2Worker.js',
      'extension/dist/manifestDbWorker.js',
      'extension/dist/sql-wasm.wasm',
      // Loaded on first use, from files of their own (scripts/extensionBundle.cjs).
      'extension/dist/lazy/node-forge.js',
      'extension/dist/lazy/ajv.js',
      'extension/dist/lazy/sql-js.js',
      'extension/dist/lazy/failures.json',
      'extension/dist/lazy/optimalBiz.json',
      'extension/media/compat/dist/main.js',
      'extension/media/compat/style.css',
      'extension/l10n/bundle.l10n.json',
      'extension/l10n/bundle.l10n.ja.json',
      'extension/syntaxes/ios-device-log.tmLanguage.json',
    ]) {
      assert.ok(names.includes(needed), `the VSIX holds ${needed}`);
    }
  });

  it('leaves out source maps, TypeScript sources, node_modules and earlier packages', () => {
    const names = zipEntryNames(readFileSync(printed));
    const unwanted = names.filter((n) => /\.map$|\.ts$|\/node_modules\/|\.vsix$|^extension\/(src|test|out|build)\//.test(n));
    assert.deepEqual(unwanted, []);
  });
});
