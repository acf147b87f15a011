// Bundles the extension and the CLI with esbuild; copies the SQLite WebAssembly beside them.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NODE_BUNDLE, extensionBundle, SEPARATE_DATA, SEPARATE_DIR, SEPARATE_LIBRARIES } from './extensionBundle.cjs';

const require = createRequire(import.meta.url);
const common = NODE_BUNDLE;

mkdirSync(path.join('dist', SEPARATE_DIR), { recursive: true });
await build(extensionBundle);
// What the extension loads from files of its own on first use (see scripts/extensionBundle.cjs): each library as
// one minified CommonJS file with the package's own exports, each data file as compact JSON.
for (const { specifier, file } of SEPARATE_LIBRARIES) {
  await build({ ...common, entryPoints: [require.resolve(specifier)], outfile: path.join('dist', SEPARATE_DIR, file), minify: true });
}
for (const data of SEPARATE_DATA) {
  writeFileSync(path.join('dist', SEPARATE_DIR, path.basename(data)), JSON.stringify(JSON.parse(readFileSync(data, 'utf8'))));
}
await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
// Worker threads are separate bundles loaded by path at run time (dist/<name>.js).
const workers = ['src/backup/crypto/pbkdf2Worker.ts', 'src/backup/format/manifestDbWorker.ts'];
for (const entry of workers.filter((w) => existsSync(w))) {
  await build({ ...common, entryPoints: [entry], outfile: path.join('dist', path.basename(entry, '.ts') + '.js') });
}
// The Restore Compatibility webview page: a browser bundle with the @vscode-elements components inside, written
// under media/compat/ because the panel's localResourceRoots allow only that folder (dist/ there is git-ignored).
await build({
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  entryPoints: ['media/compat/src/main.ts'],
  outfile: 'media/compat/dist/main.js',
});
const wasm = path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
copyFileSync(wasm, 'dist/sql-wasm.wasm');
