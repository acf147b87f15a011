import { isWrongPasswordError } from '../../backup/crypto';
import { unlockEncryptedBackup } from '../../backup/encrypted/encryptedBackupSource';
import { FORGOTTEN_PASSWORD_GUIDANCE } from '../../backup/encrypted/forgottenPassword';
import { isManifestEncrypted, readManifestPlist } from '../../backup/format/manifestPlist';
import { ManifestDb } from '../../backup/format/manifestDb';
import { UsageError } from '../../errors';
import { hasFlag, requirePositional } from '../args';
import { langFromEnvironment } from '../cliLanguage';
import type { CliCommand } from '../context';
import { StdinPasswords, takePassword } from '../passwords';
import { EXIT_FAILED, EXIT_OK } from '../presentError';

/** `verify-password <backupDir>`: exit 0 when the password opens the encrypted backup, 1 when not. */
export const verifyPasswordCommand: CliCommand = {
  name: 'verify-password',
  usage: 'verify-password <backupDir> [--password-stdin] [--json]',
  summary: 'check that a password opens an encrypted backup (IOSBR_PASSWORD or --password-stdin)',
  flags: {},
  async run(ctx) {
    const backupDir = requirePositional(ctx.args, 0, 'the backup folder');
    const manifest = await readManifestPlist(backupDir);
    if (!isManifestEncrypted(manifest)) throw new UsageError(`The backup at ${backupDir} is not encrypted, so it has no password to verify.`);
    let password: string;
    try {
      password = await takePassword({ fromStdin: hasFlag(ctx.args, 'password-stdin'), stdin: new StdinPasswords(ctx.stdin), env: ctx.env, envName: 'IOSBR_PASSWORD', line: 0 });
    } catch (err) {
      ctx.note(FORGOTTEN_PASSWORD_GUIDANCE[langFromEnvironment(ctx.env)].join('\n'));
      throw err;
    }
    const abort = new AbortController();
    ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
    try {
      const unlocked = await unlockEncryptedBackup(backupDir, password, abort.signal);
      // Opening Manifest.db proves the ManifestKey too, not just the keybag.
      const db = await ManifestDb.open(await unlocked.source.readManifestDb(), { origin: backupDir, signal: abort.signal, handOver: true });
      let files: number;
      try {
        files = await db.count();
      } finally {
        db.close();
      }
      if (ctx.json) ctx.out(JSON.stringify({ backupDir, passwordCorrect: true, entries: files }) + '\n');
      else ctx.out(`The password opens the backup (${files} entries in Manifest.db).\n`);
      return EXIT_OK;
    } catch (err) {
      if (!isWrongPasswordError(err)) throw err;
      if (ctx.json) ctx.out(JSON.stringify({ backupDir, passwordCorrect: false }) + '\n');
      ctx.note('The password does not open this backup.');
      return EXIT_FAILED;
    }
  },
};
