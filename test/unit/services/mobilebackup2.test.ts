import assert from 'node:assert/strict';
import { isBackupError, isProtocolError } from '../../../src/common/errors';
import { PlistReal } from '../../../src/plist';
import { buildDeviceReady, buildProcessMessage, buildVersionOffer, parseDLMessage } from '../../../src/services/deviceLinkCodec';
import { Mobilebackup2Service, parseFinalResult, parseHelloReply } from '../../../src/services/mobilebackup2';
import type { ServiceConnection } from '../../../src/transport/serviceConnection';
import { loopbackServiceProvider } from '../../fakes/loopbackServiceProvider';

describe('mobilebackup2 client', () => {
  it('runs the DeviceLink handshake and Hello [2.0, 2.1], then sends Backup with the identifiers and ForceFullBackup', async () => {
    const fromHost: unknown[] = [];
    let device: ServiceConnection | undefined;
    const provider = await loopbackServiceProvider({
      'com.apple.mobilebackup2': async (d) => {
        device = d;
        d.sendPlist(buildVersionOffer(), 'binary');
        fromHost.push(parseDLMessage(await d.receivePlist(5000), 'host'));
        d.sendPlist(buildDeviceReady(), 'binary');
        fromHost.push(parseDLMessage(await d.receivePlist(5000), 'host'));
        d.sendPlist(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0, ProtocolVersion: new PlistReal(2.1) }), 'binary');
        fromHost.push(parseDLMessage(await d.receivePlist(5000), 'host'));
        fromHost.push(parseDLMessage(await d.receivePlist(5000), 'host'));
      },
    });
    const service = new Mobilebackup2Service(provider);
    try {
      assert.equal(await service.connect(), 2.1);
      assert.equal(service.protocolVersion, 2.1);
      service.requestBackup({ targetIdentifier: 'T', forceFullBackup: true });
      service.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(device);
      assert.deepEqual(fromHost, [
        { name: 'DLMessageVersionExchange', kind: 'reply', accepted: true, status: 'DLVersionsOk', major: 400 },
        { name: 'DLMessageProcessMessage', content: { MessageName: 'Hello', SupportedProtocolVersions: [2, 2.1] } },
        { name: 'DLMessageProcessMessage', content: { MessageName: 'Backup', TargetIdentifier: 'T', SourceIdentifier: 'T', Options: { ForceFullBackup: true } } },
        { name: 'DLMessageDisconnect', reason: undefined },
      ]);
    } finally {
      await provider.close();
    }
  });

  it('reads Hello replies: version, no common version (1), other refusals, malformed', () => {
    assert.equal(parseHelloReply({ MessageName: 'Response', ErrorCode: 0, ProtocolVersion: 2.0 }), 2.0);
    assert.throws(() => parseHelloReply({ ErrorCode: 1 }), (e) => isBackupError(e) && /does not speak any mobilebackup2 protocol version/.test(e.message));
    assert.throws(() => parseHelloReply({ ErrorCode: 5 }), (e) => isBackupError(e) && e.deviceErrorCode === 5);
    assert.throws(() => parseHelloReply({ ErrorCode: 0 }), (e) => isProtocolError(e) && /without a protocol version/.test(e.message));
    assert.throws(() => parseHelloReply({ ProtocolVersion: 2.1 }), (e) => isProtocolError(e) && /without an error code/.test(e.message));
  });

  it('reads final results', () => {
    assert.deepEqual(parseFinalResult({ MessageName: 'Response', ErrorCode: 0 }), { errorCode: 0 });
    assert.deepEqual(parseFinalResult({ ErrorCode: 208, ErrorDescription: 'Device locked (MBErrorDomain/208)', Content: 'x' }), { errorCode: 208, errorDescription: 'Device locked (MBErrorDomain/208)', content: 'x' });
    assert.throws(() => parseFinalResult({ ErrorCode: 'bad' }), (e) => isProtocolError(e) && /no error code/.test(e.message));
  });
});
