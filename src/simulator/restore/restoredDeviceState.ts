import * as path from 'node:path';
import type { Logger } from '../../common/logger';
import type { PlistDict } from '../../plist';
import { SimulatedDataset } from '../dataset/simulatedDataset';
import { managedDeviceOf, type ManagedDevice } from '../deviceManagement';
import type { DatasetSpec, SimulatedDeviceSpec } from '../scenario';
import { generatedDatasetDigest, type ContentSummary } from './contentDigest';
import { RestoreRecordStore, type RestoreRecord, type ScenarioBase } from './restoreRecords';
import { StoredContent, type StoredEntry } from './storedContent';

/** The simulator-only lockdown domain that reports a device's content (`ideviceinfo -q com.apple.iosbr.simulator`). */
export const SIMULATOR_DOMAIN = 'com.apple.iosbr.simulator';

/** What the device holds now: its generated dataset, or the files a restore stored. */
export type CurrentEntries =
  | { kind: 'generated'; dataset: SimulatedDataset }
  | { kind: 'stored'; entries: readonly StoredEntry[]; folder: string };

const datasetKey = (d: DatasetSpec): string => `${d.files}/${d.totalBytes}/${d.seed}/${d.generation}`;
const generatedKey = (d: DatasetSpec, m: ManagedDevice): string => `${datasetKey(d)}/${m.supervised}/${m.mdm}/${m.organizationName}`;

function baseOf(spec: SimulatedDeviceSpec): ScenarioBase {
  return { name: spec.name, supervised: spec.supervised, mdm: spec.mdm, dataset: { ...spec.dataset } };
}

function sameBase(a: ScenarioBase, b: ScenarioBase): boolean {
  return a.name === b.name && a.supervised === b.supervised && a.mdm === b.mdm && datasetKey(a.dataset) === datasetKey(b.dataset);
}

/**
 * What restores changed on one simulated device, kept in `<stateDir>/devices/<udid>/restore/`: the
 * content the device holds (its generated dataset until a restore, then the restored files), the
 * facts a restore changed (name, supervision, MDM) layered over the scenario's, and a restore
 * staged without a restart (applied when the device next boots). Changing the device's name,
 * supervision, MDM or dataset in the scenario sets it up afresh: the restore is forgotten.
 */
export class RestoredDeviceState {
  /** The device's restore root (staging folders, records, content). */
  readonly root: string;
  /** One-shot restore faults that already fired on this device. */
  readonly firedFaults = new Set<string>();
  private readonly store: RestoreRecordStore;
  private current: RestoreRecord | undefined;
  private pending: RestoreRecord | undefined;
  private merged: { scenario: SimulatedDeviceSpec; current: RestoreRecord | undefined; spec: SimulatedDeviceSpec } | undefined;
  private stored: { record: RestoreRecord; content: StoredContent } | undefined;
  private readonly generatedSummaries = new Map<string, ContentSummary>();
  /** The scenario's values for the device (what a new restore record is made over). */
  private scenario: SimulatedDeviceSpec;

  constructor(
    stateDir: string,
    spec: SimulatedDeviceSpec,
    private readonly log: Logger,
  ) {
    this.root = path.join(stateDir, 'devices', spec.udid.replace(/[^0-9A-Za-z-]/g, '_'), 'restore');
    this.scenario = spec;
    this.store = new RestoreRecordStore(this.root, log);
    this.current = this.store.readCurrent();
    this.pending = this.store.readPending();
    this.scenarioChanged(spec);
    // A device that starts is a device that booted: a staged restore moves into place now.
    this.boot();
    this.store.removeStrayStaging(this.pending?.folder.split('/')[0]);
  }

  /** True while a restore waits for a restart (a second restore fails with 102). */
  get hasPendingRestore(): boolean {
    return this.pending !== undefined;
  }

  /** The device's facts: the scenario's, with what the current restore changed on top. */
  applyFacts(scenario: SimulatedDeviceSpec): SimulatedDeviceSpec {
    if (this.merged && this.merged.scenario === scenario && this.merged.current === this.current) return this.merged.spec;
    // A restored device boots into Setup Assistant (Remote Management, Apple ID), as a real one does.
    const spec = this.current ? { ...scenario, ...this.current.facts, setupDone: false } : scenario;
    this.merged = { scenario, current: this.current, spec };
    return spec;
  }

  /** The scenario changed the device: a restore made over other name/supervision/MDM/dataset values is forgotten. */
  scenarioChanged(scenario: SimulatedDeviceSpec): void {
    this.scenario = scenario;
    const base = baseOf(scenario);
    const stale = [this.current, this.pending].some((r) => r !== undefined && !sameBase(r.base, base));
    if (!stale) return;
    this.log.info('the scenario set the device up afresh; forgetting its restore');
    this.store.discardAll();
    this.current = undefined;
    this.pending = undefined;
    this.stored = undefined;
  }

  /** The scenario values a new restore is made over. */
  scenarioBase(): ScenarioBase {
    return baseOf(this.scenario);
  }

  /**
   * The generated dataset of this spec. Its profile store records the scenario's management state:
   * until a restore the device's facts are the scenario's.
   */
  private generated(dataset: DatasetSpec): SimulatedDataset {
    return SimulatedDataset.build(dataset, managedDeviceOf(this.scenario));
  }

  /** What the device holds now, for a restore that keeps part of it. */
  currentEntries(dataset: DatasetSpec): CurrentEntries {
    if (this.current) return { kind: 'stored', entries: this.current.entries, folder: this.store.absolute(this.current.folder) };
    return { kind: 'generated', dataset: this.generated(dataset) };
  }

  /** What a backup reads: the generated dataset, or the restored files (same shape). */
  currentContent(dataset: DatasetSpec): SimulatedDataset {
    const record = this.current;
    if (!record) return this.generated(dataset);
    if (this.stored?.record !== record || this.stored.content.spec !== dataset) {
      this.stored = { record, content: new StoredContent(dataset, record.entries, this.store.absolute(record.folder)) };
    }
    return this.stored.content;
  }

  /** Digest and counts of the content the device holds now (a generated dataset is hashed once and remembered). */
  summary(dataset: DatasetSpec): ContentSummary {
    if (this.current) return this.current.summary;
    const management = managedDeviceOf(this.scenario);
    const key = generatedKey(dataset, management);
    let summary = this.generatedSummaries.get(key);
    if (!summary) {
      summary = generatedDatasetDigest(SimulatedDataset.build(dataset, management));
      this.generatedSummaries.set(key, summary);
    }
    return summary;
  }

  /** Free bytes on the data partition: the scenario's figure, less what restores added beyond the generated dataset. */
  freeBytes(scenario: SimulatedDeviceSpec): number {
    const held = this.current ? this.current.summary.byteCount : scenario.dataset.totalBytes;
    const staged = this.pending ? this.pending.summary.byteCount : 0;
    return Math.max(0, scenario.freeSpaceBytes + scenario.dataset.totalBytes - held - staged);
  }

  /** Records a staged restore: it moves into place at the next boot. */
  stagePending(record: RestoreRecord): void {
    this.store.writePending(record);
    this.pending = record;
  }

  /** Boots the device: a staged restore moves into place. Returns the restore that was applied, if any. */
  boot(): RestoreRecord | undefined {
    const pending = this.pending;
    if (!pending) return undefined;
    let applied: RestoreRecord | undefined;
    try {
      applied = this.store.applyPending(pending);
      this.current = applied;
    } catch (err) {
      // A staged restore that cannot be moved into place is lost, as on a device whose staging folder broke.
      this.log.error('the staged restore could not be moved into place; it is discarded', { reason: (err as Error).message });
      this.store.discardPending(pending);
    }
    this.pending = undefined;
    this.stored = undefined;
    return applied;
  }

  /** The values of the simulator-only lockdown domain. */
  simulatorValues(scenario: SimulatedDeviceSpec): PlistDict {
    const summary = this.summary(scenario.dataset);
    const values: PlistDict = {
      DatasetDigest: summary.digest,
      DatasetFileCount: summary.fileCount,
      DatasetByteCount: summary.byteCount,
      ContentSource: this.current ? 'restored' : 'generated',
      RestorePendingReboot: this.pending !== undefined || scenario.faults.pendingRebootAfterRestore === true,
      PasscodeSet: scenario.passcode.set,
    };
    if (this.current) {
      values.RestoredFromUDID = this.current.restoredFrom;
      // An ISO string: libplist 2.2 (Debian's ideviceinfo) shifts plist dates by 31 years.
      values.LastRestoreDate = this.current.restoredAt;
    }
    return values;
  }
}
