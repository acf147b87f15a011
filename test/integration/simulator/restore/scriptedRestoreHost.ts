import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PlistDict } from '../../../../src/plist';
import {
  buildMultiStatusResponse,
  buildStatusResponse,
  encodeDataBlock,
  encodeSuccessBlock,
  encodeTransferEnd,
  encodeTransferName,
  encodeUnavailableFile,
  type DLFileFailure,
} from '../../../../src/services/deviceLinkCodec';
import type { ServiceConnection } from '../../../../src/transport/serviceConnection';
import { runScriptedRequest, send, type ScriptedRequestRecord } from '../../../helpers/scriptedBackupHost';

/** The Restore request a scripted host sends. */
export interface ScriptedRestoreRequest {
  target: string;
  source: string;
  options?: PlistDict;
}

/** Everything a scripted host saw during one Restore request. */
export interface ScriptedRestoreRecord extends ScriptedRequestRecord {
  /** The paths of each DownloadFiles message, in order. */
  downloads: string[][];
}

/** How the scripted host misbehaves, when a test wants it to. */
export interface ScriptedRestoreBehaviour {
  /** Sends this file, which the device did not ask for, before the requested ones of the first content batch. */
  unrequestedFile?: { path: string; bytes: Buffer };
  /** Extra bytes appended to every file whose path ends like this. */
  padFile?: { endsWith: string; bytes: number };
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
  return runScriptedRequest(
    connection,
    content,
    record,
    async (message) => {
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
        case 'DLMessageDisconnect':
          return 'dropped';
        default:
          send(connection, buildStatusResponse(0, undefined, {}));
      }
    },
    60_000,
  );
}
