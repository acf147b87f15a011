import { AFC_STATUS } from '../../services/afcStatus';
import { MediaFileSystem } from '../mediaFileSystem';
import type { VirtualDevice } from '../virtualDevice';
import { crashReportSamples, type CrashReportSample } from './crashReportSamples';

/**
 * A device's crash reports in two places, as on iOS: reports ReportCrash wrote and nobody has
 * collected yet, and the folder com.apple.crashreportcopymobile serves, into which
 * com.apple.crashreportmover moves them. The served folder is an AFC tree of its own, so hosts can
 * list, read and (like idevicecrashreport without -k) remove reports.
 */
export class CrashReportStore {
  /** What crashreportcopymobile serves (the reports already moved). */
  readonly copyArea = emptyFileSystem();
  private pending: CrashReportSample[];

  constructor(samples: CrashReportSample[]) {
    this.pending = [...samples];
  }

  /** Adds a report that the next mover run will collect (e.g. a simulated crash during a scenario). */
  add(sample: CrashReportSample): void {
    this.pending.push(sample);
  }

  /** Moves the waiting reports into the served folder; returns how many moved. */
  moveAll(): number {
    const moving = this.pending;
    this.pending = [];
    let moved = 0;
    for (const report of moving) {
      const slash = report.path.lastIndexOf('/');
      if (slash > 0 && this.copyArea.makeDirectory(report.path.slice(0, slash)) !== AFC_STATUS.Success) continue;
      const file = this.copyArea.createFile(report.path);
      if (typeof file === 'number') continue;
      if (this.copyArea.write(file, 0, Buffer.from(report.content, 'utf8')) !== AFC_STATUS.Success) continue;
      // AFC reports times in nanoseconds; the crash time is what hosts sort by.
      file.modifiedNs = file.birthNs = BigInt(report.time.getTime()) * 1_000_000n;
      moved++;
    }
    return moved;
  }
}

/** A file tree with none of the media partition's standard folders. */
function emptyFileSystem(): MediaFileSystem {
  const tree = new MediaFileSystem();
  const names = tree.list('/');
  if (typeof names !== 'number') for (const name of names) tree.remove(name, true);
  return tree;
}

const stores = new WeakMap<VirtualDevice, CrashReportStore>();

/** The crash report store of a device, created with its sample reports on first use. */
export function crashReportStoreOf(device: VirtualDevice): CrashReportStore {
  let store = stores.get(device);
  if (!store) {
    store = new CrashReportStore(crashReportSamples(device.spec, Date.now()));
    stores.set(device, store);
  }
  return store;
}
