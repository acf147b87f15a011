/**
 * Benchmark (not a test): our backup-password check with the real derivation parameters
 * (PBKDF2-HMAC-SHA256 × 10,000,000 then PBKDF2-HMAC-SHA1 × 10,000) against OpenSSL's `kdf`
 * doing the same two derivations, alternated in one run. Prints the ratio ours/OpenSSL.
 */
import { execFileSync } from 'node:child_process';
import { checkBackupPassword, createKeybag, parseKeybag } from '../../src/backup/crypto';

const PASSWORD = 'bench-password';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function opensslDerivation(salt256: Buffer, iter256: number, salt1: Buffer, iter1: number): void {
  const first = execFileSync('openssl', ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexpass:${Buffer.from(PASSWORD).toString('hex')}`, '-kdfopt', `hexsalt:${salt256.toString('hex')}`, '-kdfopt', `iter:${iter256}`, 'PBKDF2'])
    .toString()
    .trim()
    .replace(/:/g, '');
  execFileSync('openssl', ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA1', '-kdfopt', `hexpass:${first}`, '-kdfopt', `hexsalt:${salt1.toString('hex')}`, '-kdfopt', `iter:${iter1}`, 'PBKDF2']);
}

async function main(): Promise<void> {
  console.log('creating a keybag with the real parameters…');
  const created = await createKeybag({ password: PASSWORD });
  const keybag = parseKeybag(created.bytes);
  const h = keybag.header;
  if (!h.dpSalt || !h.dpIterations) throw new Error('expected a modern keybag');
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = process.hrtime.bigint();
    if (!(await checkBackupPassword(keybag, PASSWORD))) throw new Error('password check failed');
    ours.push(Number(process.hrtime.bigint() - t) / 1e9);
    t = process.hrtime.bigint();
    opensslDerivation(h.dpSalt, h.dpIterations, h.salt, h.iterations);
    theirs.push(Number(process.hrtime.bigint() - t) / 1e9);
    console.log(`round ${i + 1}: ours ${ours[i].toFixed(2)} s, openssl ${theirs[i].toFixed(2)} s`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(ours) / median(theirs);
  console.log(`median: ours ${median(ours).toFixed(2)} s, openssl ${median(theirs).toFixed(2)} s, ratio ours/openssl ${ratio.toFixed(3)} (goal ≤ 1.1)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
