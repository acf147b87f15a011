import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src');

const ALLOWED_IMPORTS = (
  JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'layers.json'), 'utf8')) as {
    allowedImports: Record<string, readonly string[]>;
  }
).allowedImports;

const LAYER_RULES = new Set(['import/no-restricted-paths', 'no-restricted-imports']);

/** The first source file of a part, in name order (a top-level file part is that file). */
function firstFileOf(part: string): string {
  const full = path.join(SRC, part);
  if (!statSync(full).isDirectory()) return part;
  const names = readdirSync(full).sort();
  const file = names.find((name) => name.endsWith('.ts') && !statSync(path.join(full, name)).isDirectory());
  if (file !== undefined) return path.posix.join(part, file);
  return firstFileOf(path.posix.join(part, names.find((name) => statSync(path.join(full, name)).isDirectory())!));
}

/** A src-relative file path as a relative import specifier from `fromFile` (no extension, as the code writes them). */
function specifier(fromFile: string, target: string): string {
  // Folder then name, so that src/cli.ts seen from inside src/cli/ is '../cli', not the folder itself.
  const folder = path.posix.relative(path.posix.dirname(fromFile), path.posix.dirname(target));
  const rel = path.posix.join(folder, path.posix.basename(target, '.ts'));
  return rel.startsWith('.') ? rel : './' + rel;
}

/** Same reading of the table as test/unit/architecture.test.ts: 'backup' covers 'backup/format/x'. */
function isAllowed(fromPart: string, target: string): boolean {
  return ALLOWED_IMPORTS[fromPart].some((part) => target === part || target.startsWith(part + '/'));
}

/**
 * The real eslint.config.mjs, with only the type-checked rules switched off: the layer rules do not need types, and
 * a probe file that is not on disk has no TypeScript project to be checked against.
 */
function repositoryEslint(): ESLint {
  return new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
}

/** The layer-rule findings for an in-memory file at `file` (src-relative) holding `code`. */
async function layerFindings(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(SRC, file) });
  return result.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => `${file}: ${m.message}`);
}

/** A new file inside a part, or the part itself when it is a top-level file. */
function probeIn(part: string): string {
  return part.endsWith('.ts') ? part : `${part}/layerProbe.ts`;
}

/** ESLint enforces the layer table of scripts/layers.json; these cases prove the lint catches a wrong-way import. */
describe('lint: layer import restrictions', function () {
  this.timeout(120_000);
  const eslint = repositoryEslint();

  it('flags a core file importing the VS Code adapters, and a core file importing vscode', async () => {
    const findings = await layerFindings(
      eslint,
      'backup/layerProbe.ts',
      "import { DeviceMonitor } from '../ui/devices/deviceMonitor';\nimport * as vscode from 'vscode';\nexport { DeviceMonitor, vscode };\n",
    );
    assert.equal(findings.length, 2, findings.join('\n'));
    assert.match(findings.join('\n'), /src\/backup may import only/);
    assert.match(findings.join('\n'), /Only src\/ui\/ and src\/extension\.ts import vscode/);
  });

  it('lets src/ui import vscode and the engines', async () => {
    const findings = await layerFindings(
      eslint,
      'ui/layerProbe.ts',
      "import * as vscode from 'vscode';\nimport { BackupEngine } from '../backup/engine/backupEngine';\nexport { BackupEngine, vscode };\n",
    );
    assert.deepEqual(findings, []);
  });

  it('lets the simulator import the backup format and crypto but not the backup engine', async () => {
    const format = firstFileOf('backup/format');
    const crypto = firstFileOf('backup/crypto');
    const engine = firstFileOf('backup/engine');
    const probe = 'simulator/layerProbe.ts';
    const code = (target: string) => `export * from '${specifier(probe, target)}';\n`;
    assert.deepEqual(await layerFindings(eslint, probe, code(format)), []);
    assert.deepEqual(await layerFindings(eslint, probe, code(crypto)), []);
    assert.equal((await layerFindings(eslint, probe, code(engine))).length, 1);
  });

  it('flags a CLI command file importing another command file', async () => {
    const probe = 'cli/commands/layerProbe.ts';
    const other = firstFileOf('cli/commands');
    const findings = await layerFindings(eslint, probe, `export * from '${specifier(probe, other)}';\n`);
    assert.equal(findings.length, 1, findings.join('\n'));
  });

  it('every pair of parts: an import is flagged exactly when the table does not allow it; vscode only in ui', async () => {
    const parts = Object.keys(ALLOWED_IMPORTS);
    const disagreements: string[] = [];
    let flagged = 0;
    for (const part of parts) {
      const probe = probeIn(part);
      for (const other of parts.filter((p) => p !== part)) {
        const target = firstFileOf(other);
        const findings = await layerFindings(eslint, probe, `export * from '${specifier(probe, target)}';\n`);
        const expected = isAllowed(part, target) ? 0 : 1;
        if (findings.length > 0) flagged++;
        if (findings.length !== expected) disagreements.push(`${probe} → ${target}: ${findings.length} finding(s), expected ${expected}`);
      }
    }
    for (const part of parts) {
      const findings = await layerFindings(eslint, probeIn(part), "import * as vscode from 'vscode';\nexport { vscode };\n");
      const expected = part === 'ui' || part === 'extension.ts' ? 0 : 1;
      if (findings.length !== expected) disagreements.push(`${probeIn(part)} → vscode: ${findings.length} finding(s), expected ${expected}`);
    }
    assert.deepEqual(disagreements, []);
    // The table forbids more than it allows; a lint that flags nothing would agree only with an all-allowing table.
    assert.ok(flagged > parts.length, `only ${flagged} wrong-way imports flagged`);
  });
});
