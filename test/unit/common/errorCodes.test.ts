import assert from 'node:assert/strict';
import { ERROR_CODES, isErrorCode } from '../../../src/common/errorCodes';
import { bundledKnowledgeBase } from '../../../src/doctor';

describe('common: the error code vocabulary', () => {
  it('every product code the failure doctor explains is a code the product produces', () => {
    const named = bundledKnowledgeBase().entries.flatMap((e) => (e.match.productErrorCodes ?? []).map((code) => ({ id: e.id, code })));
    assert.ok(named.length > 10, 'the knowledge base names product codes');
    assert.deepEqual(named.filter(({ code }) => !isErrorCode(code)), []);
  });

  it('knows the listed codes and the prefixed ones with a number or a lockdownd name, and nothing else', () => {
    for (const code of ERROR_CODES) assert.ok(isErrorCode(code), code);
    for (const code of ['usbmux.result.3', 'backup.device-error.-211', 'restore.device-error.105', 'afc.8', 'lockdown.InvalidService', 'pairing.UserDeniedPairing', 'pairing.trust-timeout']) {
      assert.ok(isErrorCode(code), code);
    }
    for (const code of ['usbmux.no-devices', 'backup.device-error.', 'backup.device-error.x', 'pairing.Whatever', 'lockdown.', 'afc.ok', '']) {
      assert.ok(!isErrorCode(code), code);
    }
  });
});
