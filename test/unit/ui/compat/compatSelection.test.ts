import * as assert from 'node:assert/strict';
import {
  EMPTY_SELECTION,
  parseSelection,
  sameSource,
  withAnswer,
  withMethod,
  withSource,
  withTarget,
} from '../../../../src/ui/compat/compatSelection';
import { checkAnswer } from '../../../../src/ui/compat/factAnswerKinds';

describe('ui/compat: selection', () => {
  it('drops answers about the old source when the source changes, and keeps the target\'s', () => {
    let s = withSource(EMPTY_SELECTION, { kind: 'backup', dir: '/b/1' });
    s = withTarget(s, 'AAA');
    s = withAnswer(s, 'source.supervisedAtBackup', true);
    s = withAnswer(s, 'target.adeRestoreFromBackupAllowed', true);
    const changed = withSource(s, { kind: 'backup', dir: '/b/2' });
    assert.deepEqual(changed.answers, { 'target.adeRestoreFromBackupAllowed': true });
    // Choosing the same source again is not a change.
    assert.equal(withSource(s, { kind: 'backup', dir: '/b/1' }), s);
    const retargeted = withTarget(s, 'BBB');
    assert.deepEqual(retargeted.answers, { 'source.supervisedAtBackup': true });
    assert.equal(withTarget(s, 'aaa'), s, 'UDIDs compare case-insensitively');
  });

  it('records, replaces and withdraws answers, and picks methods', () => {
    let s = withAnswer(EMPTY_SELECTION, 'target.supervised', true);
    s = withAnswer(s, 'target.supervised', false);
    assert.deepEqual(s.answers, { 'target.supervised': false });
    assert.deepEqual(withAnswer(s, 'target.supervised', null).answers, {});
    assert.equal(withMethod(s, 'icloud').methodId, 'icloud');
  });

  it('compares sources by kind and identity', () => {
    assert.ok(sameSource({ kind: 'device', udid: 'AbC' }, { kind: 'device', udid: 'abc' }));
    assert.ok(!sameSource({ kind: 'device', udid: 'abc' }, { kind: 'backup', dir: 'abc' }));
    assert.ok(sameSource(null, null));
    assert.ok(!sameSource(null, { kind: 'backup', dir: '/x' }));
  });

  it('reads back saved state and drops whatever is malformed', () => {
    const good = { source: { kind: 'device', udid: 'X' }, targetUdid: 'Y', methodId: 'finder-mac', answers: { 'target.supervised': true, 'source.iosVersion': '16.1' } };
    assert.deepEqual(parseSelection(good), good);
    assert.deepEqual(parseSelection(undefined), EMPTY_SELECTION);
    assert.deepEqual(parseSelection('junk'), EMPTY_SELECTION);
    assert.deepEqual(
      parseSelection({
        source: { kind: 'disk', path: '/' },
        targetUdid: 7,
        methodId: '',
        answers: { 'target.supervised': 'yes please', nonsense: true, 'source.udid': '  ', 'source.iosVersion': 'x', 'target.udid': 'Z' },
      }),
      { source: null, targetUdid: null, methodId: null, answers: { 'target.udid': 'Z' } },
    );
  });

  it('checks typed answers by the kind of fact', () => {
    assert.deepEqual(checkAnswer('target.supervised', true), { ok: true, value: true });
    assert.deepEqual(checkAnswer('target.supervised', 'yes'), { ok: false, problem: 'not-boolean' });
    assert.deepEqual(checkAnswer('source.iosVersion', ' 16.1 '), { ok: true, value: '16.1' });
    assert.deepEqual(checkAnswer('source.iosVersion', 'sixteen'), { ok: false, problem: 'not-ios-version' });
    assert.deepEqual(checkAnswer('source.udid', '   '), { ok: false, problem: 'empty' });
    assert.deepEqual(checkAnswer('source.udid', ' 00008110-000A1B2C3D4E801E '), { ok: true, value: '00008110-000A1B2C3D4E801E' });
  });
});
