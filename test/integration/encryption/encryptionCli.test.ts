import assert from 'node:assert/strict';
import type { RunResult } from '../../helpers/simulatorHarness';
import { BACKUP_DOMAIN_CHANGED } from '../../../src/simulator/backup/changePasswordRequest';
import { skipWithoutTools } from '../../helpers/simulatorHarness';
import {
  assertNoPasswords,
  fastKeybagScenario,
  outputKeepingCli,
  outputOf,
  startCapturingSimulator,
  willEncrypt,
  type CapturingSimulator,
} from '../../helpers/encryptedDeviceHarness';

const UDID = '00008110-000A7B8C9D0E101E';
const SCENARIO = fastKeybagScenario({ udid: UDID, name: 'Support iPhone', dataset: { files: 10, totalBytes: 50_000, seed: 4 } });
const FIRST = 'cli-first-Pa55';
const SECOND = 'cli-second-Pa55';
const WRONG = 'cli-wrong-Pa55';

/** The headline error lines of stderr: not the passcode notice printed before every change, not the indented explanation below the error. */
const errorLines = (r: RunResult): string[] => r.stderr.split('\n').filter((line) => line.trim() !== '' && !/^\s/.test(line) && !/passcode/.test(line));

/** Our `encryption on|off|change` against the simulated device, checked through ideviceinfo. */
describe('iosbr encryption on|off|change against the simulated device', function () {
  this.timeout(300_000);
  let sim: CapturingSimulator;
  const kept = outputKeepingCli(() => sim);
  const { outputs } = kept;
  const cli = (args: string[], env?: NodeJS.ProcessEnv, stdin?: string) => kept.cli(['encryption', UDID, ...args], env, stdin);

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2', 'ideviceinfo');
    sim = await startCapturingSimulator(SCENARIO);
  });
  after(async () => sim && (await sim.stop()));

  it('on (password from IOSBR_PASSWORD): WillEncrypt becomes true and the device posts domain_changed', async () => {
    const r = await cli(['on'], { IOSBR_PASSWORD: FIRST });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Backup encryption is now on/);
    assert.equal(await willEncrypt(sim.env, UDID), true);
    assert.ok(sim.simulator.device(UDID)!.notifications.posted.includes(BACKUP_DOMAIN_CHANGED));
  });

  it('on again: refused before anything is sent, exit 1', async () => {
    const r = await cli(['on'], { IOSBR_PASSWORD: SECOND });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already on/);
    assert.equal(await willEncrypt(sim.env, UDID), true);
  });

  it('change with a wrong current password: exit 1, one sentence, the password nowhere in the output', async () => {
    const r = await cli(['change', '--password-stdin'], {}, `${WRONG}\n${SECOND}\n`);
    assert.equal(r.code, 1);
    const lines = errorLines(r);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^[^.]*password is incorrect[^.]*\.$/);
    assert.equal(r.stdout, '');
    assertNoPasswords(outputOf(r), [WRONG, SECOND, FIRST]);
    assert.equal(await willEncrypt(sim.env, UDID), true);
  });

  it('change with the right password (IOSBR_PASSWORD / IOSBR_NEW_PASSWORD): encryption stays on', async () => {
    const r = await cli(['change'], { IOSBR_PASSWORD: FIRST, IOSBR_NEW_PASSWORD: SECOND });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await willEncrypt(sim.env, UDID), true);
  });

  it('off with the old (now wrong) password: exit 1, still on', async () => {
    const r = await cli(['off', '--password-stdin'], {}, `${FIRST}\n`);
    assert.equal(r.code, 1);
    assert.equal(errorLines(r).length, 1, r.stderr);
    assert.match(r.stderr, /password is incorrect/);
    assert.equal(await willEncrypt(sim.env, UDID), true);
  });

  it('the password survives a simulator restart with the same state dir', async () => {
    const stateDir = sim.stateDir;
    const logBefore = sim.logLines;
    await sim.stop(false);
    sim = await startCapturingSimulator(SCENARIO, stateDir);
    sim.logLines.unshift(...logBefore);
    assert.equal(await willEncrypt(sim.env, UDID), true);
    const wrong = await cli(['off'], { IOSBR_PASSWORD: FIRST });
    assert.equal(wrong.code, 1);
    const r = await cli(['off'], { IOSBR_PASSWORD: SECOND });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Backup encryption is now off/);
    assert.equal(await willEncrypt(sim.env, UDID), false);
  });

  it('off when already off: refused, exit 1', async () => {
    const r = await cli(['off'], { IOSBR_PASSWORD: SECOND });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /encryption is off/);
  });

  it('no password reached any output, the simulator log or the device log', () => {
    assertNoPasswords([...outputs, ...sim.logLines, ...sim.simulator.device(UDID)!.log.recentLines()], [FIRST, SECOND, WRONG]);
  });
});
