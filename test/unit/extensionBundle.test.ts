import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface BundleConfig {
  extensionBundle: BuildOptions;
  SEPARATE_DIR: string;
  SEPARATE_LIBRARIES: { specifier: string; file: string }[];
  SEPARATE_DATA: string[];
}
// The same options scripts/build.mjs builds dist/extension.js with (loaded by path: these tests run from out/).
const config = createRequire(__filename)(path.join(REPO, 'scripts', 'extensionBundle.cjs')) as BundleConfig;

/** Our modules whose code must not run when VS Code loads the extension (each is reached through import() instead). */
const LOADED_ON_FIRST_USE = [
  'src/simulator/simulator.ts',
  'src/doctor/loadKnowledgeBase.ts',
  'src/doctor/explainError.ts',
  'src/compat/loadRules.ts',
  'src/lockdown/pairingCertificates.ts',
  'src/backup/format/sqlJsLoader.ts',
  'src/backup/engine/backupEngine.ts',
  'src/restore/restoreEngine.ts',
  'src/ui/compat/compatPanel.ts',
  'src/device/readDeviceFacts.ts',
  'src/ui/deviceLog/deviceLogSession.ts',
  'src/backup/inspect/inspectBackup.ts',
];

/** What loading the bundle runs: the inputs reachable from the entry without crossing an import(), and the files they require. */
function loadedAtStart(meta: Metafile): { inputs: Set<string>; required: Set<string> } {
  const inputs = new Set<string>(['src/extension.ts']);
  const required = new Set<string>();
  const queue = ['src/extension.ts'];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of meta.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) required.add(imported.path);
      else if (!inputs.has(imported.path)) {
        inputs.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return { inputs, required };
}

describe('the extension bundle: what loading it runs (activation cost)', function () {
  // One esbuild run of the whole extension.
  this.timeout(60_000);
  let meta: Metafile;
  let start: { inputs: Set<string>; required: Set<string> };
  let bundleBytes: number;

  before(async () => {
    const result = await build({ ...config.extensionBundle, absWorkingDir: REPO, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    meta = result.metafile;
    start = loadedAtStart(meta);
    const output = Object.values(meta.outputs).find((o) => o.entryPoint === 'src/extension.ts');
    assert.ok(output, 'esbuild wrote no output for src/extension.ts');
    bundleBytes = output.bytes;
  });

  it('bundles each heavy module of ours, but runs none of them on load', () => {
    for (const module of LOADED_ON_FIRST_USE) {
      // Present at all: a renamed file must fail here rather than make the next check pass by itself.
      assert.ok(meta.inputs[module], `${module} is not in the bundle any more; update this list`);
      assert.ok(!start.inputs.has(module), `${module} runs when the extension loads: reach it through import() where it is used`);
    }
  });

  it('keeps the large libraries and data files out of the bundle, required from their own files only on first use', () => {
    const separate = [...config.SEPARATE_LIBRARIES.map((l) => l.file), ...config.SEPARATE_DATA.map((d) => path.basename(d))].map((f) => `./${config.SEPARATE_DIR}/${f}`);
    const requiredAnywhere = new Set(Object.values(meta.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path)));
    for (const file of separate) {
      assert.ok(requiredAnywhere.has(file), `nothing requires ${file}: the plugin no longer applies`);
      assert.ok(!start.required.has(file), `${file} is required when the extension loads`);
    }
    for (const input of Object.keys(meta.inputs)) {
      assert.doesNotMatch(input, /node_modules\/(node-forge|ajv|sql\.js)\/|failures\.json$|optimalBiz\.json$/, `${input} is compiled into dist/extension.js`);
    }
  });

  it('what runs on load is a small part of the bundle', () => {
    const output = Object.values(meta.outputs).find((o) => o.entryPoint === 'src/extension.ts');
    const startBytes = [...start.inputs].reduce((sum, input) => sum + (output?.inputs[input]?.bytesInOutput ?? 0), 0);
    // About 115 KB today (views, usbmuxd client, backup folder listing, plist codecs) of a ~600 KB bundle; the
    // budget leaves room to grow but fails when a command's or a library's code slips back into activation.
    assert.ok(startBytes < 200_000, `${startBytes} bytes of ${bundleBytes} run when the extension loads`);
  });
});
