import { isWrongPasswordError } from '../../backup/crypto';
import { formatByteCount, groupThousands } from '../../common/byteCount';
import { isManifestEncrypted, readManifestPlist } from '../../backup/format/manifestPlist';
import type { BackupHealth, HealthProblem } from '../../backup/verify/backupHealth';
import { verifyBackup, type VerifyProgress } from '../../backup/verify/verifyBackup';
import { UsageError, isUsageError } from '../../common/errors';
import { hasFlag } from '../args';
import { backupFolderFromArgs } from '../backupArgs';
import { command, type CliContext } from '../context';
import { backupPassword } from '../passwords';
import { EXIT_FAILED, EXIT_OK } from '../presentError';

/** Shortest pause between two progress lines on a terminal. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * `verify <backupDir> [--quick] [--password-stdin] [--json]`: the backup health check. One line per problem
 * (`<domain>/<relativePath>: <problem>`), then a summary; exit 0 healthy, 1 problems or a wrong password.
 * An encrypted backup's full check needs its password: without one the command stops with a sentence
 * saying so rather than reporting a partial check as healthy (`--quick` checks what needs no password).
 */
export const verifyCommand = command({
  usage: 'verify <backupDir> [--quick] [--password-stdin] [--json]',
  summary: "check a backup's health: its plists, Status, Manifest.db and every file (decrypted when encrypted); exit 1 on problems",
  flags: { booleans: ['quick'] },
  async run(ctx) {
    const backupDir = backupFolderFromArgs(ctx.args);
    if (ctx.args.positionals.length > 1) throw new UsageError('verify checks one backup folder at a time.');
    const level = hasFlag(ctx.args, 'quick') ? 'quick' : 'full';
    let password: string | undefined;
    if (await isEncrypted(backupDir)) {
      try {
        password = await backupPassword(ctx);
      } catch (err) {
        if (!isUsageError(err)) throw err;
        // The quick check of the plists and of Manifest.db's shape needs no password; the full one does.
        if (level === 'full') {
          ctx.note(
            `The backup at ${backupDir} is encrypted, and the full check decrypts every file, so it needs the backup password: set IOSBR_PASSWORD or pass --password-stdin (--quick checks the folder without it).`,
          );
          return EXIT_FAILED;
        }
      }
    }
    let health: BackupHealth;
    try {
      health = await verifyBackup(backupDir, { level, password, signal: ctx.signal, onProgress: progressPrinter(ctx) });
    } catch (err) {
      if (!isWrongPasswordError(err)) throw err;
      if (ctx.json) ctx.out(JSON.stringify({ backupDir, passwordCorrect: false }) + '\n');
      ctx.note('The password does not open this backup, so its files were not checked; check the password and run verify again.');
      return EXIT_FAILED;
    }
    if (ctx.json) {
      ctx.out(JSON.stringify(health, null, 2) + '\n');
    } else {
      for (const problem of health.problems) ctx.out(problemLine(problem) + '\n');
      if (health.problemsNotListed) ctx.out(`… and ${health.problemsNotListed} more problems not listed.\n`);
      if (hasFlag(ctx.args, 'verbose')) for (const sentence of health.tolerated) ctx.out(`tolerated: ${sentence}\n`);
      for (const sentence of health.notChecked ?? []) ctx.out(`not checked: ${sentence}\n`);
      ctx.out(summaryLine(health) + '\n');
    }
    return health.healthy ? EXIT_OK : EXIT_FAILED;
  },
});

/** One problem as the CLI prints it: `<domain>/<relativePath>: <problem>`, or `<file>: <problem>` for the folder's own files. */
export function problemLine(problem: HealthProblem): string {
  const where = problem.domain === null ? problem.relativePath : `${problem.domain}/${problem.relativePath}`;
  return `${where}: ${problem.problem}`;
}

/** The closing line: healthy or how many problems, what was checked, what was tolerated. */
export function summaryLine(health: BackupHealth): string {
  const problems = health.problems.length + (health.problemsNotListed ?? 0);
  const tolerated = health.tolerated.length + (health.toleratedNotListed ?? 0);
  const scope =
    health.level === 'quick'
      ? 'quick check of the plists and Manifest.db'
      : `${count(health.filesChecked, 'file')} checked (${formatByteCount(health.bytesChecked)} read)`;
  const verdict = problems === 0 ? 'The backup is healthy' : `${count(problems, 'problem')} found`;
  const oddities = tolerated === 0 ? '' : `; ${count(tolerated, 'oddity', 'oddities')} real devices produce tolerated (--verbose or --json lists them)`;
  return `${verdict}: ${scope}${oddities}.`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${groupThousands(n)} ${n === 1 ? singular : plural}`;
}

/** True when Manifest.plist says the backup is encrypted; an unreadable one is left to the check to report. */
async function isEncrypted(backupDir: string): Promise<boolean> {
  try {
    return isManifestEncrypted(await readManifestPlist(backupDir));
  } catch {
    return false;
  }
}

/** Progress lines on stderr, at most once a second, only on a terminal (a log or a pipe gets the result alone). */
function progressPrinter(ctx: CliContext): ((p: VerifyProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let lastAt = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastAt < PROGRESS_INTERVAL_MS && p.filesChecked < p.filesTotal) return;
    lastAt = now;
    ctx.note(`Checking: ${groupThousands(p.filesChecked)}/${groupThousands(p.filesTotal)} files · ${formatByteCount(p.bytesChecked)}`);
  };
}
