// esbuild options of the extension bundle (dist/extension.js) and of the parts it loads from files of their own,
// shared by scripts/build.mjs, which builds them, and test/unit/build/extensionBundle.test.ts, which checks what
// loading the bundle runs. CommonJS so the compiled tests can require it.
'use strict';
const path = require('node:path');

/** What every Node bundle of the project shares: the extension, the CLI, the workers and the separate parts. */
const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.json': 'json' },
};

/** Where the separately loaded parts go, relative to dist/extension.js (.vscodeignore lets the folder into the VSIX). */
const SEPARATE_DIR = 'lazy';

/**
 * Libraries the extension loads from a file of their own in dist/lazy/, the first time code that needs them runs:
 * VS Code reads and compiles all of dist/extension.js before activate(), code that is never run included, so
 * large parts used only by some commands stay out of it. Only self-contained libraries qualify: a module of ours
 * in two bundles would exist twice (two copies of each error class, and instanceof would fail across them).
 */
const SEPARATE_LIBRARIES = [
  // Pairing certificates (Pair with Device, and the demo devices' first start).
  { specifier: 'node-forge', file: 'node-forge.js' },
  // The schema validator of the failure knowledge base and the vendor rules.
  { specifier: 'ajv/dist/2020', file: 'ajv.js' },
  // SQLite (Manifest.db) in the extension host: backups' file lists, the demo devices' backups.
  { specifier: 'sql.js', file: 'sql-js.js' },
];

/** Data files the extension reads with require() on first use (JSON.parse is far cheaper than compiling it as code). */
const SEPARATE_DATA = ['src/doctor/knowledge/failures.json', 'src/compat/rules/optimalBiz.json'];

/** Turns imports of the parts above into require('./lazy/<file>') calls left in the bundle. */
const loadSeparately = {
  name: 'load-separately',
  setup(build) {
    for (const { specifier, file } of SEPARATE_LIBRARIES) {
      const exact = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      build.onResolve({ filter: exact }, () => ({ path: `./${SEPARATE_DIR}/${file}`, external: true }));
    }
    const dataNames = new Set(SEPARATE_DATA.map((f) => path.basename(f)));
    build.onResolve({ filter: /\.json$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      if (!dataNames.has(path.basename(resolved)) || !SEPARATE_DATA.some((f) => path.resolve(f) === resolved)) return undefined;
      return { path: `./${SEPARATE_DIR}/${path.basename(resolved)}`, external: true };
    });
  },
};

/**
 * Minified, because VS Code reads and compiles the whole file before activate() runs (the source map keeps stack
 * traces readable); keepNames keeps class names, which error names in logs and reports come from. Heavy parts of
 * our own are reached only through import() in the source, which esbuild turns into code that runs on first use;
 * the libraries and data above are not in the file at all. The banner and the footer are the bundle's first and
 * last lines: they note when its top level began and ended, so the extension can log how long that took
 * (src/ui/extensionLog/activationTiming.ts; the activation benchmark reads that line).
 */
const extensionBundle = {
  ...NODE_BUNDLE,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: true,
  keepNames: true,
  banner: { js: 'globalThis.iosbrBundleStart = performance.now();' },
  footer: { js: 'globalThis.iosbrBundleEnd = performance.now();' },
  plugins: [loadSeparately],
};

module.exports = { NODE_BUNDLE, extensionBundle, SEPARATE_DIR, SEPARATE_LIBRARIES, SEPARATE_DATA };
