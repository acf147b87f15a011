import * as assert from 'node:assert/strict';
import { deviceSnapshot, type CompatDeviceSource } from '../../../../src/ui/compat/compatSources';
import { deviceFacts, UDID_NEW, UDID_OLD } from './compatTestSupport';

type Source = Pick<CompatDeviceSource, 'state' | 'lastError' | 'devices'>;
const source = (state: Source['state'], devices: ReturnType<Source['devices']>, lastError?: Error): Source => ({ state, lastError, devices: () => devices });

describe('ui/compat: device source snapshot', () => {
  it('maps the monitor state to the panel\'s watching state', () => {
    assert.equal(deviceSnapshot(source('idle', [])).status, 'starting');
    assert.equal(deviceSnapshot(source('connecting', [])).status, 'starting');
    assert.equal(deviceSnapshot(source('connected', [])).status, 'watching');
    assert.deepEqual(deviceSnapshot(source('unreachable', [], new Error('usbmuxd is not running.'))), {
      status: 'unreachable',
      problem: 'usbmuxd is not running.',
      devices: [],
    });
  });

  it('keeps facts while they are re-read, reports read errors, and leaves devices being read without facts', () => {
    const facts = deviceFacts(UDID_OLD);
    const snapshot = deviceSnapshot(
      source('connected', [
        { udid: UDID_OLD, facts, reading: true },
        { udid: UDID_NEW, factsError: new Error('The device is locked.'), reading: false },
        { udid: 'CCC', reading: true },
        { udid: 'DDD', factsError: new Error('old error'), reading: true },
      ]),
    );
    assert.deepEqual(snapshot.devices, [
      { udid: UDID_OLD, facts },
      { udid: UDID_NEW, readError: 'The device is locked.' },
      { udid: 'CCC' },
      { udid: 'DDD' },
    ]);
  });
});
