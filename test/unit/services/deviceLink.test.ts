import assert from 'node:assert/strict';
import { CancelledError, isCancelledError, isProtocolError } from '../../../src/common/errors';
import { DeviceLink, DL_LOOP_END, type DLRequestHandlers } from '../../../src/services/deviceLink';
import {
  buildCreateDirectory,
  buildDeviceReady,
  buildDownloadFiles,
  buildGetFreeDiskSpace,
  buildPing,
  buildProcessMessage,
  buildRemoveItems,
  buildStatusResponse,
  buildUploadFiles,
  buildVersionOffer,
  DL_DEVICE_REQUEST_NAMES,
  parseDLMessage,
  type DLMessage,
} from '../../../src/services/deviceLinkCodec';
import { fakeDeviceLinkPair } from '../../fakes/fakeDeviceLinkPeer';

/** A table whose every handler records the message and keeps looping (ProcessMessage/Disconnect end it). */
function recordingTable(seen: DLMessage[]): DLRequestHandlers {
  const record = async (m: DLMessage) => {
    seen.push(m);
    return m.name === 'DLMessageProcessMessage' || m.name === 'DLMessageDisconnect' ? DL_LOOP_END : undefined;
  };
  return Object.fromEntries(DL_DEVICE_REQUEST_NAMES.map((name) => [name, record])) as unknown as DLRequestHandlers;
}

describe('DeviceLink session (host side)', () => {
  it('accepts a 300.0 offer with DLVersionsOk 400 and waits for DeviceReady', async () => {
    const { host, device } = fakeDeviceLinkPair();
    const link = new DeviceLink(host);
    device.send(buildVersionOffer(300, 0));
    const exchange = link.exchangeVersions();
    assert.deepEqual(parseDLMessage(await device.receive(), 'host'), { name: 'DLMessageVersionExchange', kind: 'reply', accepted: true, status: 'DLVersionsOk', major: 400 });
    device.send(buildDeviceReady());
    assert.deepEqual(await exchange, { major: 300, minor: 0 });
  });

  it('refuses a newer DeviceLink version with the DL refusal and a clear error', async () => {
    const { host, device } = fakeDeviceLinkPair();
    device.send(buildVersionOffer(400, 1));
    await assert.rejects(new DeviceLink(host).exchangeVersions(), (e) => isProtocolError(e) && /version 400\.1, newer than this tool supports/.test(e.message));
    const reply = parseDLMessage(await device.receive(), 'host');
    assert.equal(reply.name === 'DLMessageVersionExchange' && reply.kind === 'reply' && reply.accepted, false);
  });

  it('refuses a handshake that skips DeviceReady', async () => {
    const { host, device } = fakeDeviceLinkPair();
    device.send(buildVersionOffer());
    device.send(buildPing());
    await assert.rejects(new DeviceLink(host).exchangeVersions(), (e) => isProtocolError(e) && /DLMessagePing where DLMessageDeviceReady was expected/.test(e.message));
  });

  it('dispatches each request by name, ignores Ping, reports progress and stops at the final result', async () => {
    const { host, device } = fakeDeviceLinkPair();
    const link = new DeviceLink(host);
    const seen: DLMessage[] = [];
    const progress: number[] = [];
    device.send(buildDownloadFiles(['U/Status.plist'], 0));
    device.send(buildPing('alive'));
    device.send(buildGetFreeDiskSpace());
    device.send(buildCreateDirectory('U/Snapshot'));
    device.send(buildUploadFiles(42.5, 10));
    device.send(buildRemoveItems(['U/Snapshot'], 99));
    device.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }));
    device.send(buildGetFreeDiskSpace()); // after the end: must not be read
    await link.runRequestLoop(recordingTable(seen), { onProgress: (p) => progress.push(p) });
    assert.deepEqual(seen.map((m) => m.name), [
      'DLMessageDownloadFiles', 'DLMessageGetFreeDiskSpace', 'DLMessageCreateDirectory', 'DLMessageUploadFiles', 'DLMessageRemoveItems', 'DLMessageProcessMessage',
    ]);
    assert.deepEqual(progress, [0, 42.5, 99]);
  });

  it('ends the loop on Disconnect', async () => {
    const { host, device } = fakeDeviceLinkPair();
    const seen: DLMessage[] = [];
    device.send(['DLMessageDisconnect', 'bye']);
    await new DeviceLink(host).runRequestLoop(recordingTable(seen));
    assert.deepEqual(seen, [{ name: 'DLMessageDisconnect', reason: 'bye' }]);
  });

  it('treats a handshake message inside the loop as a protocol error', async () => {
    const { host, device } = fakeDeviceLinkPair();
    device.send(buildStatusResponse(0));
    await assert.rejects(new DeviceLink(host).runRequestLoop(recordingTable([])), (e) => isProtocolError(e) && /in the middle of an operation/.test(e.message));
  });

  it('fails with the codec error on a malformed request', async () => {
    const { host, device } = fakeDeviceLinkPair();
    device.send(['DLMessageCreateDirectory', 42]);
    await assert.rejects(new DeviceLink(host).runRequestLoop(recordingTable([])), (e) => isProtocolError(e) && /path that is not a string/.test(e.message));
  });

  it('fails clearly when the device hangs up mid-loop', async () => {
    const { host, device } = fakeDeviceLinkPair();
    device.close();
    await assert.rejects(new DeviceLink(host).runRequestLoop(recordingTable([])), (e) => isProtocolError(e) && /closed the connection/.test(e.message));
  });

  it('cancelling closes the connection and ends a waiting loop with CancelledError', async () => {
    const { host } = fakeDeviceLinkPair();
    const controller = new AbortController();
    const { tokenFromAbortSignal } = await import('../../../src/common/cancellation');
    const loop = new DeviceLink(host).runRequestLoop(recordingTable([]), { token: tokenFromAbortSignal(controller.signal), operation: 'Backup' });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(loop, (e) => isCancelledError(e) && e instanceof CancelledError && e.message === 'Backup was cancelled.');
    assert.equal(host.closed, true);
  });

  it('says goodbye with DLMessageDisconnect and the placeholder', async () => {
    const { host, device } = fakeDeviceLinkPair();
    new DeviceLink(host).disconnect();
    assert.deepEqual(await device.receive(), ['DLMessageDisconnect', '___EmptyParameterString___']);
    assert.equal(host.closed, true);
  });
});

describe('DeviceLink time limits (fault matrix: a stalled link)', () => {
  it('a send fails once the device stops taking data for the idle time, instead of waiting forever', async () => {
    const { host } = fakeDeviceLinkPair();
    // The device end never reads: the backlog never drains.
    const connection = { ...host, drained: () => new Promise<void>(() => undefined) };
    const link = new DeviceLink(connection, { idleTimeoutMs: 100 });
    const startedAt = Date.now();
    await assert.rejects(link.sendRaw(Buffer.alloc(10)), (e) => isProtocolError(e) && /did not answer in time/.test(e.message));
    assert.ok(Date.now() - startedAt < 1_000);
  });

  it('no transfer read waits longer than the idle time, whatever the caller asked for', async () => {
    const { host, device } = fakeDeviceLinkPair();
    const link = new DeviceLink(host, { idleTimeoutMs: 100 });
    device.sendRaw(Buffer.from([0, 0, 0, 4]));
    const decoder = link.transferDecoder('upload', { timeoutMs: 60_000 });
    const startedAt = Date.now();
    await assert.rejects(decoder.next(), (e) => isProtocolError(e) && /did not answer in time/.test(e.message));
    assert.ok(Date.now() - startedAt < 1_000);
  });
});
