import type { Database } from 'sql.js';
import { manifestDbUnreadable } from './manifestDbErrors';

/** The columns every Files table has; extra columns are tolerated. */
export const REQUIRED_FILES_COLUMNS = ['fileID', 'domain', 'relativePath', 'flags', 'file'] as const;

/**
 * Refuses a Manifest.db whose schema could make SQLite run code of the file's choosing while we read it.
 * A device writes Files as a plain table and no triggers; a VIEW named Files (e.g. an endless recursive
 * CTE), a virtual table, or generated columns (an expression evaluated on every read) only come from a
 * crafted file. Runs before any query touches Files.
 */
export function checkManifestDbSchema(db: Database): void {
  let objects: { type: string; name: string; sql: string }[];
  try {
    const result = db.exec('SELECT type, name, sql FROM sqlite_master');
    objects = (result[0]?.values ?? []).map(([type, name, sql]) => ({ type: String(type), name: String(name), sql: sql === null ? '' : String(sql) }));
  } catch (cause) {
    // SQLite only notices garbage (or ciphertext) on the first query, not when the bytes are loaded.
    throw manifestDbUnreadable('it is not an SQLite database (an encrypted Manifest.db looks like this too)', cause);
  }
  if (objects.some((o) => o.type === 'trigger')) throw manifestDbUnreadable('it contains triggers, which a backup never has');
  // SQLite resolves names case-insensitively, so "files" would answer a query for Files.
  const files = objects.find((o) => o.name.toLowerCase() === 'files' && (o.type === 'table' || o.type === 'view'));
  if (files === undefined) throw manifestDbUnreadable('it has no Files table');
  if (files.type !== 'table') throw manifestDbUnreadable('its Files is a view, not a table');
  if (/^\s*create\s+virtual\s+table\b/i.test(files.sql)) throw manifestDbUnreadable('its Files is a virtual table, not a table');

  // table_xinfo rows are (cid, name, type, notnull, dflt_value, pk, hidden); hidden 2 and 3 are generated columns.
  const info = db.exec('PRAGMA table_xinfo(Files)');
  const rows = info[0]?.values ?? [];
  if (rows.some((row) => Number(row[6]) !== 0)) throw manifestDbUnreadable('its Files table has generated or hidden columns');
  const columns = rows.map((row) => String(row[1]));
  const missing = REQUIRED_FILES_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw manifestDbUnreadable(`its Files table lacks the column(s) ${missing.join(', ')}`);
}
