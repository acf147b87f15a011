/**
 * The DeviceLink codec shared by the host (src/services/deviceLink.ts, src/backup/engine/) and the
 * simulated device (src/simulator/services/): message names, builders for every DL array, a parser
 * that turns a received (untrusted) DL array into a typed discriminated union, and the raw
 * file-transfer encoding used inside DownloadFiles / UploadFiles (docs/protocol/mobilebackup2.md#file-transfer-encoding).
 *
 * API stability: everything exported here is used from both sides of the wire. Add, don't rename.
 *
 * Plist framing is not done here (ServiceConnection owns it); this file builds and checks the
 * plist *values* and the raw byte stream that flows between plist frames.
 */
import { ProtocolError } from '../common/errors';
import { isPlistDict, PlistReal, setPlistEntry, type PlistDict, type PlistValue } from '../plist';

// ---------------------------------------------------------------------------------------------
// Names and constants

/** Every DeviceLink message name this product sends or understands (element 0 of a DL array). */
export const DL_MESSAGE = {
  VersionExchange: 'DLMessageVersionExchange',
  DeviceReady: 'DLMessageDeviceReady',
  ProcessMessage: 'DLMessageProcessMessage',
  StatusResponse: 'DLMessageStatusResponse',
  Ping: 'DLMessagePing',
  Disconnect: 'DLMessageDisconnect',
  DownloadFiles: 'DLMessageDownloadFiles',
  UploadFiles: 'DLMessageUploadFiles',
  GetFreeDiskSpace: 'DLMessageGetFreeDiskSpace',
  PurgeDiskSpace: 'DLMessagePurgeDiskSpace',
  // The one device request without the "Message" infix, exactly as devices spell it.
  ContentsOfDirectory: 'DLContentsOfDirectory',
  CreateDirectory: 'DLMessageCreateDirectory',
  MoveFiles: 'DLMessageMoveFiles',
  MoveItems: 'DLMessageMoveItems',
  RemoveFiles: 'DLMessageRemoveFiles',
  RemoveItems: 'DLMessageRemoveItems',
  CopyItem: 'DLMessageCopyItem',
} as const;

/** A DeviceLink message name. */
export type DLMessageName = (typeof DL_MESSAGE)[keyof typeof DL_MESSAGE];

/** The device-sent requests a host answers inside the backup/restore loop (docs/protocol/mobilebackup2.md#device-requests). */
export const DL_DEVICE_REQUEST_NAMES = [
  DL_MESSAGE.DownloadFiles,
  DL_MESSAGE.UploadFiles,
  DL_MESSAGE.GetFreeDiskSpace,
  DL_MESSAGE.PurgeDiskSpace,
  DL_MESSAGE.ContentsOfDirectory,
  DL_MESSAGE.CreateDirectory,
  DL_MESSAGE.MoveFiles,
  DL_MESSAGE.MoveItems,
  DL_MESSAGE.RemoveFiles,
  DL_MESSAGE.RemoveItems,
  DL_MESSAGE.CopyItem,
  DL_MESSAGE.ProcessMessage,
  DL_MESSAGE.Disconnect,
] as const;

/** The name of a message the host's backup loop dispatches on. */
export type DLDeviceRequestName = (typeof DL_DEVICE_REQUEST_NAMES)[number];

/** The literal DeviceLink placeholder for an absent string or dictionary argument. */
export const DL_EMPTY_PARAMETER = '___EmptyParameterString___';

/** The host's positive answer in the version exchange. */
export const DL_VERSIONS_OK = 'DLVersionsOk';

/** The negative answer Apple's DeviceLink framework knows for a version it cannot accept. */
export const DL_VERSION_REFUSED = 'DLErrorAcceptingDeviceLinkGreater';

/** The DeviceLink version a device offers (the value commonly observed on real devices). */
export const DL_DEVICE_VERSION = { major: 300, minor: 0 } as const;

/** The highest DeviceLink version our host accepts (majors above, or 400.x with x > 0, are refused). */
export const DL_HOST_MAX_VERSION = { major: 400, minor: 0 } as const;

/** Status text a StatusResponse carries for a multi-status (per-file) failure. */
export const DL_MULTI_STATUS_TEXT = 'Multi status';

/** Key of the device error code in one entry of a multi-status dictionary. */
export const DL_FILE_ERROR_CODE_KEY = 'DLFileErrorCode';
/** Key of the error text in one entry of a multi-status dictionary. */
export const DL_FILE_ERROR_STRING_KEY = 'DLFileErrorString';

/** Device error codes hosts send in StatusResponse (mapped from POSIX errors by symbol, not number). */
export const DL_DEVICE_ERROR = {
  Generic: -1,
  NoSuchFile: -6,
  Exists: -7,
  NotADirectory: -8,
  IsADirectory: -9,
  SymlinkLoop: -10,
  IoError: -11,
  MultiStatus: -13,
  NoSpace: -15,
} as const;

/** Values of DLFileType in a DLContentsOfDirectory answer. */
export const DL_FILE_TYPE = {
  Directory: 'DLFileTypeDirectory',
  Regular: 'DLFileTypeRegular',
  Unknown: 'DLFileTypeUnknown',
} as const;

/** A DLFileType value. */
export type DLFileType = (typeof DL_FILE_TYPE)[keyof typeof DL_FILE_TYPE];

/**
 * What a host answers a device when one of its file operations fails, by POSIX code: the device error code
 * and the strerror-style text iTunes and libimobiledevice send with it. This text is protocol, not for
 * people; messages a person reads take their reason from common/fileSystemErrorText.ts.
 */
const ERRNO_ANSWERS: Readonly<Record<string, readonly [code: number, text: string]>> = {
  ENOENT: [DL_DEVICE_ERROR.NoSuchFile, 'No such file or directory'],
  EEXIST: [DL_DEVICE_ERROR.Exists, 'File exists'],
  ENOTDIR: [DL_DEVICE_ERROR.NotADirectory, 'Not a directory'],
  EISDIR: [DL_DEVICE_ERROR.IsADirectory, 'Is a directory'],
  ELOOP: [DL_DEVICE_ERROR.SymlinkLoop, 'Too many levels of symbolic links'],
  EIO: [DL_DEVICE_ERROR.IoError, 'Input/output error'],
  ENOSPC: [DL_DEVICE_ERROR.NoSpace, 'No space left on device'],
  EACCES: [DL_DEVICE_ERROR.Generic, 'Permission denied'],
  EPERM: [DL_DEVICE_ERROR.Generic, 'Operation not permitted'],
  ENOTEMPTY: [DL_DEVICE_ERROR.Generic, 'Directory not empty'],
  EROFS: [DL_DEVICE_ERROR.Generic, 'Read-only file system'],
};

function errnoAnswer(errno: string | undefined): readonly [code: number, text: string] | undefined {
  return errno !== undefined && Object.hasOwn(ERRNO_ANSWERS, errno) ? ERRNO_ANSWERS[errno] : undefined;
}

/** The POSIX code of a Node error ("ENOENT"), with Node's own EISDIR variant folded in. */
function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_FS_EISDIR' ? 'EISDIR' : code;
}

/** Maps a Node/POSIX error code ("ENOENT", …) to the DeviceLink device error code. */
export function deviceErrorFromErrno(errno: string | undefined): number {
  return errnoAnswer(errno)?.[0] ?? DL_DEVICE_ERROR.Generic;
}

/** The strerror-style text hosts send to the device with a device error code (an unknown error keeps its message). */
export function posixErrorText(error: unknown): string {
  return errnoAnswer(errnoOf(error))?.[1] ?? (error instanceof Error ? error.message : String(error));
}

/** A local file-system error as the device is answered: its device error code and strerror-style text. */
export function deviceLinkFailure(error: unknown): DLFileFailure {
  return { code: deviceErrorFromErrno(errnoOf(error)), text: posixErrorText(error) };
}

// ---------------------------------------------------------------------------------------------
// Limits for untrusted DL arrays

/** Longest path (UTF-8 bytes) accepted in a DL message or a transfer name; longer is corrupt. */
export const DL_MAX_NAME_BYTES = 4096;

/** Most paths one DownloadFiles / RemoveItems message may name, and most pairs in a MoveItems. */
export const DL_MAX_PATHS_PER_MESSAGE = 100_000;

/** Who sent the bytes being checked; error sentences name it ("The device sent …"). */
export type DLPeer = 'device' | 'host';

function corrupt(peer: DLPeer, message: string): ProtocolError {
  return new ProtocolError(message, peer === 'device' ? 'device link' : 'device link host');
}

// ---------------------------------------------------------------------------------------------
// Builders (host → device and device → host)

/** A DeviceLink message as it goes on the wire: its name first, then its parameters. */
export type DLMessageArray = [name: string, ...parameters: PlistValue[]];

/** Device → host: the version offer that opens a DeviceLink session. */
export function buildVersionOffer(major: number = DL_DEVICE_VERSION.major, minor: number = DL_DEVICE_VERSION.minor): DLMessageArray {
  return [DL_MESSAGE.VersionExchange, major, minor];
}

/** Host → device: accepts the device's version offer, naming the host's major version. */
export function buildVersionAccept(major: number = DL_HOST_MAX_VERSION.major): DLMessageArray {
  return [DL_MESSAGE.VersionExchange, DL_VERSIONS_OK, major];
}

/** Host → device: refuses the device's version offer. */
export function buildVersionRefuse(major: number = DL_HOST_MAX_VERSION.major): DLMessageArray {
  return [DL_MESSAGE.VersionExchange, DL_VERSION_REFUSED, major];
}

/** Device → host: the session is ready for requests. */
export function buildDeviceReady(): DLMessageArray {
  return [DL_MESSAGE.DeviceReady];
}

/** Either direction: a mobilebackup2 request (host) or a final result / Hello reply (device). */
export function buildProcessMessage(content: PlistDict): DLMessageArray {
  return [DL_MESSAGE.ProcessMessage, content];
}

/**
 * Host → device: the answer to one device request. `code` 0 is success; negative codes are
 * written as signed 64-bit integers. An absent text or value becomes the DL placeholder.
 */
export function buildStatusResponse(code: number, text?: string, value?: PlistValue): DLMessageArray {
  if (!Number.isSafeInteger(code)) throw new RangeError(`A DeviceLink status code must be an integer, not ${code}.`);
  return [DL_MESSAGE.StatusResponse, code, text ?? DL_EMPTY_PARAMETER, value ?? DL_EMPTY_PARAMETER];
}

/** One failed path of a multi-status answer. */
export interface DLFileFailure {
  code: number;
  text: string;
}

/** Host → device: the -13 "Multi status" answer naming each path that could not be served. */
export function buildMultiStatusResponse(failures: ReadonlyMap<string, DLFileFailure>): DLMessageArray {
  const value: PlistDict = {};
  for (const [path, failure] of failures) {
    setPlistEntry(value, path, { [DL_FILE_ERROR_CODE_KEY]: failure.code, [DL_FILE_ERROR_STRING_KEY]: failure.text });
  }
  return buildStatusResponse(DL_DEVICE_ERROR.MultiStatus, DL_MULTI_STATUS_TEXT, value);
}

/** Either direction: a keep-alive. */
export function buildPing(text: string = DL_EMPTY_PARAMETER): DLMessageArray {
  return [DL_MESSAGE.Ping, text];
}

/** Either direction: the sender is closing the session. */
export function buildDisconnect(reason: string = DL_EMPTY_PARAMETER): DLMessageArray {
  return [DL_MESSAGE.Disconnect, reason];
}

/** Device → host: asks the host to stream these backup-relative files (docs/protocol/mobilebackup2.md#file-transfer-encoding). */
export function buildDownloadFiles(paths: readonly string[], progress = 0): DLMessageArray {
  return [DL_MESSAGE.DownloadFiles, [...paths], {}, new PlistReal(progress), 0];
}

/** Device → host: announces a raw upload stream of files; `batchBytes` is the batch's byte count. */
export function buildUploadFiles(progress: number, batchBytes: number): DLMessageArray {
  return [DL_MESSAGE.UploadFiles, {}, new PlistReal(progress), batchBytes];
}

/** Device → host: asks for the free bytes of the backup volume. */
export function buildGetFreeDiskSpace(): DLMessageArray {
  return [DL_MESSAGE.GetFreeDiskSpace];
}

/** Device → host: asks the host to free `bytes` bytes (urgency 4 is what devices send). */
export function buildPurgeDiskSpace(bytes: number, urgency = 4): DLMessageArray {
  return [DL_MESSAGE.PurgeDiskSpace, bytes, urgency];
}

/** Device → host: asks for the entries of a backup-relative directory. */
export function buildContentsOfDirectory(path: string): DLMessageArray {
  return [DL_MESSAGE.ContentsOfDirectory, path];
}

/** Device → host: asks for `mkdir -p` of a backup-relative directory. */
export function buildCreateDirectory(path: string): DLMessageArray {
  return [DL_MESSAGE.CreateDirectory, path];
}

/** One rename requested by MoveItems / MoveFiles. */
export interface DLMove {
  from: string;
  to: string;
}

/** Device → host: renames (replacing any existing destination); MoveItems unless `name` says MoveFiles. */
export function buildMoveItems(moves: readonly DLMove[], progress: number, name: 'DLMessageMoveItems' | 'DLMessageMoveFiles' = DL_MESSAGE.MoveItems): DLMessageArray {
  const pairs: PlistDict = {};
  for (const move of moves) setPlistEntry(pairs, move.from, move.to);
  return [name, pairs, {}, new PlistReal(progress)];
}

/** Device → host: deletes paths (recursively); RemoveItems unless `name` says RemoveFiles. */
export function buildRemoveItems(paths: readonly string[], progress: number, name: 'DLMessageRemoveItems' | 'DLMessageRemoveFiles' = DL_MESSAGE.RemoveItems): DLMessageArray {
  return [name, [...paths], {}, new PlistReal(progress)];
}

/** Device → host: copies a file or directory tree. */
export function buildCopyItem(from: string, to: string): DLMessageArray {
  return [DL_MESSAGE.CopyItem, from, to];
}

/** One entry of a DLContentsOfDirectory answer. */
export interface DLDirectoryEntry {
  type: DLFileType;
  size: number;
  modified: Date;
}

/** Host → device: the value of a DLContentsOfDirectory answer (name → type, size, date). */
export function buildDirectoryContents(entries: ReadonlyMap<string, DLDirectoryEntry>): PlistDict {
  const out: PlistDict = {};
  for (const [name, entry] of entries) {
    setPlistEntry(out, name, { DLFileType: entry.type, DLFileSize: entry.size, DLFileModificationDate: entry.modified });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsed messages

/** A received DeviceLink message, after shape validation. */
export type DLMessage =
  | { name: 'DLMessageVersionExchange'; kind: 'offer'; major: number; minor: number }
  | { name: 'DLMessageVersionExchange'; kind: 'reply'; accepted: boolean; status: string; major: number }
  | { name: 'DLMessageDeviceReady' }
  | { name: 'DLMessageProcessMessage'; content: PlistDict }
  | { name: 'DLMessageStatusResponse'; code: number; text: string | undefined; value: PlistValue | undefined }
  | { name: 'DLMessagePing'; text: string | undefined }
  | { name: 'DLMessageDisconnect'; reason: string | undefined }
  | { name: 'DLMessageDownloadFiles'; paths: string[]; progress: number | undefined }
  | { name: 'DLMessageUploadFiles'; progress: number | undefined; batchBytes: number | undefined }
  | { name: 'DLMessageGetFreeDiskSpace' }
  | { name: 'DLMessagePurgeDiskSpace'; bytes: number; urgency: number | undefined }
  | { name: 'DLContentsOfDirectory'; path: string }
  | { name: 'DLMessageCreateDirectory'; path: string }
  | { name: 'DLMessageMoveFiles' | 'DLMessageMoveItems'; moves: DLMove[]; progress: number | undefined }
  | { name: 'DLMessageRemoveFiles' | 'DLMessageRemoveItems'; paths: string[]; progress: number | undefined }
  | { name: 'DLMessageCopyItem'; from: string; to: string };

/** The parsed message with a given name. */
export type DLMessageOf<N extends DLMessageName> = Extract<DLMessage, { name: N }>;

/** Element counts (including the name) each message may have: [fewest, most]. */
const ARITY: Record<DLMessageName, readonly [number, number]> = {
  DLMessageVersionExchange: [3, 3],
  DLMessageDeviceReady: [1, 1],
  DLMessageProcessMessage: [2, 2],
  DLMessageStatusResponse: [2, 4],
  DLMessagePing: [1, 2],
  DLMessageDisconnect: [1, 2],
  DLMessageDownloadFiles: [2, 5],
  DLMessageUploadFiles: [1, 4],
  DLMessageGetFreeDiskSpace: [1, 1],
  DLMessagePurgeDiskSpace: [2, 3],
  DLContentsOfDirectory: [2, 2],
  DLMessageCreateDirectory: [2, 2],
  DLMessageMoveFiles: [2, 4],
  DLMessageMoveItems: [2, 4],
  DLMessageRemoveFiles: [2, 4],
  DLMessageRemoveItems: [2, 4],
  DLMessageCopyItem: [3, 3],
};

const KNOWN_NAMES = new Set<string>(Object.values(DL_MESSAGE));

/** True when `name` is a DeviceLink message name this codec knows. */
export function isDLMessageName(name: string): name is DLMessageName {
  return KNOWN_NAMES.has(name);
}

/**
 * Validates a received plist value as a DeviceLink array and returns its typed form. Anything of
 * the wrong shape (not an array, unknown name, wrong element count or types, oversize paths)
 * raises a ProtocolError that says what was wrong.
 */
export function parseDLMessage(value: PlistValue, peer: DLPeer = 'device'): DLMessage {
  if (!Array.isArray(value)) throw corrupt(peer, `The ${peer} sent a DeviceLink message that is not an array.`);
  if (value.length === 0) throw corrupt(peer, `The ${peer} sent an empty DeviceLink message.`);
  const name = value[0];
  // Real DL names are long "DL…" strings; libimobiledevice also refuses anything under 9 characters.
  if (typeof name !== 'string' || !name.startsWith('DL') || name.length < 9) {
    throw corrupt(peer, `The ${peer} sent a DeviceLink message without a DL message name.`);
  }
  if (!isDLMessageName(name)) throw corrupt(peer, `The ${peer} sent an unknown DeviceLink message "${truncateForMessage(name)}".`);
  const [fewest, most] = ARITY[name];
  if (value.length < fewest || value.length > most) {
    throw corrupt(peer, `The ${peer} sent ${name} with ${value.length - 1} arguments; ${fewest === most ? fewest - 1 : `${fewest - 1} to ${most - 1}`} expected.`);
  }
  const arg = (i: number): PlistValue | undefined => value[i];
  switch (name) {
    case 'DLMessageVersionExchange': {
      const second = arg(1);
      if (typeof second === 'string') {
        return { name, kind: 'reply', accepted: second === DL_VERSIONS_OK, status: second, major: integerArg(peer, name, arg(2), 'version major') };
      }
      return { name, kind: 'offer', major: integerArg(peer, name, second, 'version major'), minor: integerArg(peer, name, arg(2), 'version minor') };
    }
    case 'DLMessageDeviceReady':
    case 'DLMessageGetFreeDiskSpace':
      return { name };
    case 'DLMessageProcessMessage': {
      const content = arg(1);
      if (!isPlistDict(content)) throw corrupt(peer, `The ${peer} sent ${name} whose argument is not a dictionary.`);
      return { name, content };
    }
    case 'DLMessageStatusResponse': {
      const code = statusCodeArg(peer, arg(1));
      const text = arg(2);
      if (text !== undefined && typeof text !== 'string') throw corrupt(peer, `The ${peer} sent ${name} whose status text is not a string.`);
      const rawValue = arg(3);
      return { name, code, text: placeholderToUndefined(text), value: rawValue === DL_EMPTY_PARAMETER ? undefined : rawValue };
    }
    case 'DLMessagePing':
    case 'DLMessageDisconnect': {
      const text = arg(1);
      if (text !== undefined && typeof text !== 'string') throw corrupt(peer, `The ${peer} sent ${name} whose argument is not a string.`);
      return name === 'DLMessagePing' ? { name, text: placeholderToUndefined(text) } : { name, reason: placeholderToUndefined(text) };
    }
    case 'DLMessageDownloadFiles':
      return { name, paths: pathListArg(peer, name, arg(1)), progress: progressArg(peer, name, arg(3)) };
    case 'DLMessageUploadFiles': {
      const options = arg(1);
      if (options !== undefined && !isPlistDict(options) && options !== DL_EMPTY_PARAMETER) {
        throw corrupt(peer, `The ${peer} sent ${name} whose options are not a dictionary.`);
      }
      const batch = arg(3);
      return { name, progress: progressArg(peer, name, arg(2)), batchBytes: batch === undefined ? undefined : nonNegativeIntegerArg(peer, name, batch, 'byte count') };
    }
    case 'DLMessagePurgeDiskSpace': {
      const urgency = arg(2);
      return { name, bytes: nonNegativeIntegerArg(peer, name, arg(1), 'byte count'), urgency: urgency === undefined ? undefined : integerArg(peer, name, urgency, 'urgency') };
    }
    case 'DLContentsOfDirectory':
    case 'DLMessageCreateDirectory':
      return { name, path: pathArg(peer, name, arg(1)) };
    case 'DLMessageMoveFiles':
    case 'DLMessageMoveItems':
      return { name, moves: moveListArg(peer, name, arg(1)), progress: progressArg(peer, name, arg(3)) };
    case 'DLMessageRemoveFiles':
    case 'DLMessageRemoveItems':
      return { name, paths: pathListArg(peer, name, arg(1)), progress: progressArg(peer, name, arg(3)) };
    case 'DLMessageCopyItem':
      return { name, from: pathArg(peer, name, arg(1)), to: pathArg(peer, name, arg(2)) };
  }
}

/** Parses a DL array and also checks that it is the expected message (e.g. DeviceReady after the version reply). */
export function expectDLMessage<N extends DLMessageName>(value: PlistValue, expected: N, peer: DLPeer = 'device'): DLMessageOf<N> {
  const message = parseDLMessage(value, peer);
  if (message.name !== expected) throw corrupt(peer, `The ${peer} sent ${message.name} where ${expected} was expected.`);
  return message as DLMessageOf<N>;
}

/**
 * Reads a StatusResponse code: plain negative integers, and the unsigned 64-bit two's-complement
 * form libimobiledevice produces (2^64 − 13 for −13), both map to the signed value.
 */
export function normalizeStatusCode(value: number | bigint, peer: DLPeer = 'device'): number {
  let big = typeof value === 'bigint' ? value : BigInt(value);
  if (big >= 2n ** 63n) big -= 2n ** 64n;
  if (big < BigInt(Number.MIN_SAFE_INTEGER) || big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corrupt(peer, `The ${peer} sent a DeviceLink status code out of range.`);
  }
  return Number(big);
}

/** The per-path failures of a -13 multi-status StatusResponse value (empty when there are none). */
export function parseMultiStatus(value: PlistValue | undefined, peer: DLPeer = 'device'): Map<string, DLFileFailure> {
  const out = new Map<string, DLFileFailure>();
  if (!isPlistDict(value)) return out;
  for (const [path, entry] of Object.entries(value)) {
    if (!isPlistDict(entry)) throw corrupt(peer, `The ${peer} sent a multi-status entry that is not a dictionary.`);
    const code = entry[DL_FILE_ERROR_CODE_KEY];
    const text = entry[DL_FILE_ERROR_STRING_KEY];
    if ((typeof code !== 'number' && typeof code !== 'bigint') || typeof text !== 'string') {
      throw corrupt(peer, `The ${peer} sent a multi-status entry without an error code and text.`);
    }
    out.set(path, { code: normalizeStatusCode(code, peer), text });
  }
  return out;
}

function placeholderToUndefined(text: string | undefined): string | undefined {
  return text === DL_EMPTY_PARAMETER ? undefined : text;
}

function truncateForMessage(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

function integerArg(peer: DLPeer, name: string, value: PlistValue | undefined, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw corrupt(peer, `The ${peer} sent ${name} whose ${what} is not an integer.`);
}

function nonNegativeIntegerArg(peer: DLPeer, name: string, value: PlistValue | undefined, what: string): number {
  const n = integerArg(peer, name, value, what);
  if (n < 0) throw corrupt(peer, `The ${peer} sent ${name} with a negative ${what}.`);
  return n;
}

function statusCodeArg(peer: DLPeer, value: PlistValue | undefined): number {
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') return normalizeStatusCode(value, peer);
  throw corrupt(peer, `The ${peer} sent DLMessageStatusResponse whose status code is not an integer.`);
}

/** Progress is a percentage the device reports as a real (sometimes an integer); absent is fine. */
function progressArg(peer: DLPeer, name: string, value: PlistValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.min(100, Math.max(0, value));
  throw corrupt(peer, `The ${peer} sent ${name} whose progress is not a number.`);
}

/** Checks one device-named path: a non-empty string, no NUL, at most DL_MAX_NAME_BYTES bytes. */
export function checkDLPath(value: PlistValue | undefined, context: string, peer: DLPeer = 'device'): string {
  if (typeof value !== 'string') throw corrupt(peer, `The ${peer} sent ${context} with a path that is not a string.`);
  if (value.length === 0) throw corrupt(peer, `The ${peer} sent ${context} with an empty path.`);
  if (value.includes('\0')) throw corrupt(peer, `The ${peer} sent ${context} with a path containing a NUL character.`);
  if (Buffer.byteLength(value, 'utf8') > DL_MAX_NAME_BYTES) {
    throw corrupt(peer, `The ${peer} sent ${context} with a path longer than ${DL_MAX_NAME_BYTES} bytes.`);
  }
  return value;
}

function pathArg(peer: DLPeer, name: string, value: PlistValue | undefined): string {
  return checkDLPath(value, name, peer);
}

function pathListArg(peer: DLPeer, name: string, value: PlistValue | undefined): string[] {
  if (!Array.isArray(value)) throw corrupt(peer, `The ${peer} sent ${name} whose path list is not an array.`);
  if (value.length > DL_MAX_PATHS_PER_MESSAGE) throw corrupt(peer, `The ${peer} sent ${name} naming more than ${DL_MAX_PATHS_PER_MESSAGE} paths.`);
  return value.map((item) => checkDLPath(item, name, peer));
}

function moveListArg(peer: DLPeer, name: string, value: PlistValue | undefined): DLMove[] {
  if (!isPlistDict(value)) throw corrupt(peer, `The ${peer} sent ${name} whose moves are not a dictionary.`);
  const entries = Object.entries(value);
  if (entries.length > DL_MAX_PATHS_PER_MESSAGE) throw corrupt(peer, `The ${peer} sent ${name} naming more than ${DL_MAX_PATHS_PER_MESSAGE} moves.`);
  return entries.map(([from, to]) => ({ from: checkDLPath(from, name, peer), to: checkDLPath(to, name, peer) }));
}

// ---------------------------------------------------------------------------------------------
// Raw file-transfer encoding (docs/protocol/mobilebackup2.md#file-transfer-encoding)

/** Control byte of a transfer block. */
export const DL_BLOCK_CODE = {
  /** Payload is file content. */
  FileData: 0x0c,
  /** End of this file, OK (N = 1, no payload). */
  Success: 0x00,
  /** The sending side failed to read the file; payload = message text. */
  LocalError: 0x06,
  /** The device reports an error (or "file ended, message attached"); payload = message text. */
  RemoteError: 0x0b,
} as const;

/** Largest block (code byte + payload) accepted from a peer; bigger is corrupt. */
export const DL_MAX_BLOCK_BYTES = 4 * 1024 * 1024;

/** Largest error text accepted in a LocalError / RemoteError block. */
export const DL_MAX_ERROR_TEXT_BYTES = 64 * 1024;

/**
 * Most empty data blocks accepted in a row. Neither side needs one (our encoder never sends them,
 * devices send at most a few), and each costs the reader work while carrying nothing, so a flood of
 * them is refused instead of being read for as long as the peer keeps sending.
 */
export const DL_MAX_CONSECUTIVE_EMPTY_BLOCKS = 1024;

/**
 * Payload bytes per data block when sending: 32 KiB, the DeviceLink default buffer size (larger
 * frames make the device's BackupAgent2 buffer too much and get killed, docs/protocol/mobilebackup2.md#file-transfer-encoding).
 */
export const DL_SEND_CHUNK_BYTES = 32 * 1024;

/** The four zero bytes that end a whole transfer. */
export function encodeTransferEnd(): Buffer {
  return Buffer.alloc(4);
}

/** A transfer name: u32be byte length + UTF-8 bytes. Refuses empty, NUL-containing or > 4096-byte names. */
export function encodeTransferName(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > DL_MAX_NAME_BYTES || name.includes('\0')) {
    throw new RangeError(`A DeviceLink transfer name must be 1 to ${DL_MAX_NAME_BYTES} bytes without NUL.`);
  }
  const out = Buffer.alloc(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

/** The 5-byte header of a block with `payloadLength` payload bytes (N = payload + 1 code byte). */
export function encodeBlockHeader(code: number, payloadLength: number): Buffer {
  if (payloadLength < 0 || payloadLength + 1 > DL_MAX_BLOCK_BYTES) throw new RangeError(`A DeviceLink block payload of ${payloadLength} bytes is out of range.`);
  const out = Buffer.alloc(5);
  out.writeUInt32BE(payloadLength + 1, 0);
  out[4] = code;
  return out;
}

/** A whole data block (header + payload). */
export function encodeDataBlock(payload: Uint8Array): Buffer {
  return Buffer.concat([encodeBlockHeader(DL_BLOCK_CODE.FileData, payload.length), payload]);
}

/** The SUCCESS block that ends one file: 00 00 00 01 00. */
export function encodeSuccessBlock(): Buffer {
  return encodeBlockHeader(DL_BLOCK_CODE.Success, 0);
}

/** A LocalError (0x06) or RemoteError (0x0B) block carrying a message text. */
export function encodeErrorBlock(code: typeof DL_BLOCK_CODE.LocalError | typeof DL_BLOCK_CODE.RemoteError, text: string): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > DL_MAX_ERROR_TEXT_BYTES) bytes = bytes.subarray(0, DL_MAX_ERROR_TEXT_BYTES);
  return Buffer.concat([encodeBlockHeader(code, bytes.length), bytes]);
}

/**
 * Yields data blocks for a stream of file content, re-cut into blocks of at most `chunkBytes`
 * payload bytes; memory stays at one chunk whatever the file size. Does not yield the end block.
 */
export async function* encodeDataBlocks(content: AsyncIterable<Uint8Array>, chunkBytes: number = DL_SEND_CHUNK_BYTES): AsyncGenerator<Buffer> {
  if (chunkBytes < 1 || chunkBytes + 1 > DL_MAX_BLOCK_BYTES) throw new RangeError(`A DeviceLink chunk of ${chunkBytes} bytes is out of range.`);
  for await (const piece of content) {
    for (let offset = 0; offset < piece.length; offset += chunkBytes) {
      const slice = piece.subarray(offset, Math.min(piece.length, offset + chunkBytes));
      yield encodeBlockHeader(DL_BLOCK_CODE.FileData, slice.length);
      yield Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength);
    }
  }
}

/**
 * Host side of DownloadFiles, one file: its name, data blocks, SUCCESS. When reading the content
 * fails midway the file is ended with a LocalError block instead and the error is reported through
 * `onReadError` (so the caller can list the path in the multi-status answer); the stream stays valid.
 */
export async function* encodeDownloadedFile(
  path: string,
  content: AsyncIterable<Uint8Array>,
  onReadError: (error: unknown) => string,
  chunkBytes: number = DL_SEND_CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  yield encodeTransferName(path);
  try {
    yield* encodeDataBlocks(content, chunkBytes);
  } catch (error) {
    yield encodeErrorBlock(DL_BLOCK_CODE.LocalError, onReadError(error));
    return;
  }
  yield encodeSuccessBlock();
}

/** Host side of DownloadFiles, a file that cannot be served: its name and a LocalError block. */
export function encodeUnavailableFile(path: string, text: string): Buffer {
  return Buffer.concat([encodeTransferName(path), encodeErrorBlock(DL_BLOCK_CODE.LocalError, text)]);
}

/** Device side of UploadFiles, one file: device-side name, backup-relative target, data blocks, SUCCESS. */
export async function* encodeUploadedFile(
  deviceName: string,
  targetPath: string,
  content: AsyncIterable<Uint8Array>,
  chunkBytes: number = DL_SEND_CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  yield encodeTransferName(deviceName);
  yield encodeTransferName(targetPath);
  yield* encodeDataBlocks(content, chunkBytes);
  yield encodeSuccessBlock();
}

/** Where the transfer decoder reads raw bytes from; ServiceConnection satisfies it. */
export interface DLRawByteSource {
  /** Reads exactly n bytes (fails on end of stream or timeout). */
  receiveRaw(n: number, timeoutMs?: number): Promise<Buffer>;
}

/** Which stream the decoder reads: DownloadFiles answers carry one name per file, UploadFiles two. */
export type DLTransferDirection = 'download' | 'upload';

/** How a file in a transfer ended. */
export type DLFileOutcome =
  | { status: 'success' }
  | { status: 'local-error'; message: string }
  | { status: 'remote-error'; message: string; afterData: boolean };

/** One step of a decoded transfer stream. */
export type DLTransferEvent =
  /** A new file starts. `deviceName` is set for uploads (the device-side name); `path` is backup-relative. */
  | { kind: 'file'; path: string; deviceName: string | undefined }
  /** A piece of the current file's content (at most `readPieceBytes`). */
  | { kind: 'data'; bytes: Buffer }
  /** The current file ended. */
  | { kind: 'file-end'; outcome: DLFileOutcome; bytes: number }
  /** The zero terminator: the transfer is over. */
  | { kind: 'end' };

/** Limits and timeouts of a TransferDecoder. */
export interface DLTransferDecoderOptions {
  /** Largest block (code + payload) accepted; default DL_MAX_BLOCK_BYTES. */
  maxBlockBytes?: number;
  /** Largest single file accepted, summed over its data blocks; default 1 TiB. */
  maxFileBytes?: number;
  /** Size of the `data` pieces handed out, so a large block is never held whole; default 64 KiB. */
  readPieceBytes?: number;
  /** Timeout for each read (0 = none); default 30 s per read. */
  timeoutMs?: number;
}

/**
 * Pull decoder for the raw transfer stream: call next() until it returns `{kind: 'end'}`. Every
 * length is checked before any byte of it is read, so a hostile peer cannot make it buffer more
 * than one read piece; names over 4096 bytes, zero-length or oversize blocks, unknown block codes
 * and invalid UTF-8 names raise a ProtocolError.
 */
export class DLTransferDecoder {
  private state: 'name' | 'blocks' | 'data' | 'ended' = 'name';
  private remainingInBlock = 0;
  private fileBytes = 0;
  private lastCodeWasData = false;
  private readonly maxBlockBytes: number;
  private readonly maxFileBytes: number;
  private readonly readPieceBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly source: DLRawByteSource,
    private readonly direction: DLTransferDirection,
    options: DLTransferDecoderOptions = {},
    private readonly peer: DLPeer = 'device',
  ) {
    this.maxBlockBytes = options.maxBlockBytes ?? DL_MAX_BLOCK_BYTES;
    this.maxFileBytes = options.maxFileBytes ?? 2 ** 40;
    this.readPieceBytes = options.readPieceBytes ?? 64 * 1024;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** True once the zero terminator was read. */
  get isEnded(): boolean {
    return this.state === 'ended';
  }

  /** Reads the next event of the stream. */
  async next(): Promise<DLTransferEvent> {
    switch (this.state) {
      case 'ended':
        return { kind: 'end' };
      case 'name':
        return this.readFileStart();
      case 'data':
        return this.readDataPiece();
      case 'blocks':
        return this.readBlock();
    }
  }

  private async readFileStart(): Promise<DLTransferEvent> {
    const peer = this.peer;
    const first = await this.readName();
    if (first === undefined) {
      this.state = 'ended';
      return { kind: 'end' };
    }
    let path = first;
    let deviceName: string | undefined;
    if (this.direction === 'upload') {
      deviceName = first;
      const second = await this.readName();
      if (second === undefined) throw corrupt(peer, `The ${peer} sent a file transfer with an empty target name.`);
      path = second;
    }
    this.state = 'blocks';
    this.fileBytes = 0;
    this.lastCodeWasData = false;
    return { kind: 'file', path, deviceName };
  }

  /** Reads one u32be-prefixed name; undefined for a zero length (the terminator, or an empty target name). */
  private async readName(): Promise<string | undefined> {
    const peer = this.peer;
    const length = (await this.source.receiveRaw(4, this.timeoutMs)).readUInt32BE(0);
    if (length === 0) return undefined;
    if (length > DL_MAX_NAME_BYTES) throw corrupt(peer, `The ${peer} sent a file name of ${length} bytes, over the limit of ${DL_MAX_NAME_BYTES}; the transfer is corrupt.`);
    const bytes = await this.source.receiveRaw(length, this.timeoutMs);
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw corrupt(peer, `The ${peer} sent a file name that is not valid UTF-8.`);
    }
    if (name.includes('\0')) throw corrupt(peer, `The ${peer} sent a file name containing a NUL character.`);
    return name;
  }

  private async readBlock(): Promise<DLTransferEvent> {
    const peer = this.peer;
    // A loop, not recursion: each empty data block used to add a pending promise to a chain that
    // lived until the next real block (about 100 MB of heap per million 5-byte blocks).
    for (let emptyBlocks = 0; ; emptyBlocks++) {
      if (emptyBlocks > DL_MAX_CONSECUTIVE_EMPTY_BLOCKS) {
        throw corrupt(peer, `The ${peer} sent more than ${DL_MAX_CONSECUTIVE_EMPTY_BLOCKS} empty file blocks in a row; the transfer is corrupt.`);
      }
      const header = await this.source.receiveRaw(4, this.timeoutMs);
      const length = header.readUInt32BE(0);
      if (length === 0) throw corrupt(peer, `The ${peer} sent a file block of length zero; the transfer is corrupt.`);
      if (length > this.maxBlockBytes) {
        throw corrupt(peer, `The ${peer} sent a file block of ${length} bytes, over the limit of ${this.maxBlockBytes}; the transfer is corrupt.`);
      }
      const code = (await this.source.receiveRaw(1, this.timeoutMs))[0];
      const payload = length - 1;
      switch (code) {
        case DL_BLOCK_CODE.FileData:
          this.lastCodeWasData = true;
          if (this.fileBytes + payload > this.maxFileBytes) throw corrupt(peer, `The ${peer} sent a file larger than ${this.maxFileBytes} bytes.`);
          this.remainingInBlock = payload;
          if (payload === 0) continue;
          this.state = 'data';
          return this.readDataPiece();
        case DL_BLOCK_CODE.Success:
          if (payload !== 0) throw corrupt(peer, `The ${peer} sent a success block with a payload; the transfer is corrupt.`);
          return this.endFile({ status: 'success' });
        case DL_BLOCK_CODE.LocalError:
        case DL_BLOCK_CODE.RemoteError: {
          if (payload > DL_MAX_ERROR_TEXT_BYTES) throw corrupt(peer, `The ${peer} sent an error text of ${payload} bytes, over the limit of ${DL_MAX_ERROR_TEXT_BYTES}.`);
          const text = payload ? (await this.source.receiveRaw(payload, this.timeoutMs)).toString('utf8') : '';
          return this.endFile(code === DL_BLOCK_CODE.LocalError ? { status: 'local-error', message: text } : { status: 'remote-error', message: text, afterData: this.lastCodeWasData });
        }
        default:
          throw corrupt(peer, `The ${peer} sent a file block with the unknown code 0x${code.toString(16).padStart(2, '0')}; the transfer is corrupt.`);
      }
    }
  }

  private async readDataPiece(): Promise<DLTransferEvent> {
    const n = Math.min(this.remainingInBlock, this.readPieceBytes);
    const bytes = await this.source.receiveRaw(n, this.timeoutMs);
    this.remainingInBlock -= n;
    this.fileBytes += n;
    if (this.remainingInBlock === 0) this.state = 'blocks';
    return { kind: 'data', bytes };
  }

  private endFile(outcome: DLFileOutcome): DLTransferEvent {
    this.state = 'name';
    return { kind: 'file-end', outcome, bytes: this.fileBytes };
  }
}
