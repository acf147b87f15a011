/*
 * How far the size of a file's content may differ from the Size its MBFile record holds.
 *
 * Size is taken when the device lists the file, the content when it is sent; a file written in between
 * (above all an SQLite database, its -wal and -shm companions, logs) arrives with another length. Public
 * decryptors met this in real backups in both directions, by far more than one AES block, and almost only
 * for SQLite files (about 30 of 3,800 files of one iOS 14/15 backup):
 *   https://github.com/avibrazil/iOSbackup/pull/26
 *   https://github.com/jsharkey13/iphone_backup_decrypt/issues/1
 *   https://github.com/avibrazil/iOSbackup/issues/1
 * So a different length is tolerated and reported as such. What that behaviour cannot explain is content
 * that is empty although the record says the file had bytes, for a file that is not written while the phone
 * runs: that is what a copy of the folder that stopped early or a damaged disk leaves, and it is flagged.
 */

/** Names of files an app or the system keeps writing: SQLite databases and their journals, stores, logs. */
const LIVE_WRITTEN_FILE = /(\.(db|sqlite|sqlite3|sqlitedb|storedata|realm|log)|-(wal|shm|journal))$/i;

/** What the size of one file's content says. */
export type SizeVerdict = { kind: 'consistent' } | { kind: 'tolerated'; sentence: string } | { kind: 'problem'; problem: string };

/** True for files whose recorded Size is known to go stale while a backup runs. */
export function isLiveWrittenFile(relativePath: string): boolean {
  return LIVE_WRITTEN_FILE.test(relativePath);
}

/**
 * Judges a file's content length (plain bytes on disk, or the decrypted length) against its recorded Size.
 * `name` is "<domain>/<relativePath>", used in the tolerated sentence.
 */
export function judgeContentSize(name: string, relativePath: string, recordedSize: number, contentSize: number): SizeVerdict {
  if (contentSize === recordedSize) return { kind: 'consistent' };
  if (contentSize === 0 && recordedSize > 0 && !isLiveWrittenFile(relativePath)) {
    return {
      kind: 'problem',
      problem: `its content is empty although Manifest.db records ${recordedSize} bytes, and a file of this kind is not rewritten while a backup runs (the content was lost, e.g. by a copy of the folder that stopped early)`,
    };
  }
  return {
    kind: 'tolerated',
    sentence: `${name} holds ${contentSize} bytes where Manifest.db records ${recordedSize}; real backups record sizes that went stale while the file was being written, mostly of databases`,
  };
}
