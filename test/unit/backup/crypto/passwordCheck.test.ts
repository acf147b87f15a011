import assert from 'node:assert/strict';
import { checkBackupPassword } from '../../../../src/backup/crypto/passwordCheck';
import { createKeybag } from '../../../../src/backup/crypto/keybag';
import { buildKeybag } from '../../../../src/backup/crypto/keybagTlv';
import { isKeybagCorruptError } from '../../../../src/backup/crypto/cryptoErrors';
import { isCancelledError } from '../../../../src/common/errors';
import { rejectionOf } from './cryptoTestSupport';

describe('backup/crypto passwordCheck', () => {
  it('accepts the right password and refuses a wrong one, from raw keybag bytes', async () => {
    const { bytes } = await createKeybag({ password: 'Tr0ub4dor&3', iterations: 5, dpIterations: 5 });
    assert.equal(await checkBackupPassword(bytes, 'Tr0ub4dor&3'), true);
    assert.equal(await checkBackupPassword(bytes, 'tr0ub4dor&3'), false);
    assert.equal(await checkBackupPassword(bytes, ''), false);
  });

  it('works on a parsed pre-10.2 keybag', async () => {
    const { keybag } = await createKeybag({ password: 'legacy', iterations: 5, legacyDerivation: true });
    assert.equal(await checkBackupPassword(keybag, 'legacy'), true);
    assert.equal(await checkBackupPassword(keybag, 'modern'), false);
  });

  it('still throws for a corrupt keybag rather than calling the password wrong', async () => {
    const { bytes } = await createKeybag({ password: 'x', iterations: 5, dpIterations: 5 });
    assert.ok(isKeybagCorruptError(await rejectionOf(checkBackupPassword(bytes.subarray(0, bytes.length - 3), 'x'))));
  });

  it('refuses a keybag whose SHA-1 stage asks for 5,000,000 iterations, as bytes or already parsed, without deriving', async () => {
    const { bytes, keybag } = await createKeybag({ password: 'x', iterations: 5, dpIterations: 5 });
    const hostile = { ...keybag, header: { ...keybag.header, iterations: 5_000_000 } };
    const started = Date.now();
    const fromBytes = await rejectionOf(checkBackupPassword(buildKeybag(hostile), 'x'));
    assert.ok(isKeybagCorruptError(fromBytes), String(fromBytes));
    assert.equal(fromBytes.message, 'The backup keybag is corrupt: its ITER value 5000000 is outside 1 to 1000000.');
    const fromParsed = await rejectionOf(checkBackupPassword(hostile, 'x'));
    assert.ok(fromParsed instanceof Error);
    assert.match(fromParsed.message, /^[^.]+ 1 to 1000000, not 5000000\.$/);
    assert.ok(Date.now() - started < 1_000, `${Date.now() - started} ms: nothing was derived`);
    assert.equal(await checkBackupPassword(bytes, 'x'), true);
  });

  it('honours cancellation', async () => {
    const { bytes } = await createKeybag({ password: 'x', iterations: 5, dpIterations: 5 });
    const controller = new AbortController();
    controller.abort();
    assert.ok(isCancelledError(await rejectionOf(checkBackupPassword(bytes, 'x', { signal: controller.signal }))));
  });
});
