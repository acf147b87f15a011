import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** The certificates and keys a host creates to pair with a device (PEM). */
export interface PairingCertificates {
  rootCertificate: Buffer;
  rootPrivateKey: Buffer;
  hostCertificate: Buffer;
  hostPrivateKey: Buffer;
  deviceCertificate: Buffer;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

function forgePrivateKey(pem: string): forge.pki.rsa.PrivateKey {
  const pkcs1 = crypto.createPrivateKey(pem).export({ type: 'pkcs1', format: 'pem' }).toString();
  return forge.pki.privateKeyFromPem(pkcs1);
}

function forgePublicKey(pem: string | Buffer): forge.pki.rsa.PublicKey {
  // Devices hand out PKCS#1 "RSA PUBLIC KEY"; Node reads either form and re-exports SPKI for forge.
  const spki = crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  return forge.pki.publicKeyFromPem(spki);
}

/** An RSA key pair as PEM: the private key PKCS#8, the public key SPKI. */
export interface RsaKeyPem {
  privatePem: string;
  publicPem: string;
}

/** The root and host key pairs of one pairing. */
export interface PairingKeys {
  root: RsaKeyPem;
  host: RsaKeyPem;
}

const RSA_2048 = { modulusLength: 2048, publicExponent: 65537 } as const;
const generateKeyPairOnThreadPool = promisify(crypto.generateKeyPair);

function rsaKeyPem(pair: crypto.KeyPairKeyObjectResult): RsaKeyPem {
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function newRsaKey(): RsaKeyPem {
  return rsaKeyPem(crypto.generateKeyPairSync('rsa', RSA_2048));
}

/**
 * The root and host keys of a pairing, made on Node's thread pool: an RSA-2048 key takes a few hundred
 * milliseconds of CPU, which a caller that must stay responsive (the extension host starting the demo
 * devices) should not spend on its own thread.
 */
export async function createPairingKeys(): Promise<PairingKeys> {
  const [root, host] = await Promise.all([generateKeyPairOnThreadPool('rsa', RSA_2048), generateKeyPairOnThreadPool('rsa', RSA_2048)]);
  return { root: rsaKeyPem(root), host: rsaKeyPem(host) };
}

function certificate(
  publicKey: forge.pki.rsa.PublicKey,
  signer: forge.pki.rsa.PrivateKey,
  serial: string,
  extensions: object[],
  sha1: boolean,
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + TEN_YEARS_MS);
  // Lockdown pairing certificates have empty subject and issuer.
  cert.setSubject([]);
  cert.setIssuer([]);
  cert.setExtensions(extensions);
  cert.sign(signer, sha1 ? forge.md.sha1.create() : forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * Creates root, host and device certificates for a device's public key (PKCS#1 or SPKI PEM):
 * RSA-2048 root and host keys, v3 certificates signed by the root key, ten years' validity,
 * SHA-256 signatures (SHA-1 for iOS before 4.0), as lockdownd expects.
 */
export function createPairingCertificates(
  devicePublicKeyPem: Buffer | string,
  deviceProductVersion?: string,
  /** Keys made beforehand (createPairingKeys); new ones are made here, on this thread, when not given. */
  keys: PairingKeys = { root: newRsaKey(), host: newRsaKey() },
): PairingCertificates {
  const sha1 = deviceProductVersion !== undefined && Number(deviceProductVersion.split('.')[0]) < 4;
  const { root, host } = keys;
  const rootSigner = forgePrivateKey(root.privatePem);
  const rootPem = certificate(forgePublicKey(root.publicPem), rootSigner, '00', [{ name: 'basicConstraints', cA: true, critical: true }], sha1);
  const hostPem = certificate(
    forgePublicKey(host.publicPem),
    rootSigner,
    '00',
    [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ],
    sha1,
  );
  const devicePem = certificate(
    forgePublicKey(devicePublicKeyPem),
    rootSigner,
    '00',
    [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ],
    sha1,
  );
  return {
    rootCertificate: Buffer.from(rootPem),
    rootPrivateKey: Buffer.from(root.privatePem),
    hostCertificate: Buffer.from(hostPem),
    hostPrivateKey: Buffer.from(host.privatePem),
    deviceCertificate: Buffer.from(devicePem),
  };
}

/** Creates a device key pair as a device holds it: private key PEM and PKCS#1 "RSA PUBLIC KEY" PEM. */
export function createDeviceKeyPair(): DeviceKeyPair {
  return deviceKeyPair(crypto.generateKeyPairSync('rsa', RSA_2048));
}

/** The same on Node's thread pool (see createPairingKeys). */
export async function createDeviceKeyPairOnThreadPool(): Promise<DeviceKeyPair> {
  return deviceKeyPair(await generateKeyPairOnThreadPool('rsa', RSA_2048));
}

/** A device's key pair as the device holds it. */
export interface DeviceKeyPair {
  privateKeyPem: Buffer;
  publicKeyPkcs1Pem: Buffer;
}

function deviceKeyPair({ privateKey, publicKey }: crypto.KeyPairKeyObjectResult): DeviceKeyPair {
  return {
    privateKeyPem: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    publicKeyPkcs1Pem: Buffer.from(publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
  };
}
