import assert from 'node:assert/strict';
import { formatFields, levelPasses, LineLogger, logLevelNamed, silentLogger } from '../../../src/common/logger';

describe('common: the one logger', () => {
  it('follows a threshold that changes at run time (the extension), tags scopes and redacts secrets', () => {
    const lines: string[] = [];
    let level: 'info' | 'trace' = 'info';
    const logger = new LineLogger((lvl, line) => lines.push(`${lvl} ${line}`), () => level).child('backup').child('UDID1');
    logger.debug('hidden');
    logger.info('started', { files: 3, password: 'hunter2', escrowBag: 'abc' });
    level = 'trace';
    logger.trace('DLMessageProcessMessage');
    assert.deepEqual(lines, ['info [backup] [UDID1] started files=3 password=«redacted» escrowBag=«redacted»', 'trace [backup] [UDID1] DLMessageProcessMessage']);
    assert.ok(levelPasses('error', 'warn'));
    assert.ok(!levelPasses('debug', 'info'));
  });

  it('filters by a level fixed at construction (the CLI) and writes values as fields after the message', () => {
    const lines: string[] = [];
    const logger = new LineLogger((lvl, line) => lines.push(`${lvl}: ${line}`), 'warn');
    logger.info('connected', { udid: 'UDID1' });
    logger.warn('device refused', { udid: 'UDID1', count: 2, skipped: undefined });
    logger.error('keybag unreadable', { keybag: 'AAAA', privateKey: 'BBBB', token: 'CCCC', key: 'DDDD', path: '/tmp/b' });
    assert.deepEqual(lines, [
      'warn: device refused udid=UDID1 count=2',
      'error: keybag unreadable keybag=«redacted» privateKey=«redacted» token=«redacted» key=«redacted» path=/tmp/b',
    ]);
  });

  it('drops everything at level off, and formats no fields as nothing', () => {
    const lines: string[] = [];
    const off = new LineLogger((_lvl, line) => lines.push(line), 'off');
    off.error('never');
    silentLogger.child('x').error('never either');
    assert.deepEqual(lines, []);
    assert.equal(formatFields(undefined), '');
    assert.equal(formatFields({ skipped: undefined }), '');
  });

  it('reads a level from its name, and no level from any other word', () => {
    assert.equal(logLevelNamed('trace'), 'trace');
    assert.equal(logLevelNamed('off'), 'off');
    for (const name of [undefined, '', 'verbose', 'TRACE', 'toString', '__proto__']) assert.equal(logLevelNamed(name), undefined, String(name));
  });
});
