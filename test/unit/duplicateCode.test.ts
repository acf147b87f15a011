import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

/** How many consecutive meaningful lines two places must share to count as the same code written twice. */
const WINDOW = 6;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

interface MeaningfulLine {
  text: string;
  line: number;
}

/**
 * The lines that carry logic: trimmed, without blank lines, comments, imports and lines of punctuation alone
 * (closing braces, `});`), so that two places match only on what they do, not on their shape.
 */
export function meaningfulLines(source: string): MeaningfulLine[] {
  const out: MeaningfulLine[] = [];
  let inBlockComment = false;
  source.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (inBlockComment) {
      if (text.includes('*/')) inBlockComment = false;
      return;
    }
    if (text.startsWith('/*')) {
      inBlockComment = !text.includes('*/');
      return;
    }
    if (text === '' || text.startsWith('//') || /^import\b/.test(text) || /^[\s{}()[\];,.:]*$/.test(text)) return;
    // Lines of a multi-line import (`  name,` / `} from '...';`) say nothing about logic either.
    if (/^\}?\s*from\s+['"]/.test(text)) return;
    out.push({ text, line: index + 1 });
  });
  return out;
}

/** Each window of WINDOW meaningful lines that stands in two places (in one file or two), first place first. */
export function repeatedWindows(files: ReadonlyMap<string, string>, window = WINDOW): string[] {
  const firstSeen = new Map<string, string>();
  const pairs = new Map<string, string>();
  for (const [name, source] of files) {
    const lines = meaningfulLines(source);
    let lastReportedEnd = -1;
    for (let i = 0; i + window <= lines.length; i++) {
      const key = lines.slice(i, i + window).map((l) => l.text).join('\n');
      const here = `${name}:${lines[i].line}`;
      const earlier = firstSeen.get(key);
      if (earlier === undefined) {
        firstSeen.set(key, here);
        continue;
      }
      // One report per run of overlapping windows, so a 20-line copy is one finding, not fifteen.
      if (i <= lastReportedEnd) continue;
      lastReportedEnd = i + window - 1;
      const earlierFile = earlier.slice(0, earlier.lastIndexOf(':'));
      const pairKey = `${earlierFile} ~ ${name}`;
      if (!pairs.has(pairKey)) pairs.set(pairKey, `${earlier} ~ ${here}`);
    }
  }
  return [...pairs.values()];
}

describe('duplicate code in src/', () => {
  it(`no ${WINDOW} lines of logic stand in two places`, () => {
    const files = new Map(sourceFiles(SRC).map((f) => [path.relative(SRC, f).split(path.sep).join('/'), readFileSync(f, 'utf8')]));
    assert.deepEqual(repeatedWindows(files), []);
  });

  it('finds a copied block even with other comments and blank lines around it', () => {
    const block = ['const a = read(x);', 'if (!a) throw new Error("no a");', 'const b = a.b + 1;', 'log.info("b", { b });', 'write(b);', 'return b * 2;'];
    const files = new Map([
      ['one.ts', ['// first', ...block, '}'].join('\n')],
      ['two.ts', ['function f() {', '', ...block.slice(0, 3), '  /* why */', ...block.slice(3), '}'].join('\n')],
    ]);
    assert.deepEqual(repeatedWindows(files), ['one.ts:2 ~ two.ts:3']);
  });

  it('does not count imports, braces and comments as shared logic', () => {
    const shared = ["import { a } from './a';", "import { b } from './b';", '/**', ' * c', ' */', '});', '}', '// d', '', ')'];
    const files = new Map([
      ['one.ts', [...shared, 'x();'].join('\n')],
      ['two.ts', [...shared, 'y();'].join('\n')],
    ]);
    assert.deepEqual(repeatedWindows(files), []);
  });
});
