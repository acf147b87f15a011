import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { createDeviceKeyPair, createPairingCertificates } from '../../../src/lockdown/pairingCertificates';
import { lockdownErrorFor } from '../../../src/lockdown/lockdownErrors';
import { encodePairRecord, pairRecordForDevice, parsePairRecord } from '../../../src/usbmux/pairRecord';
import { isLockdownError, isPairingError } from '../../../src/common/errors';

describe('pairing certificates', function () {
  this.timeout(20000);
  const device = createDeviceKeyPair();
  const certs = createPairingCertificates(device.publicKeyPkcs1Pem, '16.1');

  it('issues the device certificate for the device key, signed by the root', () => {
    const root = new X509Certificate(certs.rootCertificate);
    const deviceCert = new X509Certificate(certs.deviceCertificate);
    const hostCert = new X509Certificate(certs.hostCertificate);
    assert.ok(deviceCert.verify(root.publicKey));
    assert.ok(hostCert.verify(root.publicKey));
    assert.ok(root.verify(root.publicKey));
    assert.equal(
      deviceCert.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
      createPublicKey(device.publicKeyPkcs1Pem).export({ type: 'spki', format: 'der' }).toString('hex'),
    );
    assert.ok(root.ca);
    assert.ok(!deviceCert.ca);
    assert.match(deviceCert.validTo, /20(3[5-9]|4\d)/);
  });

  it('keeps private keys out of what is sent to the device', () => {
    const record = { ...certs, hostId: 'H', systemBuid: 'B', escrowBag: Buffer.from('bag') };
    const sent = pairRecordForDevice(record);
    assert.deepEqual(Object.keys(sent).sort(), ['DeviceCertificate', 'HostCertificate', 'HostID', 'RootCertificate', 'SystemBUID']);
    const back = parsePairRecord(encodePairRecord(record), 'U');
    assert.deepEqual(back.hostPrivateKey, certs.hostPrivateKey);
    assert.deepEqual(back.escrowBag, Buffer.from('bag'));
  });

  it('refuses a stored record without its keys, telling the user to pair again', () => {
    assert.throws(() => parsePairRecord(Buffer.from('garbage'), 'U'), (e) => isPairingError(e) && /pair the device again/.test(e.message));
  });
});

describe('lockdownd error table', () => {
  it('maps pairing errors of pairing requests to PairingError with a one-sentence fix', () => {
    const e = lockdownErrorFor('UserDeniedPairing', 'Pair', 'U');
    assert.ok(isPairingError(e));
    assert.match(e.message, /Don't Trust/);
  });
  it('maps other errors to LockdownError carrying the code', () => {
    const e = lockdownErrorFor('InvalidService', 'StartService', 'U');
    assert.ok(isLockdownError(e) && e.lockdownCode === 'InvalidService');
    const unknown = lockdownErrorFor('SomethingNew', 'GetValue');
    assert.match(unknown.message, /SomethingNew/);
  });
});
