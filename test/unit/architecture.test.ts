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

/**
 * What each top-level part of src/ may import, lowest first: the one layer table, shared with eslint.config.mjs
 * (which enforces it as import restrictions while editing). Every folder and top-level file under src/ has an entry,
 * so a new folder must take its place there before it compiles into the product.
 */
const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = (
  JSON.parse(readFileSync(path.join(SRC, '..', 'scripts', 'layers.json'), 'utf8')) as {
    allowedImports: Record<string, readonly string[]>;
  }
).allowedImports;

interface SourceFile {
  rel: string;
  text: string;
}

interface ImportEdge {
  from: string;
  to: string;
}

/** Every relative import of the product code, as src-relative file paths (without extension). */
function importEdges(files: readonly SourceFile[]): ImportEdge[] {
  return files.flatMap((f) =>
    [...f.text.matchAll(/(?:from|import|require\()\s*['"](\.\.?\/[^'"]+)['"]/g)].map((m) => ({
      from: f.rel,
      to: path.posix.normalize(path.posix.join(path.posix.dirname(f.rel), m[1])),
    })),
  );
}

function topLevel(rel: string): string {
  const first = rel.split('/')[0];
  return rel.includes('/') ? first : first.replace(/\.ts$/, '') + '.ts';
}

/** True when `target` lies inside one of the allowed parts ('backup' covers 'backup/format/x'; 'backup/format' only that). */
function isInside(target: string, allowed: readonly string[]): boolean {
  return allowed.some((part) => target === part || target.startsWith(part + '/'));
}

/** Folder-level import cycles among the sibling folders of each folder (e.g. backup/engine ⇄ backup/transfer). */
function siblingFolderCycles(edges: readonly ImportEdge[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = from.split('/');
    const b = to.split('/');
    let i = 0;
    while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
    // Only imports between two sibling folders count (a file importing its own folder's parent is allowed).
    if (i >= a.length - 1 || i >= b.length - 1) continue;
    const fromFolder = a.slice(0, i + 1).join('/');
    const toFolder = b.slice(0, i + 1).join('/');
    if (!graph.has(fromFolder)) graph.set(fromFolder, new Set());
    graph.get(fromFolder)!.add(toFolder);
  }
  const cycles: string[] = [];
  for (const [a, targets] of graph) {
    for (const b of targets) {
      if (a < b && graph.get(b)?.has(a)) cycles.push(`${a} ⇄ ${b}`);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      const loop = trail.slice(trail.indexOf(node));
      if (loop.length > 2) cycles.push([...loop, node].join(' → '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

/** The layering rules: one table, no exemptions, every folder covered. */
describe('architecture', () => {
  const files: SourceFile[] = sourceFiles(SRC).map((f) => ({
    rel: path.relative(SRC, f).split(path.sep).join('/'),
    text: readFileSync(f, 'utf8'),
  }));
  const edges = importEdges(files);

  it('every folder and top-level file under src/ has a place in the layer table', () => {
    const parts = new Set(files.map((f) => topLevel(f.rel)));
    const unplaced = [...parts].filter((p) => !(p in ALLOWED_IMPORTS));
    assert.deepEqual(unplaced, []);
  });

  it("the README's layout section names every folder of src/", () => {
    const readme = readFileSync(path.join(SRC, '..', 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const folders = [...new Set(files.map((f) => topLevel(f.rel)))].filter((p) => !p.endsWith('.ts'));
    assert.deepEqual(folders.filter((folder) => !layout.includes(`src/${folder}/`)), []);
  });

  it('each part imports only the parts below it', () => {
    const offenders = edges
      .filter(({ from, to }) => {
        const own = topLevel(from);
        const target = topLevel(to + '.ts');
        return own !== target && !isInside(to, ALLOWED_IMPORTS[own] ?? []);
      })
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(offenders, []);
  });

  it('no two sibling folders import each other, directly or round a loop', () => {
    assert.deepEqual(siblingFolderCycles(edges), []);
  });

  it('a CLI command file imports no other command file (shared CLI pieces live in src/cli/)', () => {
    const offenders = edges
      .filter(({ from, to }) => from.startsWith('cli/commands/') && to.startsWith('cli/commands/'))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(offenders, []);
  });

  it('only src/ui/ and src/extension.ts import vscode', () => {
    const offenders = files
      .filter((f) => !f.rel.startsWith('ui/') && f.rel !== 'extension.ts')
      .filter((f) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(f.text))
      .map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });

  it('the checks above catch a wrong-way import and a folder loop', () => {
    const wrongWay = [{ from: 'compat/x.ts', to: 'backup/format/y' }].filter(
      ({ from, to }) => !isInside(to, ALLOWED_IMPORTS[topLevel(from)]),
    );
    assert.equal(wrongWay.length, 1);
    assert.equal(isInside('backup/engine/backupEngine', ALLOWED_IMPORTS.simulator), false);
    const loop = siblingFolderCycles([
      { from: 'backup/engine/a.ts', to: 'backup/transfer/b' },
      { from: 'backup/transfer/b.ts', to: 'backup/verify/c' },
      { from: 'backup/verify/c.ts', to: 'backup/engine/a' },
    ]);
    assert.equal(loop.length, 1);
  });

  it('has no unfinished markers', () => {
    const offenders = files.filter((f) => /\b(TODO|FIXME|XXX)\b|not implemented/i.test(f.text)).map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });
});
