/**
 * Benchmark (not a test): our `verify` (full) of an encrypted backup against `openssl enc -d -aes-256-cbc`
 * decrypting the same content files, alternated in one run. Both read every byte and check each file's
 * padding (openssl refuses a bad one); openssl also decrypts every block, which verify leaves out because in
 * CBC nothing but the final block can fail (see src/backup/verify/encryptedContent.ts). The backup (1.2 GB by default) is made by our
 * `backup` from a simulated device that encrypts; each file's key is unwrapped with our crypto beforehand
 * (preparation, not timed). openssl runs once per file (each file has its own key), one after another and
 * four at once (our verify checks four files at once); the ratio is taken against the faster of the two.
 * Our verify runs in a child process under GNU time for its wall time and peak RSS.
 * Run: npm run bench:verify   (BENCH_ROUNDS, default 3; BENCH_SCALE < 1 shrinks the backup)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unwrapFileKey } from '../../src/backup/crypto';
import { unlockEncryptedBackup } from '../../src/backup/crypto/encryptedBackupSource';
import { hashedFilePath } from '../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../src/backup/format/manifestDb';
import { decodeMbFile } from '../../src/backup/format/mbFile';
import { BENCH_CLI, startSimulatorProcess, type SimulatorProcess } from '../simulatorProcess';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CLI = BENCH_CLI;
const UDID = '00008110-0000000000BE0101';
const PASSWORD = 'bench-verify-password';
const DATASET = { files: Math.max(10, Math.round(2000 * SCALE)), totalBytes: Math.round(1_200_000_000 * SCALE), seed: 31 };
/** Keybag iterations that keep the password check out of the measurement (real devices: 10,000,000 / 10,000). */
const FAST_KEYBAG = { sha256: 1000, sha1: 10 };
const OPENSSL_PARALLEL = 4;
const ZERO_IV = '0'.repeat(32);

/** A content file and its unwrapped key, for openssl. */
interface KeyedFile {
  contentPath: string;
  keyHex: string;
  bytes: number;
}

interface Timing {
  seconds: number;
  peakRssKb?: number;
}

function startSimulator(work: string): Promise<SimulatorProcess> {
  return startSimulatorProcess(work, [{ udid: UDID, name: 'Bench iPhone', backupPassword: PASSWORD, keybagIterations: FAST_KEYBAG, dataset: DATASET }]);
}

/** Every flags-1 row's content file and its key (the preparation openssl needs; not timed). */
async function keyedFiles(backupDir: string): Promise<KeyedFile[]> {
  const unlocked = await unlockEncryptedBackup(backupDir, PASSWORD);
  const db = await ManifestDb.open(await unlocked.source.readManifestDb(), { origin: backupDir, handOver: true });
  const files: KeyedFile[] = [];
  try {
    for await (const row of db.iterateEntries({ flags: MANIFEST_FLAGS.file })) {
      const record = decodeMbFile(row.file!);
      const contentPath = hashedFilePath(backupDir, row.fileID);
      const bytes = statSync(contentPath).size;
      // openssl refuses empty input as a bad decrypt; an empty stored file has nothing to decrypt anyway.
      if (bytes === 0) continue;
      files.push({ contentPath, keyHex: unwrapFileKey(record.encryptionKey!, unlocked.classKeys).toString('hex'), bytes });
    }
  } finally {
    db.close();
  }
  return files;
}

function ours(backupDir: string): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, 'verify', backupDir, '--json'], {
    env: { ...process.env, IOSBR_PASSWORD: PASSWORD },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`verify failed (${r.status}): ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
  const health = JSON.parse(r.stdout) as { healthy: boolean; filesChecked: number };
  if (!health.healthy) throw new Error('verify found the bench backup unhealthy');
  const [seconds, rss] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds, peakRssKb: rss };
}

function opensslArgs(file: KeyedFile): string[] {
  return ['enc', '-d', '-aes-256-cbc', '-K', file.keyHex, '-iv', ZERO_IV, '-in', file.contentPath, '-out', '/dev/null'];
}

/** openssl, one file after another. */
function opensslSequential(files: readonly KeyedFile[]): Timing {
  const started = process.hrtime.bigint();
  for (const file of files) {
    const r = spawnSync('openssl', opensslArgs(file), { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`openssl failed on ${file.contentPath}: ${r.stderr.toString()}`);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * One openssl process decrypting every file's bytes as one stream (`cat` feeds them; one key for all, no
 * padding check): the same reading and AES work with no process start per file. Not what a person can run
 * to check a backup (each file has its own key), but the floor of openssl's work on these bytes.
 */
function opensslOneStream(files: readonly KeyedFile[], work: string): Timing {
  const list = path.join(work, 'files.list');
  writeFileSync(list, files.map((f) => f.contentPath).join('\0'));
  const started = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `xargs -0 cat < "${list}" | openssl enc -d -aes-256-cbc -nopad -K ${files[0].keyHex} -iv ${ZERO_IV} -out /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`openssl on one stream failed: ${r.stderr.toString()}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** openssl, several files at once (as our verify does). */
async function opensslParallel(files: readonly KeyedFile[]): Promise<Timing> {
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++];
      await new Promise<void>((resolve, reject) => {
        const child = spawn('openssl', opensslArgs(file), { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`openssl failed on ${file.contentPath}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: OPENSSL_PARALLEL }, worker));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'iosbr-bench-verify-'));
  const sim = await startSimulator(work);
  try {
    const root = path.join(work, 'backups');
    console.log(`backing up a simulated device (${DATASET.files} files, ${(DATASET.totalBytes / 1e9).toFixed(2)} GB, encrypted) with our backup…`);
    const made = spawnSync(process.execPath, [CLI, 'backup', UDID, '--dir', root, '--full'], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: sim.address }, encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`backup failed: ${made.stderr.slice(-500)}`);
    sim.stop();
    const backupDir = path.join(root, UDID);
    const files = await keyedFiles(backupDir);
    const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`${files.length} content files, ${(totalBytes / 1e9).toFixed(2)} GB of ciphertext; warming the page cache…`);
    // Both sides read from the page cache: this measures decryption and per-file costs, not the disk.
    spawnSync('sh', ['-c', `cat "${backupDir}"/*/* > /dev/null`]);

    const oursTimes: Timing[] = [];
    const sequential: Timing[] = [];
    const parallel: Timing[] = [];
    const streams: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first, so neither always follows the other's cache effects.
      if (round % 2 === 0) {
        oursTimes.push(ours(backupDir));
        sequential.push(opensslSequential(files));
        streams.push(opensslOneStream(files, work));
        parallel.push(await opensslParallel(files));
      } else {
        parallel.push(await opensslParallel(files));
        streams.push(opensslOneStream(files, work));
        sequential.push(opensslSequential(files));
        oursTimes.push(ours(backupDir));
      }
      console.log(
        `round ${round + 1}: ours ${oursTimes.at(-1)!.seconds.toFixed(2)} s (${Math.round(oursTimes.at(-1)!.peakRssKb! / 1024)} MB), ` +
          `openssl one by one ${sequential.at(-1)!.seconds.toFixed(2)} s, ${OPENSSL_PARALLEL} at once ${parallel.at(-1)!.seconds.toFixed(2)} s, ` +
          `all bytes in one stream ${streams.at(-1)!.seconds.toFixed(2)} s`,
      );
    }
    const oursMedian = median(oursTimes.map((t) => t.seconds));
    const sequentialMedian = median(sequential.map((t) => t.seconds));
    const parallelMedian = median(parallel.map((t) => t.seconds));
    const streamMedian = median(streams.map((t) => t.seconds));
    const peak = Math.max(...oursTimes.map((t) => t.peakRssKb ?? 0)) / 1024;
    console.log(
      `RESULT ${files.length} files, ${(totalBytes / 1e9).toFixed(2)} GB: ours ${oursMedian.toFixed(2)} s, openssl one by one ${sequentialMedian.toFixed(2)} s, ` +
        `${OPENSSL_PARALLEL} at once ${parallelMedian.toFixed(2)} s; ratio ours/fastest openssl ${(oursMedian / Math.min(sequentialMedian, parallelMedian)).toFixed(2)} (goal ≤ 1.5), ` +
        `our peak RSS ${peak.toFixed(0)} MB (goal < 150)`,
    );
    console.log(
      `RESULT floor: openssl decrypting all ${(totalBytes / 1e9).toFixed(2)} GB in one stream ${streamMedian.toFixed(2)} s; ` +
        `ratio ours (the whole command: Node start, password, Manifest.db, ${files.length} files) / that floor ${(oursMedian / streamMedian).toFixed(2)}`,
    );
  } finally {
    sim.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
