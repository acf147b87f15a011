import * as fc from 'fast-check';
import type { ServiceProvider } from '../../../src/lockdown/serviceProvider';
import { AFC_LOCK, AFC_OPERATION, encodeAfcPacket, encodeAfcU64 } from '../../../src/services/afcPacket';
import { AfcService } from '../../../src/services/afc';
import { ServiceConnection } from '../../../src/transport/serviceConnection';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { ScriptedPeer } from '../scriptedPeer';

/**
 * AFC replies from a hostile device over a real loopback socket, read by the real AfcService in the
 * order the backup's sync lock uses it: open, lock, unlock, close, then a small write and a folder.
 */
export async function afcPacketsTarget(): Promise<FuzzTarget<Buffer>> {
  const peer = await ScriptedPeer.start();
  let reply: Buffer = Buffer.alloc(0);
  const provider: ServiceProvider = {
    udid: '00008110-000A1B2C3D4E801E',
    startService: async (name: string) => new ServiceConnection(await peer.connect(reply), name),
  };
  const status = (n: number, code = 0) => encodeAfcPacket({ packetNumber: BigInt(n), operation: AFC_OPERATION.Status, headerData: encodeAfcU64(code), payload: Buffer.alloc(0) });
  const handle = (n: number) => encodeAfcPacket({ packetNumber: BigInt(n), operation: AFC_OPERATION.FileRefOpenResult, headerData: encodeAfcU64(7), payload: Buffer.alloc(0) });
  const good = Buffer.concat([handle(0), status(1), status(2), status(3), handle(4), status(5), status(6), status(7)]);
  const refused = Buffer.concat([handle(0), status(1, 19), status(2), status(3, 8)]);
  return {
    name: 'afc-packets',
    arbitrary: fc.oneof({ weight: 5, arbitrary: mutatedBytes([good, refused]) }, { weight: 1, arbitrary: randomBytes() }),
    sliceCases: 1000,
    async run(bytes) {
      reply = bytes;
      const afc = new AfcService(provider);
      await afc.connect();
      try {
        const file = await afc.openFile('/com.apple.itunes.lock_sync', 3);
        await afc.lockFile(file, AFC_LOCK.Exclusive);
        await afc.lockFile(file, AFC_LOCK.Unlock);
        await afc.closeFile(file);
        await afc.writeFile('/iTunes_Control/iTunes/x.plist', Buffer.from('<plist/>'));
        await afc.makeDirectory('/iTunes_Control');
      } finally {
        afc.close();
      }
    },
    describe: (bytes) => hexOf(bytes),
    close: () => peer.close(),
  };
}
