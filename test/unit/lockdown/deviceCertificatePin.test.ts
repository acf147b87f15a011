import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { bundledKnowledgeBase, explainError, explainText, primaryEntry } from '../../../src/doctor';
import { isPairingError } from '../../../src/common/errors';
import { deviceCertificateCheck } from '../../../src/lockdown/deviceCertificatePin';
import { createDeviceKeyPair, createPairingCertificates } from '../../../src/lockdown/pairingCertificates';
import type { PairRecord } from '../../../src/usbmux/pairRecord';

const UDID = '00008110-000A1B2C3D4E801E';

describe('pinning the device certificate to the pair record', function () {
  this.timeout(30_000);
  const deviceKeys = createDeviceKeyPair();
  const record: PairRecord = { ...createPairingCertificates(deviceKeys.publicKeyPkcs1Pem), hostId: 'H', systemBuid: 'B' };
  const check = deviceCertificateCheck(record, UDID);
  const mismatch = (e: unknown) =>
    isPairingError(e) && e.code === 'pairing.certificate-mismatch' && e.udid === UDID && /^The device's certificate does not match the one recorded when this computer was paired; .*pair it again\.$/.test(e.message);

  it('accepts the recorded certificate', () => {
    assert.doesNotThrow(() => check(new X509Certificate(record.deviceCertificate)));
  });

  it('accepts a certificate re-issued for the same device key', () => {
    const reissued = createPairingCertificates(deviceKeys.publicKeyPkcs1Pem).deviceCertificate;
    assert.notDeepEqual(reissued, record.deviceCertificate);
    assert.doesNotThrow(() => check(new X509Certificate(reissued)));
  });

  it('refuses a certificate for another key, and a peer without a certificate', () => {
    const rogue = createPairingCertificates(createDeviceKeyPair().publicKeyPkcs1Pem).deviceCertificate;
    assert.throws(() => check(new X509Certificate(rogue)), mismatch);
    assert.throws(() => check(undefined), mismatch);
    // The host's own certificate is signed by the same root, yet is not the device's.
    assert.throws(() => check(new X509Certificate(record.hostCertificate)), mismatch);
  });

  it('is recognised by the failure doctor, from the error and from its sentence alone', () => {
    let refusal: unknown;
    try {
      check(undefined);
    } catch (err) {
      refusal = err;
    }
    assert.equal(primaryEntry(explainError(refusal))?.id, 'device-certificate-mismatch');
    assert.equal(primaryEntry(explainText((refusal as Error).message, bundledKnowledgeBase()))?.id, 'device-certificate-mismatch');
  });

  it('refuses a pair record whose DeviceCertificate is not a certificate', () => {
    assert.throws(
      () => deviceCertificateCheck({ ...record, deviceCertificate: Buffer.from('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n') }, UDID),
      (e) => isPairingError(e) && e.code === 'pairing.invalid-record' && /DeviceCertificate that is not a certificate/.test(e.message),
    );
  });
});
