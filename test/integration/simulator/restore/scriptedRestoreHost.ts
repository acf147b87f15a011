import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PlistDict, PlistValue } from '../../../../src/plist';
import {
  buildMultiStatusResponse,
  buildProcessMessage,
  buildStatusResponse,
  encodeDataBlock,
  encodeSuccessBlock,
  encodeTransferEnd,
  encodeTransferName,
  encodeUnavailableFile,
  parseDLMessage,
  type DLFileFailure,
  type DLMessage,
} from '../../../../src/services/deviceLinkCodec';
import type { ServiceConnection } from '../../../../src/transport/serviceConnection';

/** The Restore request a scripted host sends. */
export interface ScriptedRestoreRequest {
  target: string;
  source: string;
  options?: PlistDict;
}

/** Everything a scripted host saw during one Restore request. */
export interface ScriptedRestoreRecord {
  /** DL message names in arrival order. */
  messages: string[];
  /** The paths of each DownloadFiles message, in order. */
  downloads: string[][];
  /** The final ProcessMessage, when one came. */
  result: PlistDict | undefined;
  /** True when the connection ended without a final result. */
  dropped: boolean;
}

/** How the scripted host misbehaves, when a test wants it to. */
export interface ScriptedRestoreBehaviour {
  /** Sends this file, which the device did not ask for, before the requested ones of the first content batch. */
  unrequestedFile?: { path: string; bytes: Buffer };
  /** Extra bytes appended to every file whose path ends like this. */
  padFile?: { endsWith: string; bytes: number };
}

function send(connection: ServiceConnection, message: PlistValue[]): void {
  connection.sendPlist(message, 'binary');
}

async function receive(connection: ServiceConnection): Promise<DLMessage> {
  return parseDLMessage(await connection.receivePlist(60_000), 'device');
}

/** The bytes of a backup-relative path under the root, or undefined when there is no such file (no "..", as a careful host does). */
function readBackupFile(root: string, devicePath: string): Buffer | undefined {
  if (devicePath.split('/').some((part) => part === '..' || part === '')) return undefined;
  const file = path.join(root, devicePath);
  try {
    return statSync(file).isFile() ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one Restore request as a minimal host serving the backup folders under `root`: each
 * DownloadFiles is answered file by file in 32 KiB blocks (a missing file gets a LocalError block
 * and a -13 multi-status entry, and the host goes on), every other device request succeeds.
 */
export async function runScriptedRestore(
  connection: ServiceConnection,
  root: string,
  request: ScriptedRestoreRequest,
  behaviour: ScriptedRestoreBehaviour = {},
): Promise<ScriptedRestoreRecord> {
  const record: ScriptedRestoreRecord = { messages: [], downloads: [], result: undefined, dropped: false };
  const content: PlistDict = { MessageName: 'Restore', TargetIdentifier: request.target, SourceIdentifier: request.source };
  if (request.options) content.Options = request.options;
  send(connection, buildProcessMessage(content));
  try {
    for (;;) {
      const message = await receive(connection);
      record.messages.push(message.name);
      switch (message.name) {
        case 'DLMessageDownloadFiles': {
          record.downloads.push(message.paths);
          const failures = new Map<string, DLFileFailure>();
          if (behaviour.unrequestedFile && record.downloads.length === 2) {
            connection.sendRaw(Buffer.concat([encodeTransferName(behaviour.unrequestedFile.path), encodeDataBlock(behaviour.unrequestedFile.bytes), encodeSuccessBlock()]));
          }
          for (const devicePath of message.paths) {
            let bytes = readBackupFile(root, devicePath);
            if (!bytes) {
              connection.sendRaw(encodeUnavailableFile(devicePath, 'No such file or directory'));
              failures.set(devicePath, { code: -6, text: 'No such file or directory' });
              continue;
            }
            if (behaviour.padFile && devicePath.endsWith(behaviour.padFile.endsWith)) bytes = Buffer.concat([bytes, Buffer.alloc(behaviour.padFile.bytes, 0x41)]);
            const parts = [encodeTransferName(devicePath)];
            for (let offset = 0; offset < bytes.length; offset += 32 * 1024) parts.push(encodeDataBlock(bytes.subarray(offset, offset + 32 * 1024)));
            parts.push(encodeSuccessBlock());
            connection.sendRaw(Buffer.concat(parts));
            await connection.drained();
          }
          connection.sendRaw(encodeTransferEnd());
          send(connection, failures.size > 0 ? buildMultiStatusResponse(failures) : buildStatusResponse(0, undefined, {}));
          break;
        }
        case 'DLMessageProcessMessage':
          record.result = message.content;
          return record;
        case 'DLMessageDisconnect':
          record.dropped = true;
          return record;
        default:
          send(connection, buildStatusResponse(0, undefined, {}));
      }
    }
  } catch (err) {
    if (!connection.channel.incoming.isEnded) throw err;
    record.dropped = true;
    return record;
  }
}
