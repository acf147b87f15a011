import * as fc from 'fast-check';
import { createKeybag, parseKeybag, unlockKeybag } from '../../../src/backup/crypto';
import { deriveKeyInWorker, passwordKeyParams } from '../../../src/backup/crypto/passwordKey';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';

const PASSWORD = 'fuzz password';

/**
 * Manifest.plist's BackupKeyBag as verify-password and every encrypted read use it: parsed, its
 * password-wrapped class keys picked and unwrapped. The password key is the sample's own, derived once:
 * the key derivation's cost is bounded by the iteration cap, not by what fuzzing can show.
 */
export async function keybagTarget(): Promise<FuzzTarget<Buffer>> {
  const modern = await createKeybag({ password: PASSWORD, iterations: 10, dpIterations: 10 });
  const legacy = await createKeybag({ password: PASSWORD, iterations: 10, legacyDerivation: true, classes: [1, 3, 11] });
  const passwordKey = await deriveKeyInWorker(passwordKeyParams(modern.keybag.header, PASSWORD));
  return {
    name: 'keybag-tlv',
    arbitrary: fc.oneof({ weight: 5, arbitrary: mutatedBytes([modern.bytes, legacy.bytes]) }, { weight: 1, arbitrary: randomBytes() }),
    run(bytes) {
      unlockKeybag(parseKeybag(bytes), passwordKey);
    },
    describe: (bytes) => hexOf(bytes),
  };
}
