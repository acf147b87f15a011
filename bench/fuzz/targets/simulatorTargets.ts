import * as net from 'node:net';
import * as fc from 'fast-check';
import { buildXmlPlist, type PlistValue } from '../../../src/plist';
import { buildVersionAccept, DL_MESSAGE, DL_EMPTY_PARAMETER, buildProcessMessage, buildStatusResponse, buildDisconnect, buildPing } from '../../../src/services/deviceLinkCodec';
import { serveLockdown } from '../../../src/simulator/lockdownServer';
import { serveMobileBackup2 } from '../../../src/simulator/services/mobileBackup2Server';
import { ServiceConnection } from '../../../src/transport/serviceConnection';
import { encodePlistFrame } from '../../../src/transport/plistFrames';
import { encodeUsbmuxPacket, USBMUX_VERSION_PLIST, UsbmuxMessageType } from '../../../src/usbmux/protocol';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { plistValueArbitrary } from '../plistSamples';
import { sendAndAwaitClose, SimulatorFixture, SIMULATED_UDID } from '../simulatorFixture';
/**
 * How a device-side loop may end when a host misbehaves: a sentence about the host (ProtocolError with
 * peer "host", the DeviceLink host checks), or OpenSSL refusing a certificate a fuzzed Pair planted.
 * Any other logged reason (a TypeError's "Cannot read properties…", a RangeError…) is a crash.
 */
const EXPECTED_END = /^(The host\b|the host\b|The (usbmuxd client|device link host)\b|a packet length of \d+ bytes|the payload is not a|error:[0-9A-F]+:|.*routines::)/;

function crashesAmong(ended: readonly { message: string; reason: string }[]): string[] {
  return ended.filter((e) => !EXPECTED_END.test(e.reason)).map((e) => `${e.message}: ${e.reason}`);
}

function lockdownRequests(): PlistValue[] {
  const record = { HostID: 'FUZZ-HOST', SystemBUID: 'FUZZ-BUID', RootCertificate: Buffer.from('root'), HostCertificate: Buffer.from('host'), DeviceCertificate: Buffer.from('device') };
  return [
    { Label: 'iosbr', Request: 'QueryType' },
    { Label: 'iosbr', Request: 'GetValue' },
    { Label: 'iosbr', Request: 'GetValue', Domain: 'com.apple.mobile.backup', Key: 'WillEncrypt' },
    { Label: 'iosbr', Request: 'StartSession', HostID: 'FUZZ-HOST', SystemBUID: 'FUZZ-BUID' },
    { Label: 'iosbr', Request: 'StopSession', SessionID: 'X' },
    { Label: 'iosbr', Request: 'StartService', Service: 'com.apple.mobilebackup2', EscrowBag: Buffer.alloc(8) },
    { Label: 'iosbr', Request: 'ValidatePair', PairRecord: record, ProtocolVersion: '2' },
    { Label: 'iosbr', Request: 'Unpair', PairRecord: { HostID: 'NOT-PAIRED' }, ProtocolVersion: '2' },
    { Label: 'iosbr', Request: 'SetValue', Key: 'k', Value: 1 },
    { Label: 'iosbr', Request: 'Goodbye' },
  ];
}

/** A hostile host talking to the simulated lockdownd over a real loopback socket: the device must refuse cleanly. */
export async function simulatorLockdownTarget(): Promise<FuzzTarget<Buffer>> {
  const fixture = await SimulatorFixture.start();
  const frames = lockdownRequests().map((request) => encodePlistFrame(request, 'xml'));
  const names = ['QueryType', 'GetValue', 'SetValue', 'RemoveValue', 'StartSession', 'StopSession', 'StartService', 'ValidatePair', 'Unpair', 'Goodbye', 'Bogus', '__proto__'];
  const structured = fc
    .array(fc.tuple(fc.constantFrom(...names), fc.dictionary(fc.constantFrom('Domain', 'Key', 'Value', 'Service', 'HostID', 'SessionID', 'PairRecord', 'EscrowBag', 'Label'), plistValueArbitrary(false), { noNullPrototype: true, maxKeys: 4 })), { minLength: 1, maxLength: 4 })
    .map((requests) => Buffer.concat(requests.map(([Request, rest]) => encodePlistFrame({ ...rest, Request }, 'xml'))));
  return {
    name: 'simulator-lockdown',
    arbitrary: fc.oneof({ weight: 3, arbitrary: mutatedBytes([Buffer.concat(frames.slice(0, 3)), ...frames]) }, { weight: 2, arbitrary: structured }, { weight: 1, arbitrary: randomBytes() }),
    sliceCases: 500,
    async run(bytes) {
      const before = fixture.ended.length;
      const host = await fixture.socketPair((deviceEnd) => serveLockdown(fixture.device, deviceEnd));
      await sendAndAwaitClose(host, bytes);
      const crashes = crashesAmong(fixture.ended.slice(before));
      if (crashes.length > 0) throw new Error(crashes.join('; '));
    },
    describe: (bytes) => hexOf(bytes),
    close: () => fixture.stop(),
  };
}

/** A hostile client of the virtual usbmuxd (ListDevices, Listen, pair records, Connect) over its real socket. */
export async function simulatorUsbmuxdTarget(): Promise<FuzzTarget<Buffer>> {
  const fixture = await SimulatorFixture.start();
  const address = fixture.simulator.address;
  const packet = (value: PlistValue) => encodeUsbmuxPacket(USBMUX_VERSION_PLIST, UsbmuxMessageType.Plist, 1, Buffer.from(buildXmlPlist(value), 'utf8'));
  const requests = [
    packet({ MessageType: 'ListDevices' }),
    packet({ MessageType: 'ReadBUID' }),
    packet({ MessageType: 'ReadPairRecord', PairRecordID: SIMULATED_UDID }),
    packet({ MessageType: 'DeletePairRecord', PairRecordID: 'FUZZ-NONE' }),
    packet({ MessageType: 'Listen' }),
    packet({ MessageType: 'Connect', DeviceID: 1, PortNumber: 0x7ef2 }),
    encodeUsbmuxPacket(0, UsbmuxMessageType.Connect, 1, Buffer.alloc(8)),
  ];
  return {
    name: 'simulator-usbmuxd',
    arbitrary: fc.oneof({ weight: 4, arbitrary: mutatedBytes([Buffer.concat(requests.slice(0, 4)), ...requests]) }, { weight: 1, arbitrary: randomBytes() }),
    sliceCases: 500,
    async run(bytes) {
      const before = fixture.ended.length;
      if (address.kind !== 'tcp') throw new Error('The fuzz simulator listens on TCP.');
      const host = net.connect(address.port, address.host);
      host.on('error', () => undefined);
      await new Promise<void>((resolve) => host.once('connect', resolve));
      await sendAndAwaitClose(host, bytes);
      const crashes = crashesAmong(fixture.ended.slice(before));
      if (crashes.length > 0) throw new Error(crashes.join('; '));
    },
    describe: (bytes) => hexOf(bytes),
    close: () => fixture.stop(),
  };
}

/**
 * A hostile host on the simulator's mobilebackup2 (its DeviceLink loop called directly over a loopback
 * socket): version answer, then Hello, Backup, Restore, ChangePassword requests and status answers, mutated.
 */
export async function simulatorMobileBackup2Target(): Promise<FuzzTarget<Buffer>> {
  const fixture = await SimulatorFixture.start();
  const frame = (message: PlistValue) => encodePlistFrame(message, 'binary');
  const version = frame(buildVersionAccept());
  const hello = frame(buildProcessMessage({ MessageName: 'Hello', SupportedProtocolVersions: [2.0, 2.1] }));
  const sessions = [
    Buffer.concat([version, hello, frame(buildProcessMessage({ MessageName: 'Backup', TargetIdentifier: SIMULATED_UDID, Options: { ForceFullBackup: true } })), frame(buildStatusResponse(0)), frame(buildStatusResponse(-13, 'Multi status', { a: { DLFileErrorCode: -6, DLFileErrorString: 'x' } }))]),
    Buffer.concat([version, hello, frame(buildProcessMessage({ MessageName: 'Restore', TargetIdentifier: SIMULATED_UDID, SourceIdentifier: SIMULATED_UDID, Options: { RestoreSystemFiles: false } })), frame(buildStatusResponse(0))]),
    Buffer.concat([version, frame(buildProcessMessage({ MessageName: 'ChangePassword', OldPassword: 'a', NewPassword: 'b', TargetIdentifier: SIMULATED_UDID })), frame(buildPing()), frame(buildDisconnect())]),
  ];
  const structured = fc
    .array(fc.oneof(
      fc.dictionary(fc.constantFrom('MessageName', 'TargetIdentifier', 'SourceIdentifier', 'Options', 'SupportedProtocolVersions', 'OldPassword', 'NewPassword'), plistValueArbitrary(false), { noNullPrototype: true, maxKeys: 4 }).map((d) => buildProcessMessage(d)),
      fc.tuple(fc.constantFrom(...Object.values(DL_MESSAGE)), fc.array(fc.oneof(plistValueArbitrary(false), fc.constant<PlistValue>(DL_EMPTY_PARAMETER)), { maxLength: 3 })).map(([name, args]) => [name, ...args]),
    ), { maxLength: 4 })
    .map((messages) => Buffer.concat([version, hello, ...messages.map((m) => frame(m))]));
  return {
    name: 'simulator-mobilebackup2',
    arbitrary: fc.oneof({ weight: 3, arbitrary: mutatedBytes(sessions) }, { weight: 2, arbitrary: structured }),
    sliceCases: 300,
    async run(bytes) {
      // The loop's error is kept, not left rejected while the host still sends, so it is this case's outcome.
      let ended: Promise<{ error: unknown } | undefined> = Promise.resolve(undefined);
      const host = await fixture.socketPair((deviceEnd) => {
        const connection = new ServiceConnection(deviceEnd, 'host', { maxFrameBytes: 32 * 1024 * 1024, timeoutMs: 0 });
        ended = serveMobileBackup2(connection, fixture.device).then(
          () => undefined,
          (error: unknown) => ({ error }),
        ).finally(() => connection.close());
      });
      await sendAndAwaitClose(host, bytes);
      const failed = await ended;
      if (failed) throw failed.error;
    },
    // The device side ends with the host's misbehaviour named: ProtocolError, or HostLeftSession (a plain Error by design).
    isDocumentedError: (error) => error instanceof Error && error.name === 'HostLeftSession',
    describe: (bytes) => hexOf(bytes),
    close: () => fixture.stop(),
  };
}
