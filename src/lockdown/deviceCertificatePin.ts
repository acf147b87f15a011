import { X509Certificate } from 'node:crypto';
import { PairingError } from '../common/errors';
import type { PairRecord } from '../usbmux/pairRecord';

/**
 * The check a host's TLS session runs on the certificate the device presents: it must carry the
 * public key of the DeviceCertificate recorded at pairing. The key, not the exact certificate
 * bytes, is what identifies the device: the handshake already proved the peer holds the private
 * half of whatever key its certificate names, and a device that re-issues its certificate for the
 * same key is still the paired device. Anything else (a rogue usbmuxd, a spoofed Wi-Fi device) is
 * refused before the session carries a request, let alone a backup password.
 */
export function deviceCertificateCheck(record: PairRecord, udid: string): (certificate: X509Certificate | undefined) => void {
  let recorded: X509Certificate;
  try {
    recorded = new X509Certificate(record.deviceCertificate);
  } catch {
    throw new PairingError(`The stored pair record for ${udid} holds a DeviceCertificate that is not a certificate; pair the device again.`, 'invalid-record', udid);
  }
  return (certificate) => {
    if (!certificate || !certificate.publicKey.equals(recorded.publicKey)) {
      throw new PairingError(
        "The device's certificate does not match the one recorded when this computer was paired; something other than the paired device may be answering, so nothing was sent to it: if the device was erased or reset, pair it again.",
        'certificate-mismatch',
        udid,
      );
    }
  };
}
