import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runCli } from '../../helpers/simulatorHarness';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'doctor');

/** The environment with the locale set (and nothing else that could change the language). */
function envWith(lang: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: lang };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  return env;
}

const EN = envWith('en_US.UTF-8');

/** `node dist/cli.js explain …` (built by `npm run build`). */
describe('iosbr explain (built CLI)', function () {
  this.timeout(60_000);

  it('a bare exit status: exit 0, the mod-256 reading said out loud, the fix', async () => {
    const r = await runCli(['explain', '45'], EN);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exit status 45 read as idevicebackup2's return value -211 \(the shell keeps it mod 256: 256 − 211 = 45\), i\.e\. MBErrorDomain\/211\./);
    assert.match(r.stdout, /▶ Restore refused: Find My is on \[mb-211-find-my\]/);
    assert.match(r.stdout, /Settings > \[name\] > Find My/);
    assert.equal(r.stderr, '');
  });

  it('unquoted words are one text: an idevicebackup2 line typed after explain', async () => {
    const r = await runCli(['explain', 'ErrorCode', '211:', 'Find', 'My', 'iPhone', 'must', 'be', 'disabled', 'before', 'restoring', '(MBErrorDomain/211)'], EN);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Parsed: MBErrorDomain\/211 "Find My iPhone must be disabled before restoring"/);
  });

  it('--lang ja, and Japanese by default under a Japanese locale', async () => {
    const forced = await runCli(['explain', '--lang', 'ja', 'ERROR: Could not connect to lockdownd: Invalid HostID (-21)'], EN);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /▶ デバイスがこのコンピュータのペアリングを受け付けない \[lockdown-invalid-host-id\]/);
    assert.match(forced.stdout, /原因: /);
    const byLocale = await runCli(['explain', 'Restore Failed (Error Code 211).'], envWith('ja_JP.UTF-8'));
    assert.equal(byLocale.code, 0, byLocale.stderr);
    assert.match(byLocale.stdout, /復元拒否: 「探す」がオンになっている/);
    assert.match(byLocale.stdout, /1 行から 1 件の失敗を認識した。/);
  });

  it('--file LOG --json: every finding with its line, parsed code and entries', async () => {
    const r = await runCli(['explain', '--file', path.join(FIXTURES, 'idevicebackup2-support-session.log'), '--json'], EN);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      recognised: boolean;
      lang: string;
      linesRead: number;
      findings: { location: { line: number }; parsed: { code?: number }; entryIds: string[]; notes: string[] }[];
      entries: Record<string, { title: string; cause: string; check: string[]; fix: string[] }>;
    };
    assert.equal(doc.recognised, true);
    assert.equal(doc.lang, 'en');
    assert.equal(doc.linesRead, 25);
    assert.deepEqual(doc.findings.map((f) => [f.location.line, f.entryIds[0]]), [
      [2, 'lockdown-password-protected'],
      [4, 'lockdown-password-protected'],
      [8, 'lockdown-invalid-host-id'],
      [12, 'lockdown-pairing-dialog-pending'],
      [20, 'ib2-waiting-for-passcode'],
      [21, 'device-not-ready'],
      [22, 'device-not-ready'],
      [23, 'mb-208-device-locked'],
      [25, 'mb-208-device-locked'],
    ]);
    assert.equal(doc.findings[7].parsed.code, 208);
    assert.equal(typeof doc.entries['mb-208-device-locked'].cause, 'string');
    assert.ok(doc.entries['mb-208-device-locked'].fix.length > 0);
  });

  it('- reads stdin: a whole device syslog, and a single code', async () => {
    const log = readFileSync(path.join(FIXTURES, 'device-syslog-backup.log'), 'utf8');
    const r = await runCli(['explain', '-'], EN, { stdin: log });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Line 4: .*BackupAgent2/m);
    assert.match(r.stdout, /\[mb-100-io\]/);
    assert.match(r.stdout, /\[mb-104-upload-errors\]/);
    const code = await runCli(['explain', '-', '--json'], EN, { stdin: '-211\n' });
    assert.equal(code.code, 0, code.stderr);
    assert.deepEqual((JSON.parse(code.stdout) as { findings: { entryIds: string[] }[] }).findings.map((f) => f.entryIds), [['mb-211-find-my']]);
  });

  it('an unknown code: exit 1, and the output shows what was parsed', async () => {
    const r = await runCli(['explain', 'ErrorCode 999'], EN);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Parsed: MBErrorDomain\/999/);
    assert.match(r.stdout, /MBErrorDomain\/999 is not in the knowledge base: its meaning is unknown, and no explanation is guessed\./);
    const json = await runCli(['explain', '--json', 'ErrorCode 999'], EN);
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.stdout) as { recognised: boolean; findings: { parsed: { domain: string; code: number }; entryIds: string[] }[] };
    assert.equal(doc.recognised, false);
    assert.deepEqual(doc.findings.map((f) => [f.parsed.domain, f.parsed.code, f.entryIds]), [['MBErrorDomain', 999, []]]);
  });

  it('nothing recognised: exit 1 with one sentence saying what was looked for', async () => {
    const r = await runCli(['explain', 'the phone is slow'], EN);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'Nothing recognised in 1 line: no error codes, lockdownd errors, exit statuses or known messages were found.\n');
  });

  it('usage errors exit 2 with one sentence on stderr', async () => {
    for (const args of [['explain'], ['explain', '--file', path.join(FIXTURES, 'no-such.log')], ['explain', '--file', FIXTURES], ['explain', '--lang', 'fr', '211'], ['explain', '--file', 'x.log', '211']]) {
      const r = await runCli(args, EN);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('is listed in the command overview', async () => {
    const r = await runCli(['--help'], EN);
    assert.match(r.stdout, /explain <code\|name\|text…> \| --file LOG \| -/);
  });
});
