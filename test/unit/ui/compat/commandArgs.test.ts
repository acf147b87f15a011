import * as assert from 'node:assert/strict';
import { selectionRequestFromArgs } from '../../../../src/ui/compat/commandArgs';

const backupNode = { label: 'Support iPhone', backupDir: '/backups/A' };
const deviceA = { label: 'Old', udid: 'AAA' };
const deviceB = { label: 'New', udid: 'BBB' };

describe('ui/compat: command arguments', () => {
  it('opens empty from the palette and ignores shapes it does not know', () => {
    assert.deepEqual(selectionRequestFromArgs(undefined), {});
    assert.deepEqual(selectionRequestFromArgs('AAA'), {});
    assert.deepEqual(selectionRequestFromArgs({ path: '/x' }), {});
  });

  it('makes a backup node the source and a device node the target', () => {
    assert.deepEqual(selectionRequestFromArgs(backupNode), { source: { kind: 'backup', dir: '/backups/A' } });
    assert.deepEqual(selectionRequestFromArgs(deviceA), { targetUdid: 'AAA' });
    assert.deepEqual(selectionRequestFromArgs({ udid: 'AAA', role: 'source' }), { source: { kind: 'device', udid: 'AAA' } });
  });

  it('prefers backupDir when a backup node also carries its device\'s udid', () => {
    assert.deepEqual(selectionRequestFromArgs({ backupDir: '/backups/A', udid: 'AAA' }), { source: { kind: 'backup', dir: '/backups/A' } });
  });

  it('uses a two-node multi-selection as source and target', () => {
    assert.deepEqual(selectionRequestFromArgs(deviceB, [deviceB, backupNode]), { source: { kind: 'backup', dir: '/backups/A' }, targetUdid: 'BBB' });
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA, deviceB]), { source: { kind: 'device', udid: 'AAA' }, targetUdid: 'BBB' });
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA, { ...deviceB, role: 'source' }]), { source: { kind: 'device', udid: 'BBB' }, targetUdid: 'AAA' });
    // A one-element selection array is just the clicked node.
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA]), { targetUdid: 'AAA' });
  });
});
