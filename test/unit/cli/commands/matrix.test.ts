import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../../src/cli/args';
import { matrixCommand, type MatrixJson } from '../../../../src/cli/commands/matrix';
import { COMMANDS } from '../../../../src/cli/commandTable';
import type { CliContext } from '../../../../src/cli/context';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, presentError } from '../../../../src/cli/presentError';
import { silentLogger } from '../../../../src/common/logger';
import { editableRules } from '../../../builders/editableRules';

interface MatrixRun {
  exitCode: number;
  stdout: string;
  stderr: string[];
}

/** Runs `matrix` in-process the way cli.ts does (errors go through the CLI's presenter). */
async function runMatrix(words: string[], env: NodeJS.ProcessEnv = {}): Promise<MatrixRun> {
  let stdout = '';
  const stderr: string[] = [];
  try {
    const args = parseArgs(words, matrixCommand.flags);
    const ctx: CliContext = {
      args,
      json: args.flags.get('json') === true,
      env,
      stdin: Readable.from([]),
      out: (text) => { stdout += text; },
      note: (text) => { stderr.push(text); },
      logger: silentLogger,
      signal: new AbortController().signal,
    };
    return { exitCode: await matrixCommand.run(ctx), stdout, stderr };
  } catch (err) {
    const { line, exitCode } = presentError(err);
    stderr.push(line);
    return { exitCode, stdout, stderr };
  }
}

describe('cli: matrix', () => {
  it('is listed in the command table', () => {
    assert.ok(COMMANDS.includes(matrixCommand));
  });

  it('--source unsupervised --target same --target-supervised yes --json → supported false, exit 1', async () => {
    const run = await runMatrix(['--source', 'unsupervised', '--target', 'same', '--target-supervised', 'yes', '--json']);
    assert.equal(run.exitCode, EXIT_FAILED);
    const json = JSON.parse(run.stdout) as MatrixJson;
    assert.equal(json.supported, false);
    assert.equal(json.agent, 'n/a');
    assert.equal(json.mdm, 'n/a');
    assert.deepEqual(json.remarks, { en: '-', ja: '-' });
    assert.equal(json.cellId, 'unsupervised.same.target-supervised');
    assert.deepEqual(json.steps, []);
    assert.deepEqual(json.alternatives.map((a) => a.id), ['kit-different-device']);
    const failed = json.preconditions.filter((p) => p.status === 'fail').map((p) => p.id);
    assert.deepEqual(failed, ['no-unsupervised-backup-to-same-supervised-device']);
    assert.equal(json.rules.id, 'optimal-biz');
  });

  it('--json for a supported △ cell → exit 0, steps with the re-authentication', async () => {
    const run = await runMatrix(['--source', 'supervised', '--target', 'different', '--target-supervised', 'no', '--json']);
    assert.equal(run.exitCode, EXIT_OK);
    const json = JSON.parse(run.stdout) as MatrixJson;
    assert.equal(json.supported, true);
    assert.equal(json.agent, 'reauth');
    assert.equal(json.mdm, 'ng');
    assert.equal(json.remarks.ja, '復元後、キッティングが必要 iOSエージェントの再認証が必要');
    assert.equal(json.source, 'supervised');
    assert.equal(json.target, 'different');
    assert.equal(json.targetSupervised, false);
    assert.deepEqual(json.steps.map((s) => s.id), ['kitting', 'reauthenticate-agent']);
    assert.equal(json.steps[1].steps.length, 3);
  });

  it('prints the verdict on the first line, then the states, remarks and steps', async () => {
    const run = await runMatrix(['--source', 'unsupervised', '--target', 'different', '--target-supervised', 'yes', '--lang', 'en']);
    assert.equal(run.exitCode, EXIT_OK);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^Supported \(○\): Backup device is unsupervised \/ Different device \/ Supervised \[unsupervised\.different\.target-supervised\]$/);
    assert.match(lines[1], /^Agent authentication: △ Re-authentication needed \(reauth\)$/);
    assert.match(lines[2], /^MDM authentication: ○ Authenticated \(ok\)$/);
    assert.match(lines[3], /^Remarks: The iOS agent must be re-authenticated\.$/);
    assert.ok(run.stdout.includes('Tap "Launch and authenticate".'));
  });

  it('prints Japanese with --lang ja, or when the locale is Japanese', async () => {
    const words = ['--source', 'no-mdm', '--target', 'same', '--target-supervised', 'yes'];
    const explicit = await runMatrix([...words, '--lang', 'ja']);
    assert.equal(explicit.exitCode, EXIT_FAILED);
    assert.match(explicit.stdout.split('\n')[0], /^サポート対象外 \(×\): バックアップ端末がMDM未導入の場合 \/ 同端末 \/ 監視対象/);
    const fromLocale = await runMatrix(words, { LANG: 'ja_JP.UTF-8' });
    assert.equal(fromLocale.stdout, explicit.stdout);
  });

  it('exits 2 for missing or invalid flags', async () => {
    const missing = await runMatrix(['--source', 'supervised', '--target', 'same']);
    assert.equal(missing.exitCode, EXIT_USAGE);
    assert.deepEqual(missing.stderr, ['Missing --target-supervised (one of yes, no).']);
    const invalid = await runMatrix(['--source', 'managed', '--target', 'same', '--target-supervised', 'no']);
    assert.equal(invalid.exitCode, EXIT_USAGE);
    assert.match(invalid.stderr[0], /--source must be one of unsupervised, supervised, no-mdm/);
    const unknownFlag = await runMatrix(['--source', 'supervised', '--target', 'same', '--target-supervised', 'no', '--colour']);
    assert.equal(unknownFlag.exitCode, EXIT_USAGE);
    const positional = await runMatrix(['extra', '--source', 'supervised', '--target', 'same', '--target-supervised', 'no']);
    assert.equal(positional.exitCode, EXIT_USAGE);
    const badLang = await runMatrix(['--source', 'supervised', '--target', 'same', '--target-supervised', 'no', '--lang', 'fr']);
    assert.equal(badLang.exitCode, EXIT_USAGE);
  });

  describe('--rules', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'iosbr-matrix-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('uses a custom rules file', async () => {
      const data = editableRules();
      data.identity.id = 'custom-vendor';
      data.tables[1].cells[1].remarks = { en: 'Custom remark.', ja: 'カスタム備考' };
      const path = join(dir, 'custom.json');
      await writeFile(path, JSON.stringify(data));
      const run = await runMatrix(['--source', 'supervised', '--target', 'same', '--target-supervised', 'yes', '--rules', path, '--json']);
      assert.equal(run.exitCode, EXIT_OK);
      const json = JSON.parse(run.stdout) as MatrixJson;
      assert.equal(json.rules.id, 'custom-vendor');
      assert.deepEqual(json.remarks, { en: 'Custom remark.', ja: 'カスタム備考' });
    });

    it('refuses an invalid rules file with exit 2 and the exact field path', async () => {
      const data = editableRules();
      data.tables[0].cells[3].agent = 'maybe';
      const path = join(dir, 'invalid.json');
      await writeFile(path, JSON.stringify(data));
      const run = await runMatrix(['--source', 'supervised', '--target', 'same', '--target-supervised', 'yes', '--rules', path]);
      assert.equal(run.exitCode, EXIT_USAGE);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr[0], `Rules file ${path} is not valid: /tables/0/cells/3/agent must be one of ok, reauth, ng, n/a.`);
    });
  });
});
