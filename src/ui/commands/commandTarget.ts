import * as path from 'node:path';
import { DEVICE_LOG_SCHEME } from '../deviceLog/deviceLogDocuments';

/** Longer than any real path (PATH_MAX is 4096 on Linux): such a string is not recorded. */
const MAX_TARGET_PATH_LENGTH = 4096;

/**
 * The UDID or folder a command was invoked on, for the operation history: a tree node's device or
 * backup folder, a device log document's device (its URI is `ios-device-log:/<udid>/…`), or a folder
 * given as an absolute path (the compatibility panel's Verify Backup button passes the backup
 * folder's path). Anything else (the palette's nothing, a relative or malformed string) records no target.
 */
export function commandTarget(arg: unknown): string | undefined {
  if (typeof arg === 'string') return isRecordablePath(arg) ? path.resolve(arg) : undefined;
  const node = arg as { kind?: string; model?: { udid?: string; dir?: string }; parent?: { model?: { udid?: string } }; scheme?: string; path?: string } | undefined;
  if (!node || typeof node !== 'object') return undefined;
  if (node.scheme === DEVICE_LOG_SCHEME) return node.path?.split('/')[1] || undefined;
  if (node.kind === 'property' || node.kind === 'warning') return node.parent?.model?.udid;
  return node.model?.dir ?? node.model?.udid;
}

// Control characters (a NUL, a line break) would corrupt the log line and the report the path goes into.
function isRecordablePath(value: string): boolean {
  return value.length <= MAX_TARGET_PATH_LENGTH && path.isAbsolute(value) && !/[\u0000-\u001f\u007f]/.test(value);
}
