import { PairingError } from '../common/errors';
import { buildBinaryPlist, getData, getString, isPlistDict, parsePlist, type PlistDict } from '../plist';

/** What a host keeps after pairing with a device (docs/protocol/lockdown.md#pairing-and-the-pair-record). Never log its keys. */
export interface PairRecord {
  deviceCertificate: Buffer;
  hostCertificate: Buffer;
  hostPrivateKey: Buffer;
  rootCertificate: Buffer;
  rootPrivateKey: Buffer;
  hostId: string;
  systemBuid: string;
  wifiMacAddress?: string;
  /** Handed back by the device's Pair reply; needed to start mobilebackup2 on a locked device. */
  escrowBag?: Buffer;
}

/** Parses stored pair-record bytes (binary or XML plist); a record missing a key is refused. */
export function parsePairRecord(bytes: Buffer, udid: string): PairRecord {
  let dict;
  try {
    dict = parsePlist(bytes);
  } catch {
    throw new PairingError(`The stored pair record for ${udid} is not a property list; pair the device again.`, 'invalid-record', udid);
  }
  if (!isPlistDict(dict)) throw new PairingError(`The stored pair record for ${udid} is not a dictionary; pair the device again.`, 'invalid-record', udid);
  const need = (key: string): Buffer => {
    const v = getData(dict, key);
    if (!v) throw new PairingError(`The stored pair record for ${udid} lacks ${key}; pair the device again.`, 'invalid-record', udid);
    return v;
  };
  const hostId = getString(dict, 'HostID');
  const systemBuid = getString(dict, 'SystemBUID');
  if (!hostId || !systemBuid) {
    throw new PairingError(`The stored pair record for ${udid} lacks HostID or SystemBUID; pair the device again.`, 'invalid-record', udid);
  }
  return {
    deviceCertificate: need('DeviceCertificate'),
    hostCertificate: need('HostCertificate'),
    hostPrivateKey: need('HostPrivateKey'),
    rootCertificate: need('RootCertificate'),
    rootPrivateKey: need('RootPrivateKey'),
    hostId,
    systemBuid,
    wifiMacAddress: getString(dict, 'WiFiMACAddress'),
    escrowBag: getData(dict, 'EscrowBag'),
  };
}

/** The full record as a plist dict (what usbmuxd stores). */
export function pairRecordToDict(record: PairRecord): PlistDict {
  const dict: PlistDict = {
    DeviceCertificate: record.deviceCertificate,
    HostCertificate: record.hostCertificate,
    HostPrivateKey: record.hostPrivateKey,
    RootCertificate: record.rootCertificate,
    RootPrivateKey: record.rootPrivateKey,
    HostID: record.hostId,
    SystemBUID: record.systemBuid,
  };
  if (record.wifiMacAddress) dict.WiFiMACAddress = record.wifiMacAddress;
  if (record.escrowBag) dict.EscrowBag = record.escrowBag;
  return dict;
}

/** The part of the record sent to the device in Pair/ValidatePair/Unpair: no private keys, no escrow bag. */
export function pairRecordForDevice(record: PairRecord): PlistDict {
  return {
    DeviceCertificate: record.deviceCertificate,
    HostCertificate: record.hostCertificate,
    RootCertificate: record.rootCertificate,
    HostID: record.hostId,
    SystemBUID: record.systemBuid,
  };
}

/** Serialises a record as usbmuxd's SavePairRecord expects it (binary plist, as libimobiledevice sends). */
export function encodePairRecord(record: PairRecord): Buffer {
  return buildBinaryPlist(pairRecordToDict(record));
}
