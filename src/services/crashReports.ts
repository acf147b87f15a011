import type { ServiceProvider } from '../lockdown/serviceProvider';
import { CrashReportCopyMobileService } from './crashReportCopyMobile';
import { MAX_HEADER_BYTES, parseCrashReportHeader, type CrashReportHeader } from './crashReportHeader';
import { CrashReportMoverService } from './crashReportMover';

/** One crash report on the device. */
export interface CrashReportEntry {
  /** Path inside the crash report folder ("Retired/profiled-….ips"). */
  path: string;
  size: number;
  modified?: Date;
  /** The .ips JSON header, when the file has one. */
  header?: CrashReportHeader;
}

/** Folder depth and entry count walked at most; a device's crash folder is shallow and small. */
const MAX_DEPTH = 6;
const MAX_ENTRIES = 5000;

/**
 * The device's crash reports: opening runs com.apple.crashreportmover (so freshly written reports
 * are included) and then keeps a com.apple.crashreportcopymobile connection for listing and reading.
 * Reports are only read, never removed from the device.
 */
export class CrashReportFolder {
  private constructor(private readonly copy: CrashReportCopyMobileService) {}

  /** Moves the device's reports into the copy folder and connects to it. */
  static async open(provider: ServiceProvider): Promise<CrashReportFolder> {
    await new CrashReportMoverService(provider).moveReports();
    const copy = new CrashReportCopyMobileService(provider);
    await copy.connect();
    return new CrashReportFolder(copy);
  }

  /** Every report file (newest first), with its .ips header; symlinks and special files are skipped. */
  async list(): Promise<CrashReportEntry[]> {
    const found: CrashReportEntry[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      for (const name of await this.copy.listDirectory(folder === '' ? '.' : folder)) {
        if (found.length >= MAX_ENTRIES) return;
        const path = folder === '' ? name : `${folder}/${name}`;
        const info = await this.copy.getFileInfo(path);
        if (info.kind === 'directory') {
          if (depth < MAX_DEPTH) await walk(path, depth + 1);
        } else if (info.kind === 'file') {
          const start = await this.copy.readFile(path, { maxBytes: MAX_HEADER_BYTES, partial: true });
          const header = parseCrashReportHeader(start);
          found.push({ path, size: info.size, ...(info.modified ? { modified: info.modified } : {}), ...(header ? { header } : {}) });
        }
      }
    };
    await walk('', 0);
    return found.sort((a, b) => (b.modified?.getTime() ?? 0) - (a.modified?.getTime() ?? 0) || a.path.localeCompare(b.path));
  }

  /** The whole content of one report. */
  read(path: string): Promise<Buffer> {
    return this.copy.readFile(path);
  }

  /** Closes the connection. */
  close(): void {
    this.copy.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
