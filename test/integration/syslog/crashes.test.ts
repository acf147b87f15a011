import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasTool, run, runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { crashReportStoreOf } from '../../../src/simulator/services/crashReportStore';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

/** Every file below a folder, as relative paths. */
function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}

/** `iosbr crashes` (crashreportmover + crashreportcopymobile) against the simulated devices. */
describe('crashes: listing and pulling crash reports', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;
  const scratch: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-crashes-'));
    scratch.push(dir);
    return dir;
  };

  before(async () => {
    h = await startSimulator();
  });
  after(async () => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    if (h) await h.stop();
  });

  it('lists the reports newest first with their kind and process', async () => {
    const r = await runCli(['crashes', SOURCE], h.env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /jetsam \(memory pressure\) .* JetsamEvent-\d{4}-\d\d-\d\d-\d{6}\.ips$/);
    assert.match(lines[1], /crash +SpringBoard .* SpringBoard-.*\.ips$/);
    assert.match(lines[3], /crash +profiled .* Retired\/profiled-.*\.ips$/);
  });

  it('--json gives the .ips header fields', async () => {
    const r = await runCli(['crashes', SOURCE, '--json'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const reports = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const springboard = reports.find((x) => String(x.path).startsWith('SpringBoard-'))!;
    assert.equal(springboard.bugType, '309');
    assert.equal(springboard.process, 'SpringBoard');
    assert.equal(springboard.osVersion, 'iPhone OS 16.1 (20B82)');
    assert.match(String(springboard.modified), /^\d{4}-\d\d-\d\dT/);
  });

  it('--pull copies every report byte for byte, keeps the folders and leaves them on the device', async () => {
    const dir = tempDir();
    const r = await runCli(['crashes', SOURCE, '--pull', dir], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Copied 4 crash reports into /);
    const files = filesBelow(dir);
    assert.equal(files.length, 4);
    assert.ok(files.some((f) => f.startsWith('Retired/profiled-')));
    const folder = crashReportStoreOf(h.simulator.device(SOURCE)!).copyArea;
    for (const file of files) {
      const onDevice = folder.lookup(file);
      assert.ok(onDevice, `${file} is still on the device`);
      assert.deepEqual(readFileSync(path.join(dir, file)), onDevice.data);
    }
    const jetsam = files.find((f) => f.startsWith('JetsamEvent-'))!;
    assert.ok(Math.abs(statSync(path.join(dir, jetsam)).mtimeMs - Date.now()) > 30 * 60_000, 'the device time of the report is kept');
  });

  it("libimobiledevice's idevicecrashreport copies the same reports", async function () {
    if (!hasTool('idevicecrashreport')) this.skip();
    const dir = tempDir();
    const r = await run('idevicecrashreport', ['-u', TARGET, '-k', dir], h.env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Done\./);
    const files = filesBelow(dir);
    assert.equal(files.length, 4, files.join(', '));
    const ours = tempDir();
    assert.equal((await runCli(['crashes', TARGET, '--pull', ours], h.env)).code, 0);
    assert.deepEqual(filesBelow(ours), files);
    for (const f of files) assert.deepEqual(readFileSync(path.join(ours, f)), readFileSync(path.join(dir, f)));
  });
});
