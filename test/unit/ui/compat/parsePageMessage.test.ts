import * as assert from 'node:assert/strict';
import { parsePageMessage } from '../../../../src/ui/compat/parsePageMessage';

describe('ui/compat: page messages', () => {
  it('accepts every well-formed message', () => {
    const messages = [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'browseBackup' },
      { type: 'selectSource', source: { kind: 'device', udid: 'AAA' } },
      { type: 'selectSource', source: { kind: 'backup', dir: '/b' } },
      { type: 'selectSource', source: null },
      { type: 'selectTarget', udid: 'BBB' },
      { type: 'selectTarget', udid: null },
      { type: 'selectMethod', methodId: 'icloud' },
      { type: 'answer', fact: 'target.supervised', value: true },
      { type: 'answer', fact: 'source.iosVersion', value: '16.1' },
      { type: 'answer', fact: 'source.iosVersion', value: null },
    ];
    for (const message of messages) assert.deepEqual(parsePageMessage(message), message);
  });

  it('drops extra fields and rejects anything malformed', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    for (const bad of [
      null,
      'ready',
      {},
      { type: 'explode' },
      { type: 'selectSource', source: { kind: 'device' } },
      { type: 'selectSource' },
      { type: 'selectTarget', udid: '' },
      { type: 'selectTarget', udid: 5 },
      { type: 'selectMethod' },
      { type: 'answer', fact: 'device.owner', value: true },
      { type: 'answer', fact: 'target.supervised', value: { yes: true } },
      { type: 'answer', fact: 'target.supervised' },
    ]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
