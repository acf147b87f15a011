import assert from 'node:assert/strict';
import { isUsageError } from '../../../src/common/errors';
import { formatLogEntry } from '../../../src/deviceLog/formatLogEntry';
import { createLogFilter, describeLogFilter, matchesLogFilter, NO_FILTER, type LogFilterSpec } from '../../../src/deviceLog/logFilter';
import { levelRank, parseLevelName } from '../../../src/services/syslog/syslogLevel';
import type { DeviceLogEntry } from '../../../src/services/syslog/syslogRecord';

const record = (process: string, level: string, message: string, pid = 10): DeviceLogEntry => ({ kind: 'record', time: 'Nov 23 18:00:00', device: 'iPhone', process, pid, level, message });
const passes = (spec: LogFilterSpec, entry: DeviceLogEntry) => matchesLogFilter(entry, createLogFilter(spec), formatLogEntry(entry));

describe('log filters', () => {
  it('lets everything through when empty', () => {
    assert.equal(describeLogFilter(NO_FILTER), '');
    assert.ok(matchesLogFilter({ kind: 'text', text: 'x' }, NO_FILTER, 'x'));
  });
  it('matches process names exactly, several joined by |, and pids', () => {
    assert.ok(passes({ process: 'BackupAgent2' }, record('BackupAgent2', 'Notice', 'x')));
    assert.ok(!passes({ process: 'BackupAgent' }, record('BackupAgent2', 'Notice', 'x')));
    assert.ok(passes({ process: 'mdmd|profiled' }, record('profiled', 'Notice', 'x')));
    assert.ok(passes({ process: '412' }, record('BackupAgent2', 'Notice', 'x', 412)));
    assert.ok(!passes({ process: 'mdmd' }, { kind: 'text', text: 'mdmd says' }), 'unparsed lines have no process');
  });
  it('passes the given level and more severe ones', () => {
    assert.ok(passes({ level: 'warning' }, record('p', 'Error', 'x')));
    assert.ok(passes({ level: 'Warning' }, record('p', 'Warning', 'x')));
    assert.ok(!passes({ level: 'warn' }, record('p', 'Notice', 'x')));
    assert.ok(passes({ level: 'debug' }, record('p', 'Debug', 'x')));
  });
  it('tests the regular expression against the line as shown, with optional /body/flags', () => {
    assert.ok(passes({ match: 'MBErrorDomain/1\\d\\d' }, record('p', 'Error', 'failed (MBErrorDomain/104)')));
    assert.ok(passes({ match: 'BackupAgent2' }, record('BackupAgent2', 'Notice', 'x')));
    assert.ok(!passes({ match: 'FAILED' }, record('p', 'Error', 'failed')));
    assert.ok(passes({ match: '/FAILED/i' }, record('p', 'Error', 'failed')));
    const global = createLogFilter({ match: '/x/g' });
    const entry = record('p', 'Notice', 'x');
    assert.ok(matchesLogFilter(entry, global, formatLogEntry(entry)) && matchesLogFilter(entry, global, formatLogEntry(entry)), 'no lastIndex carried over');
  });
  it('refuses a bad level or regular expression with a usage error', () => {
    assert.throws(() => createLogFilter({ level: 'loud' }), (e) => isUsageError(e) && /Debug, Info, Notice/.test(e.message));
    assert.throws(() => createLogFilter({ match: '(' }), (e) => isUsageError(e) && /not a valid regular expression/.test(e.message));
  });
  it('describes itself briefly', () => {
    assert.equal(describeLogFilter(createLogFilter({ process: 'BackupAgent2', level: 'err', match: 'fail' })), 'process=BackupAgent2 level≥Error match=/fail/');
  });
  it('ranks levels from Debug to Emergency, unknown words as Notice', () => {
    assert.ok(levelRank('Debug') < levelRank('Info') && levelRank('Info') < levelRank('Notice') && levelRank('Warning') < levelRank('Error'));
    assert.equal(levelRank('Whatever'), levelRank('Notice'));
    assert.equal(parseLevelName(' ERROR '), 'Error');
  });
});
