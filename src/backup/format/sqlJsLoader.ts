import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import { BackupError } from '../../common/errors';

let sqlJsLoading: Promise<SqlJsStatic> | undefined;

/**
 * Path of `sql-wasm.wasm`: beside the bundled script in `dist/` (the CLI, the extension and the Manifest.db
 * worker all live there), else the copy inside the sql.js package (running from the tsc output in `out/`).
 */
export function locateSqlWasm(): string {
  const besideScript = path.join(__dirname, 'sql-wasm.wasm');
  if (existsSync(besideScript)) return besideScript;
  try {
    return require.resolve('sql.js/dist/sql-wasm.wasm');
  } catch (cause) {
    throw new BackupError(
      `Cannot open Manifest.db because the SQLite WebAssembly file (sql-wasm.wasm) was found neither at ${besideScript} nor in the sql.js package.`,
      'backup.sqlite-missing',
      undefined,
      { cause },
    );
  }
}

/**
 * Loads the sql.js WebAssembly module once per thread and shares it. Everything should open SQLite
 * through here: sql.js keeps the configuration of its first initialisation for the whole thread.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJsLoading) {
    sqlJsLoading = (async () => {
      const wasmPath = locateSqlWasm();
      const bytes = await fs.readFile(wasmPath);
      // Handing over the bytes (rather than a locateFile hook) keeps sql.js from guessing paths inside a bundle.
      const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return initSqlJs({ wasmBinary });
    })();
    // A wasm file that is missing now may be restored later (e.g. a repaired install): allow another try.
    sqlJsLoading.catch(() => {
      sqlJsLoading = undefined;
    });
  }
  return sqlJsLoading;
}
