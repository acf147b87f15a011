import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDeviceKeyPair, createDeviceKeyPairOnThreadPool, type DeviceKeyPair } from '../lockdown/pairingCertificates';
import { buildBinaryPlist, buildXmlPlist, getData, isPlistDict, parsePlist, type PlistDict } from '../plist';

/** A host the simulated device trusts: the certificates it was paired with. */
export interface TrustedHost {
  hostId: string;
  rootCertificate: Buffer;
  hostCertificate: Buffer;
  deviceCertificate: Buffer;
}

/** The default folder for the simulator's persistent state. */
export function defaultSimulatorStateDir(): string {
  return path.join(os.homedir(), '.iosbr', 'simulator');
}

/** Writes a file atomically (temp + rename) so a crash never leaves half a certificate. */
function writeAtomic(file: string, data: Buffer | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

const safeName = (udid: string): string => udid.replace(/[^0-9A-Za-z-]/g, '_');

/**
 * The simulator's persistent state in --state-dir: usbmuxd's SystemBUID and pair-record store
 * (host side), and per device its key pair and the hosts it trusts (device side).
 */
export class SimulatorState {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** usbmuxd's SystemBUID, created on first use. */
  systemBuid(): string {
    const file = path.join(this.dir, 'SystemConfiguration.plist');
    if (existsSync(file)) {
      const dict = parsePlist(readFileSync(file));
      if (isPlistDict(dict) && typeof dict.SystemBUID === 'string') return dict.SystemBUID;
    }
    const buid = randomUUID().toUpperCase();
    writeAtomic(file, buildXmlPlist({ SystemBUID: buid }));
    return buid;
  }

  /** A stored pair record (usbmuxd side), as the bytes it was saved with. */
  readPairRecord(udid: string): Buffer | undefined {
    const file = path.join(this.dir, 'lockdown', `${safeName(udid)}.plist`);
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  /** Stores a pair record (usbmuxd side). */
  savePairRecord(udid: string, bytes: Buffer): void {
    writeAtomic(path.join(this.dir, 'lockdown', `${safeName(udid)}.plist`), bytes);
  }

  /** Deletes a pair record; false when there was none. */
  deletePairRecord(udid: string): boolean {
    const file = path.join(this.dir, 'lockdown', `${safeName(udid)}.plist`);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }

  /** True when usbmuxd holds a pair record for the device and the device trusts a host: the pairing a scenario's paired device starts with exists. */
  hasHostPairing(udid: string): boolean {
    return this.readPairRecord(udid) !== undefined && this.trustedHosts(udid).size > 0;
  }

  /** The device's RSA key pair, created on first use and kept. */
  deviceKeys(udid: string): DeviceKeyPair {
    const files = this.deviceKeyFiles(udid);
    if (existsSync(files.priv) && existsSync(files.pub)) return { privateKeyPem: readFileSync(files.priv), publicKeyPkcs1Pem: readFileSync(files.pub) };
    return this.saveDeviceKeys(files, createDeviceKeyPair());
  }

  /** Creates the device's key pair on Node's thread pool when it has none yet, so deviceKeys() then only reads it. */
  async prepareDeviceKeys(udid: string): Promise<void> {
    const files = this.deviceKeyFiles(udid);
    if (existsSync(files.priv) && existsSync(files.pub)) return;
    this.saveDeviceKeys(files, await createDeviceKeyPairOnThreadPool());
  }

  private deviceKeyFiles(udid: string): { priv: string; pub: string } {
    const dir = path.join(this.dir, 'devices', safeName(udid));
    return { priv: path.join(dir, 'device-key.pem'), pub: path.join(dir, 'device-public-key.pem') };
  }

  private saveDeviceKeys(files: { priv: string; pub: string }, keys: DeviceKeyPair): DeviceKeyPair {
    writeAtomic(files.priv, keys.privateKeyPem);
    writeAtomic(files.pub, keys.publicKeyPkcs1Pem);
    return keys;
  }

  /** The hosts a device trusts (device side of pairing). */
  trustedHosts(udid: string): Map<string, TrustedHost> {
    const file = path.join(this.dir, 'devices', safeName(udid), 'trusted-hosts.plist');
    const hosts = new Map<string, TrustedHost>();
    if (!existsSync(file)) return hosts;
    const dict = parsePlist(readFileSync(file));
    if (!isPlistDict(dict)) return hosts;
    for (const [hostId, entry] of Object.entries(dict)) {
      if (!isPlistDict(entry)) continue;
      const root = getData(entry, 'RootCertificate');
      const host = getData(entry, 'HostCertificate');
      const device = getData(entry, 'DeviceCertificate');
      if (root && host && device) hosts.set(hostId, { hostId, rootCertificate: root, hostCertificate: host, deviceCertificate: device });
    }
    return hosts;
  }

  /** Stores the hosts a device trusts. */
  saveTrustedHosts(udid: string, hosts: Map<string, TrustedHost>): void {
    const dict: PlistDict = {};
    for (const h of hosts.values()) {
      dict[h.hostId] = { RootCertificate: h.rootCertificate, HostCertificate: h.hostCertificate, DeviceCertificate: h.deviceCertificate };
    }
    writeAtomic(path.join(this.dir, 'devices', safeName(udid), 'trusted-hosts.plist'), buildBinaryPlist(dict));
  }

  /** A stable random escrow bag per device (real ones are keybags; hosts treat them as opaque). */
  escrowBag(udid: string): Buffer {
    const file = path.join(this.dir, 'devices', safeName(udid), 'escrow-bag.bin');
    if (existsSync(file)) return readFileSync(file);
    const bag = randomBytes(64);
    writeAtomic(file, bag);
    return bag;
  }
}
