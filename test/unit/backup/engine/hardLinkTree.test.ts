import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hardLinkTree } from '../../../../src/backup/engine/hardLinkTree';

describe('hard-link tree clone', () => {
  it('recreates folders, links files (same inode), skips symlinks and the named top-level entries', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-link-'));
    try {
      const src = path.join(base, 'src');
      const dst = path.join(base, 'dst');
      await fs.mkdir(path.join(src, 'ab', 'deep'), { recursive: true });
      await fs.mkdir(path.join(src, 'Snapshot'));
      await fs.writeFile(path.join(src, 'ab', 'deep', 'f'), 'data');
      await fs.writeFile(path.join(src, 'Status.plist'), 's');
      await fs.writeFile(path.join(src, 'marker'), 'm');
      await fs.writeFile(path.join(src, 'Snapshot', 'stale'), 'x');
      await fs.symlink('/etc', path.join(src, 'link'));
      await fs.mkdir(dst);
      const result = await hardLinkTree(src, dst, { skipTopLevel: ['marker', 'Snapshot'] });
      assert.deepEqual(result, { files: 2, copied: 0, directories: 2 });
      assert.deepEqual((await fs.readdir(dst)).sort(), ['Status.plist', 'ab']);
      assert.equal((await fs.stat(path.join(dst, 'ab', 'deep', 'f'))).ino, (await fs.stat(path.join(src, 'ab', 'deep', 'f'))).ino);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});
