import * as fc from 'fast-check';
import { LockdownClient } from '../../../src/lockdown/lockdownClient';
import type { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import type { UsbmuxDevice } from '../../../src/usbmux/usbmuxDevice';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { samplePlistFrames } from '../frameSamples';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { ScriptedPeer } from '../scriptedPeer';

const DEVICE: UsbmuxDevice = { deviceId: 1, udid: '00008110-000A1B2C3D4E801E', connectionType: 'USB' };

/**
 * lockdownd's replies, from a hostile device over a real loopback socket, read by the real LockdownClient:
 * QueryType on connect, then GetValue and StartService as `info` and `backup` ask them.
 */
export async function lockdownFramesTarget(): Promise<FuzzTarget<Buffer>> {
  const peer = await ScriptedPeer.start();
  const mux = { connect: () => peer.connect(currentReply) } as unknown as UsbmuxClient;
  let currentReply: Buffer = Buffer.alloc(0);
  const frames = samplePlistFrames();
  const queryType = frames.slice(0, 2);
  return {
    name: 'lockdown-frames',
    // A stream starts with a good QueryType answer most of the time, so the later requests are reached too.
    arbitrary: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...queryType), mutatedBytes(frames), mutatedBytes(frames)).map((parts) => Buffer.concat(parts)) },
      { weight: 2, arbitrary: mutatedBytes(frames) },
      { weight: 1, arbitrary: randomBytes() },
    ),
    sliceCases: 1000,
    async run(bytes) {
      currentReply = bytes;
      const client = await LockdownClient.connect(mux, DEVICE);
      try {
        await client.getValue();
        await client.getValue('com.apple.mobile.backup', 'WillEncrypt');
        await client.startService('com.apple.mobilebackup2');
      } finally {
        client.close();
      }
    },
    describe: (bytes) => hexOf(bytes),
    close: () => peer.close(),
  };
}
