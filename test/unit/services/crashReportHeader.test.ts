import assert from 'node:assert/strict';
import { describeBugType, parseCrashReportHeader } from '../../../src/services/crashReportHeader';
import { crashReportSamples } from '../../../src/simulator/services/crashReportSamples';
import { demoScenario } from '../../../src/simulator/scenario';

describe('.ips crash report headers', () => {
  it('reads the JSON header line of a process crash and of a jetsam event', () => {
    const samples = crashReportSamples(demoScenario().devices[0], Date.UTC(2026, 10, 23, 12));
    const byName = (prefix: string) => samples.find((s) => s.path.startsWith(prefix))!;
    const springboard = parseCrashReportHeader(Buffer.from(byName('SpringBoard-').content))!;
    assert.equal(springboard.bugType, '309');
    assert.equal(springboard.process, 'SpringBoard');
    assert.equal(springboard.osVersion, 'iPhone OS 16.1 (20B82)');
    const jetsam = parseCrashReportHeader(Buffer.from(byName('JetsamEvent-').content))!;
    assert.equal(jetsam.bugType, '298');
    assert.equal(jetsam.process, undefined);
    assert.ok(samples.some((s) => s.path.startsWith('Retired/')));
    for (const s of samples) JSON.parse(s.content.slice(s.content.indexOf('\n') + 1));
  });
  it('is deterministic for a device', () => {
    const spec = demoScenario().devices[0];
    assert.deepEqual(crashReportSamples(spec, 0), crashReportSamples(spec, 0));
  });
  it('returns undefined for files without a JSON header', () => {
    assert.equal(parseCrashReportHeader(Buffer.from('Incident Identifier: 1234\nCrashReporter Key: x\n')), undefined);
    assert.equal(parseCrashReportHeader(Buffer.from('{not json\n')), undefined);
    assert.equal(parseCrashReportHeader(Buffer.from('[1,2]\n')), undefined);
  });
  it('names bug types', () => {
    assert.equal(describeBugType('309'), 'crash');
    assert.equal(describeBugType('298'), 'jetsam (memory pressure)');
    assert.equal(describeBugType('999'), 'bug type 999');
    assert.equal(describeBugType(undefined), 'report');
  });
});
