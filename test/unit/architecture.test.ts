import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** The layering rules of DESIGN.md, checked on the source text. */
describe('architecture', () => {
  const files = sourceFiles(SRC).map((f) => ({ rel: path.relative(SRC, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }));

  it('only src/ui/ and src/extension.ts import vscode', () => {
    const offenders = files
      .filter((f) => !f.rel.startsWith('ui/') && f.rel !== 'extension.ts')
      .filter((f) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(f.text))
      .map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });

  it('lower layers do not import higher ones (usbmux ← lockdown ← services ← compat ← backup)', () => {
    const order = ['plist', 'transport', 'usbmux', 'lockdown', 'services', 'device', 'compat', 'backup'];
    const offenders: string[] = [];
    for (const f of files) {
      const layer = f.rel.split('/')[0];
      const rank = order.indexOf(layer);
      if (rank < 0) continue;
      for (const m of f.text.matchAll(/from\s+['"](\.\.?\/[^'"]+)['"]/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.rel), m[1])).split('/')[0];
        const targetRank = order.indexOf(target);
        if (['simulator', 'ui', 'cli'].includes(target) || targetRank > rank) {
          offenders.push(`${f.rel} → ${m[1]}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('has no unfinished markers', () => {
    const offenders = files.filter((f) => /\b(TODO|FIXME|XXX)\b|not implemented/i.test(f.text)).map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });
});
