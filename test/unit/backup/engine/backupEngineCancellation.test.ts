import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CancellationTokenLike } from '../../../../src/common/cancellation';
import { runBackup } from '../../../../src/backup/engine/backupEngine';
import type { DeviceFacts } from '../../../../src/device/deviceFacts';
import type { UsbmuxClient } from '../../../../src/usbmux/usbmuxClient';

/** A caller's token that counts the subscriptions still held on it. */
function countingToken(): { token: CancellationTokenLike; held: () => number } {
  let held = 0;
  return {
    token: {
      isCancellationRequested: false,
      onCancellationRequested() {
        held++;
        let disposed = false;
        return { dispose: () => { if (!disposed) { disposed = true; held--; } } };
      },
    },
    held: () => held,
  };
}

describe('backup engine: the caller\'s cancellation token', () => {
  it('holds no subscription after a backup that fails before its transfer starts (unpaired device)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-cancel-link-'));
    try {
      const { token, held } = countingToken();
      const unpaired = { paired: false, limitation: 'This computer is not paired with the device.' } as unknown as DeviceFacts;
      await assert.rejects(
        runBackup({ mux: undefined as unknown as UsbmuxClient, udid: '00008110-000A1B2C3D4E801E', root, token, readFacts: async () => unpaired }),
        /not paired/,
      );
      assert.equal(held(), 0, 'a subscription on the caller\'s token was left behind');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
