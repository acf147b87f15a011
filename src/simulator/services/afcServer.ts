import type { Logger } from '../../common/logger';
import type { ServiceConnection } from '../../transport/serviceConnection';
import type { MediaFileSystem, MediaNode } from '../mediaFileSystem';
import type { VirtualDevice } from '../virtualDevice';
import { AFC_HEADER_BYTES, AFC_LAST_KNOWN_OPERATION, AFC_OPERATION, decodeAfcHeader, decodeAfcStrings, encodeAfcPacket, encodeAfcStrings, encodeAfcU64, type AfcHeader } from '../../services/afcPacket';
import { AFC_STATUS, type AfcStatus } from '../../services/afcStatus';
import { encodeAfcData, encodeAfcStatus, HOST_REQUESTS } from './afcPackets';

/** Largest FileRefRead answer; hosts ask again for the rest (libimobiledevice reads 64 KiB at a time). */
const MAX_READ_BYTES = 1024 * 1024;
/** Open handles one connection may hold. */
const MAX_OPEN_FILES = 256;

/** What each open mode allows (docs/protocol/other-services.md#afc: 1 r, 2 r+, 3 w, 4 w+, 5 a, 6 a+). */
const OPEN_MODES: Record<number, { read: boolean; write: boolean; create: boolean; truncate: boolean; append: boolean }> = {
  1: { read: true, write: false, create: false, truncate: false, append: false },
  2: { read: true, write: true, create: true, truncate: false, append: false },
  3: { read: false, write: true, create: true, truncate: true, append: false },
  4: { read: true, write: true, create: true, truncate: true, append: false },
  5: { read: false, write: true, create: true, truncate: false, append: true },
  6: { read: true, write: true, create: true, truncate: false, append: true },
};

/** flock operation bits (LOCK_NB = 4 is always set by hosts). */
const LOCK_SHARED = 1;
const LOCK_EXCLUSIVE = 2;
const LOCK_UNLOCK = 8;

/** One open file of a connection; the object itself is the lock owner. */
interface OpenFile {
  node: MediaNode;
  path: string;
  position: number;
  read: boolean;
  write: boolean;
  append: boolean;
}

/** One decoded request. */
interface AfcRequest {
  header: AfcHeader;
  data: Buffer;
  payload: Buffer;
}

/** com.apple.afc, device side: the media partition (file info, directories, file I/O, the sync lock). */
export async function serveAfc(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const log = device.logger.child('afcd');
  const files = new Map<bigint, OpenFile>();
  let nextHandle = 1n;
  const fs = device.mediaFiles;
  try {
    for (;;) {
      const header = decodeAfcHeader(await connection.receiveRaw(AFC_HEADER_BYTES, 0), 'AFC host', HOST_REQUESTS);
      const data = await readExactly(connection, header.thisLength - AFC_HEADER_BYTES);
      const payload = await readExactly(connection, header.entireLength - header.thisLength);
      const request: AfcRequest = { header, data, payload };
      const reply = handle(request, fs, files, () => nextHandle++, log);
      connection.sendRaw(reply);
    }
  } finally {
    // A host that disconnects without unlocking loses its locks, as flock does on close.
    for (const file of files.values()) fs.releaseLocks(file);
  }
}

async function readExactly(connection: ServiceConnection, n: number): Promise<Buffer> {
  return n === 0 ? Buffer.alloc(0) : connection.receiveRaw(n, 30_000);
}

function handle(request: AfcRequest, fs: MediaFileSystem, files: Map<bigint, OpenFile>, newHandle: () => bigint, log: Logger): Buffer {
  const { header, data, payload } = request;
  const packet = header.packetNumber;
  const status = (code: AfcStatus) => encodeAfcStatus(packet, code);
  const path = () => decodeAfcStrings(data)[0] ?? '';
  const openFile = (): OpenFile | undefined => (data.length >= 8 ? files.get(data.readBigUInt64LE(0)) : undefined);
  const u64At = (offset: number): number | undefined => (data.length >= offset + 8 ? Number(data.readBigUInt64LE(offset)) : undefined);
  switch (header.operation) {
    case AFC_OPERATION.GetFileInfo: {
      const node = fs.lookup(path());
      if (!node) return status(AFC_STATUS.ObjectNotFound);
      return encodeAfcData(packet, encodeAfcStrings(fileInfo(node)));
    }
    case AFC_OPERATION.ReadDirectory: {
      const names = fs.list(path());
      if (typeof names === 'number') return status(names);
      return encodeAfcData(packet, encodeAfcStrings(['.', '..', ...names]));
    }
    case AFC_OPERATION.GetDeviceInfo: {
      const { usedBytes, capacityBytes } = fs.usage();
      return encodeAfcData(packet, encodeAfcStrings(['Model', 'iPhone', 'FSTotalBytes', String(capacityBytes), 'FSFreeBytes', String(capacityBytes - usedBytes), 'FSBlockSize', '4096']));
    }
    case AFC_OPERATION.MakeDir:
      return status(fs.makeDirectory(path()));
    case AFC_OPERATION.RemovePath:
      return status(fs.remove(path(), false));
    case AFC_OPERATION.RemovePathAndContents:
      return status(fs.remove(path(), true));
    case AFC_OPERATION.RenamePath: {
      const [from, to] = decodeAfcStrings(data);
      if (!from || !to) return status(AFC_STATUS.InvalidArg);
      return status(fs.rename(from, to));
    }
    case AFC_OPERATION.FileRefOpen: {
      const mode = OPEN_MODES[u64At(0) ?? 0];
      if (!mode) return status(AFC_STATUS.InvalidArg);
      if (files.size >= MAX_OPEN_FILES) return status(AFC_STATUS.NoResources);
      const filePath = decodeAfcStrings(data, 8)[0] ?? '';
      let node = fs.lookup(filePath);
      if (!node) {
        if (!mode.create) return status(AFC_STATUS.ObjectNotFound);
        const created = fs.createFile(filePath);
        if (typeof created === 'number') return status(created);
        node = created;
      }
      if (node.kind === 'directory') return status(AFC_STATUS.ObjectIsDir);
      if (mode.truncate) fs.setSize(node, 0);
      const handleNumber = newHandle();
      files.set(handleNumber, { node, path: filePath, position: 0, read: mode.read, write: mode.write, append: mode.append });
      log.trace('file opened', { path: filePath, handle: Number(handleNumber) });
      return encodeAfcPacket({ packetNumber: packet, operation: AFC_OPERATION.FileRefOpenResult, headerData: encodeAfcU64(handleNumber), payload: Buffer.alloc(0) });
    }
    case AFC_OPERATION.FileRefClose: {
      const file = openFile();
      if (!file) return status(AFC_STATUS.InvalidArg);
      fs.releaseLocks(file);
      files.delete(data.readBigUInt64LE(0));
      return status(AFC_STATUS.Success);
    }
    case AFC_OPERATION.FileRefRead: {
      const file = openFile();
      const length = u64At(8);
      if (!file || length === undefined) return status(AFC_STATUS.InvalidArg);
      if (!file.read) return status(AFC_STATUS.PermissionDenied);
      const bytes = file.node.data.subarray(file.position, file.position + Math.min(length, MAX_READ_BYTES));
      file.position += bytes.length;
      return encodeAfcData(packet, Buffer.from(bytes));
    }
    case AFC_OPERATION.FileRefWrite: {
      const file = openFile();
      if (!file) return status(AFC_STATUS.InvalidArg);
      if (!file.write) return status(AFC_STATUS.PermissionDenied);
      // lid sends the bytes as payload; older hosts put them after the handle in the header data.
      const bytes = payload.length > 0 ? payload : data.subarray(8);
      const at = file.append ? file.node.data.length : file.position;
      const result = fs.write(file.node, at, bytes);
      if (result === AFC_STATUS.Success) file.position = at + bytes.length;
      return status(result);
    }
    case AFC_OPERATION.FileRefSeek: {
      const file = openFile();
      if (!file || data.length < 24) return status(AFC_STATUS.InvalidArg);
      const whence = Number(data.readBigUInt64LE(8));
      const offset = Number(data.readBigInt64LE(16));
      const base = whence === 0 ? 0 : whence === 1 ? file.position : whence === 2 ? file.node.data.length : NaN;
      const target = base + offset;
      if (!Number.isSafeInteger(target) || target < 0) return status(AFC_STATUS.InvalidArg);
      file.position = target;
      return status(AFC_STATUS.Success);
    }
    case AFC_OPERATION.FileRefTell: {
      const file = openFile();
      if (!file) return status(AFC_STATUS.InvalidArg);
      return encodeAfcPacket({ packetNumber: packet, operation: AFC_OPERATION.FileRefTellResult, headerData: encodeAfcU64(file.position), payload: Buffer.alloc(0) });
    }
    case AFC_OPERATION.FileRefSetFileSize: {
      const file = openFile();
      const size = u64At(8);
      if (!file || size === undefined) return status(AFC_STATUS.InvalidArg);
      if (!file.write) return status(AFC_STATUS.PermissionDenied);
      return status(fs.setSize(file.node, size));
    }
    case AFC_OPERATION.FileRefLock: {
      const file = openFile();
      const operation = u64At(8);
      if (!file || operation === undefined) return status(AFC_STATUS.InvalidArg);
      const exclusive = operation & LOCK_UNLOCK ? undefined : operation & LOCK_EXCLUSIVE ? true : operation & LOCK_SHARED ? false : null;
      if (exclusive === null) return status(AFC_STATUS.InvalidArg);
      const result = fs.lock(file.node, file, exclusive);
      log.debug(exclusive === undefined ? 'file unlocked' : 'file lock requested', { path: file.path, exclusive, status: result });
      return status(result);
    }
    default:
      log.debug('unsupported AFC operation', { operation: header.operation });
      return status(header.operation > AFC_LAST_KNOWN_OPERATION || header.operation === AFC_OPERATION.Status || header.operation === AFC_OPERATION.Data ? AFC_STATUS.UnknownPacketType : AFC_STATUS.OpNotSupported);
  }
}

/** The key/value pairs of a GetFileInfo answer. */
function fileInfo(node: MediaNode): string[] {
  const size = node.kind === 'file' ? node.data.length : 68 + 34 * node.children.size;
  return [
    'st_size', String(size),
    'st_blocks', String(Math.ceil(size / 512)),
    'st_nlink', String(node.kind === 'file' ? 1 : 2 + [...node.children.values()].filter((c) => c.kind === 'directory').length),
    'st_ifmt', node.kind === 'file' ? 'S_IFREG' : 'S_IFDIR',
    'st_mtime', String(node.modifiedNs),
    'st_birthtime', String(node.birthNs),
  ];
}
