import * as assert from 'node:assert/strict';
import { selectionRequestFromArgs } from '../../../../src/ui/compat/selectionRequest';

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

  it('understands the Devices and Backups view nodes', () => {
    const deviceNode = { kind: 'device', model: { udid: 'AAA', label: 'Old' }, device: {} };
    const backupNode = { kind: 'backup', parent: {}, model: { dir: '/backups/A', udid: 'AAA' } };
    const groupNode = { kind: 'backupGroup', model: { udid: 'AAA' } };
    assert.deepEqual(selectionRequestFromArgs(deviceNode), { targetUdid: 'AAA' });
    assert.deepEqual(selectionRequestFromArgs(backupNode), { source: { kind: 'backup', dir: '/backups/A' } });
    assert.deepEqual(selectionRequestFromArgs(groupNode), {});
    assert.deepEqual(selectionRequestFromArgs(deviceNode, [{ kind: 'device', model: { udid: 'BBB' } }, deviceNode]), {
      source: { kind: 'device', udid: 'BBB' },
      targetUdid: 'AAA',
    });
  });

  it('uses a two-node multi-selection as source and target', () => {
    // A backup and a device: whichever was right-clicked, the backup is what gets restored.
    assert.deepEqual(selectionRequestFromArgs(deviceB, [deviceB, backupNode]), { source: { kind: 'backup', dir: '/backups/A' }, targetUdid: 'BBB' });
    assert.deepEqual(selectionRequestFromArgs(backupNode, [deviceB, backupNode]), { source: { kind: 'backup', dir: '/backups/A' }, targetUdid: 'BBB' });
    // Two devices: the right-clicked one is the target, whatever order the tree lists them in.
    assert.deepEqual(selectionRequestFromArgs(deviceB, [deviceA, deviceB]), { source: { kind: 'device', udid: 'AAA' }, targetUdid: 'BBB' });
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA, deviceB]), { source: { kind: 'device', udid: 'BBB' }, targetUdid: 'AAA' });
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA, { ...deviceB, role: 'target' }]), { source: { kind: 'device', udid: 'AAA' }, targetUdid: 'BBB' });
    // A one-element selection array is just the clicked node.
    assert.deepEqual(selectionRequestFromArgs(deviceA, [deviceA]), { targetUdid: 'AAA' });
  });
});
