import { DeviceSession } from '../../src/lockdown/deviceSession';
import { PlistReal, type PlistDict, type PlistValue } from '../../src/plist';
import {
  buildMultiStatusResponse,
  buildProcessMessage,
  buildStatusResponse,
  buildVersionAccept,
  DLTransferDecoder,
  encodeTransferEnd,
  encodeUnavailableFile,
  parseDLMessage,
  type DLFileFailure,
  type DLMessage,
} from '../../src/services/deviceLinkCodec';
import type { ServiceConnection } from '../../src/transport/serviceConnection';
import { UsbmuxClient } from '../../src/usbmux/usbmuxClient';
import type { SimulatorHarness } from './simulatorHarness';

/** One file the device uploaded. */
export interface UploadedFile {
  deviceName: string | undefined;
  path: string;
  bytes: number;
}

/** What a scripted host saw of any request it sent. */
export interface ScriptedRequestRecord {
  /** DL message names in arrival order. */
  messages: string[];
  /** The final ProcessMessage, when one came. */
  result: PlistDict | undefined;
  /** True when the connection ended without a final result. */
  dropped: boolean;
}

/** Everything a scripted host saw during one Backup request. */
export interface ScriptedBackupRecord extends ScriptedRequestRecord {
  uploads: UploadedFile[];
  purgeRequests: { bytes: number; urgency: number | undefined }[];
}

/** How the scripted host answers. */
export interface ScriptedHostBehaviour {
  forceFull?: boolean;
  /** Free bytes reported to GetFreeDiskSpace. */
  freeBytes?: number;
  /** The status for an UploadFiles batch, given its target paths (default 0). */
  answerUpload?: (paths: string[]) => { code: number; text?: string };
  /** The status code for a purge request (default -1, "Operation not supported"). */
  purgeAnswer?: number;
}

/** A mobilebackup2 connection from a test host (lockdown session, service start with escrow bag, DL handshake). */
export async function openMobileBackup2(h: SimulatorHarness, udid: string): Promise<{ connection: ServiceConnection; close(): Promise<void> }> {
  const session = await DeviceSession.open(new UsbmuxClient(h.simulator.address), udid);
  const connection = await session.startService('com.apple.mobilebackup2', { withEscrowBag: true, maxFrameBytes: 32 * 1024 * 1024 });
  await session.close();
  const offer = await receive(connection);
  if (offer.name !== 'DLMessageVersionExchange') throw new Error(`expected a version offer, got ${offer.name}`);
  send(connection, buildVersionAccept());
  const ready = await receive(connection);
  if (ready.name !== 'DLMessageDeviceReady') throw new Error(`expected DeviceReady, got ${ready.name}`);
  return { connection, close: async () => connection.close() };
}

/** Sends Hello with these versions and returns the device's Response dictionary. */
export async function hello(connection: ServiceConnection, versions: number[]): Promise<PlistDict> {
  send(connection, buildProcessMessage({ MessageName: 'Hello', SupportedProtocolVersions: versions.map((v) => new PlistReal(v)) }));
  const reply = await receive(connection);
  if (reply.name !== 'DLMessageProcessMessage') throw new Error(`expected a Response, got ${reply.name}`);
  return reply.content;
}

/** Sends one DeviceLink message to the device. */
export function send(connection: ServiceConnection, message: PlistValue[]): void {
  connection.sendPlist(message, 'binary');
}

async function receive(connection: ServiceConnection, timeoutMs = 30_000): Promise<DLMessage> {
  return parseDLMessage(await connection.receivePlist(timeoutMs), 'device');
}

/**
 * Sends one request and hands every device message to `answer` until the device's final ProcessMessage
 * (the result) or the end of the connection (dropped; `answer` returning 'dropped' ends it the same way).
 * Any other failure is the test's.
 */
export async function runScriptedRequest<R extends ScriptedRequestRecord>(
  connection: ServiceConnection,
  request: PlistDict,
  record: R,
  answer: (message: DLMessage) => Promise<'dropped' | void> | 'dropped' | void,
  timeoutMs?: number,
): Promise<R> {
  send(connection, buildProcessMessage(request));
  try {
    for (;;) {
      const message = await receive(connection, timeoutMs);
      record.messages.push(message.name);
      if (message.name === 'DLMessageProcessMessage') {
        record.result = message.content;
        return record;
      }
      if ((await answer(message)) === 'dropped') break;
    }
  } catch (err) {
    if (!connection.channel.incoming.isEnded) throw err;
  }
  record.dropped = true;
  return record;
}

/**
 * Runs one Backup request as a minimal host that keeps nothing on disk: every download is
 * answered "No such file", uploads are read and counted, other requests succeed.
 */
export async function runScriptedBackup(connection: ServiceConnection, udid: string, behaviour: ScriptedHostBehaviour = {}): Promise<ScriptedBackupRecord> {
  const record: ScriptedBackupRecord = { messages: [], uploads: [], purgeRequests: [], result: undefined, dropped: false };
  const request: PlistDict = { MessageName: 'Backup', TargetIdentifier: udid, SourceIdentifier: udid };
  if (behaviour.forceFull) request.Options = { ForceFullBackup: true };
  return runScriptedRequest(connection, request, record, async (message) => {
    switch (message.name) {
      case 'DLMessageDownloadFiles': {
        const failures = new Map<string, DLFileFailure>();
        for (const path of message.paths) {
          connection.sendRaw(encodeUnavailableFile(path, 'No such file or directory'));
          failures.set(path, { code: -6, text: 'No such file or directory' });
        }
        connection.sendRaw(encodeTransferEnd());
        send(connection, buildMultiStatusResponse(failures));
        break;
      }
      case 'DLMessageUploadFiles': {
        const decoder = new DLTransferDecoder(connection, 'upload');
        const paths: string[] = [];
        let current: UploadedFile | undefined;
        for (let event = await decoder.next(); event.kind !== 'end'; event = await decoder.next()) {
          if (event.kind === 'file') current = { deviceName: event.deviceName, path: event.path, bytes: 0 };
          else if (event.kind === 'data' && current) current.bytes += event.bytes.length;
          else if (event.kind === 'file-end' && current) {
            record.uploads.push(current);
            paths.push(current.path);
          }
        }
        const answer = behaviour.answerUpload?.(paths) ?? { code: 0 };
        send(connection, buildStatusResponse(answer.code, answer.text, {}));
        break;
      }
      case 'DLMessageGetFreeDiskSpace':
        send(connection, buildStatusResponse(0, undefined, behaviour.freeBytes ?? 500 * 1024 ** 3));
        break;
      case 'DLMessagePurgeDiskSpace':
        record.purgeRequests.push({ bytes: message.bytes, urgency: message.urgency });
        send(connection, buildStatusResponse(behaviour.purgeAnswer ?? -1, 'Operation not supported', {}));
        break;
      default:
        send(connection, buildStatusResponse(0, undefined, {}));
    }
  });
}
