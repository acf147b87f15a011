// esbuild options of the extension bundle (dist/extension.js), shared by scripts/build.mjs, which builds it, and
// test/unit/build/extensionBundle.test.ts, which checks what loading it runs. CommonJS so the compiled tests can
// require it.
'use strict';

/**
 * Minified, because VS Code reads and compiles the whole file before activate() runs (the source map keeps stack
 * traces readable); keepNames keeps class names, which error names in logs and reports come from. Heavy parts are
 * reached only through import() in the source, which esbuild turns into code that runs on first use. The banner is
 * the bundle's first line: it notes when loading began, so the extension can log how long its top level took
 * (src/ui/extensionLog/activationTiming.ts; the activation benchmark reads that line).
 */
const extensionBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.json': 'json' },
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: true,
  keepNames: true,
  banner: { js: 'globalThis.iosbrBundleStart = performance.now();' },
};

module.exports = { extensionBundle };
