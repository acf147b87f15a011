import { FACT_KEYS, type FactKey, type SourceFacts, type TargetFacts } from '../../compat/facts';
import { isIosVersion } from '../../compat/iosVersion';
import type { DeviceFacts } from '../../device/deviceFacts';
import type { AttachedDevice } from './attachedDevice';
import type { BackupSnapshot } from './backupSnapshot';
import { sameUdid, type CompatSelection } from './compatSelection';

/** Where a known fact came from, so the panel can say "read from the device" or "answered by you". */
export type FactOrigin = 'device' | 'backup' | 'answer';

/** Why a fact is unknown, as a code (with the underlying message where there is one) that the host localizes. */
export type UnknownReason =
  | { code: 'no-source' }
  | { code: 'no-target' }
  | { code: 'device-detached' }
  | { code: 'device-reading' }
  | { code: 'device-unreadable'; detail: string }
  | { code: 'device-limited'; detail: string }
  | { code: 'device-not-reported' }
  | { code: 'backup-reading' }
  | { code: 'backup-unreadable'; detail: string }
  | { code: 'backup-not-ours' }
  | { code: 'backup-sidecar-unreadable'; detail: string }
  | { code: 'backup-not-recorded' }
  | { code: 'management-site' }
  | { code: 'malformed-version'; detail: string };

/** The facts handed to the evaluator, and for each fact where it came from or why it is missing. */
export interface ResolvedFacts {
  source: SourceFacts;
  target: TargetFacts;
  origins: Partial<Record<FactKey, FactOrigin>>;
  unknown: Partial<Record<FactKey, UnknownReason>>;
}

type FactValue = string | boolean;
type Slot = { value: FactValue; origin: FactOrigin } | { reason: UnknownReason };

const SOURCE_FACTS = ['source.udid', 'source.iosVersion', 'source.supervisedAtBackup', 'source.mdmEnrolledAtBackup'] as const;
const TARGET_FACTS = ['target.udid', 'target.iosVersion', 'target.supervised', 'target.adeRestoreFromBackupAllowed'] as const;

/**
 * Combines the live devices, the chosen backup and the engineer's answers into evaluator facts. A device or
 * backup fact always wins; an answer only fills a fact they do not give, so nothing read is ever overridden.
 */
export function resolveRestoreFacts(selection: CompatSelection, devices: readonly AttachedDevice[], backup: BackupSnapshot | undefined): ResolvedFacts {
  const slots = new Map<FactKey, Slot>([...sourceSlots(selection, devices, backup), ...targetSlots(selection, devices)]);
  const origins: ResolvedFacts['origins'] = {};
  const unknown: ResolvedFacts['unknown'] = {};
  const values: Partial<Record<FactKey, FactValue>> = {};
  for (const fact of FACT_KEYS) {
    let slot = slots.get(fact) ?? { reason: { code: 'device-not-reported' } };
    if ('value' in slot && (fact === 'source.iosVersion' || fact === 'target.iosVersion') && !isIosVersion(String(slot.value))) {
      slot = { reason: { code: 'malformed-version', detail: String(slot.value) } };
    }
    const answer = selection.answers[fact];
    if ('reason' in slot && answer !== undefined) slot = { value: answer, origin: 'answer' };
    if ('value' in slot) {
      values[fact] = slot.value;
      origins[fact] = slot.origin;
    } else {
      unknown[fact] = slot.reason;
    }
  }
  return {
    source: {
      udid: text(values['source.udid']),
      iosVersion: text(values['source.iosVersion']),
      supervisedAtBackup: flag(values['source.supervisedAtBackup']),
      mdmEnrolledAtBackup: flag(values['source.mdmEnrolledAtBackup']),
    },
    target: {
      udid: text(values['target.udid']),
      iosVersion: text(values['target.iosVersion']),
      supervised: flag(values['target.supervised']),
      adeRestoreFromBackupAllowed: flag(values['target.adeRestoreFromBackupAllowed']),
    },
    origins,
    unknown,
  };
}

function sourceSlots(selection: CompatSelection, devices: readonly AttachedDevice[], backup: BackupSnapshot | undefined): [FactKey, Slot][] {
  const source = selection.source;
  if (source === null) return SOURCE_FACTS.map((fact) => [fact, { reason: { code: 'no-source' } }]);
  if (source.kind === 'device') {
    // Backing up an attached device now: its current state is its state "at backup time".
    const device = deviceSlots(source.udid, devices);
    return [
      ['source.udid', { value: source.udid, origin: 'device' }],
      ['source.iosVersion', device((f) => f.iosVersion)],
      ['source.supervisedAtBackup', device((f) => f.supervised)],
      ['source.mdmEnrolledAtBackup', device((f) => (f.mdm === undefined ? undefined : f.mdm === 'enrolled'))],
    ];
  }
  if (backup === undefined || backup.dir !== source.dir) {
    return SOURCE_FACTS.map((fact) => [fact, { reason: { code: 'backup-reading' } }]);
  }
  if (backup.unreadable !== undefined) {
    const detail = backup.unreadable;
    return SOURCE_FACTS.map((fact) => [fact, { reason: { code: 'backup-unreadable', detail } }]);
  }
  const fromPlists = (value: string | undefined): Slot => (value === undefined ? { reason: { code: 'backup-not-recorded' } } : { value, origin: 'backup' });
  const sidecar = backup.sidecar;
  const atBackup = (pick: (f: { supervised?: boolean; mdm?: 'enrolled' | 'none' }) => boolean | undefined): Slot => {
    if (sidecar.status === 'absent') return { reason: { code: 'backup-not-ours' } };
    if (sidecar.status === 'unreadable') return { reason: { code: 'backup-sidecar-unreadable', detail: sidecar.reason } };
    const value = pick(sidecar.facts);
    return value === undefined ? { reason: { code: 'backup-not-recorded' } } : { value, origin: 'backup' };
  };
  return [
    ['source.udid', fromPlists(backup.udid)],
    ['source.iosVersion', fromPlists(backup.iosVersion)],
    ['source.supervisedAtBackup', atBackup((f) => f.supervised)],
    ['source.mdmEnrolledAtBackup', atBackup((f) => (f.mdm === undefined ? undefined : f.mdm === 'enrolled'))],
  ];
}

function targetSlots(selection: CompatSelection, devices: readonly AttachedDevice[]): [FactKey, Slot][] {
  // The ADE setting lives on the MDM management site: no device or backup can tell it, only the engineer.
  const ade: [FactKey, Slot] = ['target.adeRestoreFromBackupAllowed', { reason: { code: 'management-site' } }];
  const udid = selection.targetUdid;
  if (udid === null) return [...TARGET_FACTS.slice(0, 3).map((fact): [FactKey, Slot] => [fact, { reason: { code: 'no-target' } }]), ade];
  const device = deviceSlots(udid, devices);
  return [
    ['target.udid', { value: udid, origin: 'device' }],
    ['target.iosVersion', device((f) => f.iosVersion)],
    ['target.supervised', device((f) => f.supervised)],
    ade,
  ];
}

/** A reader of one attached device's facts that explains every gap (detached, still reading, unpaired, ...). */
function deviceSlots(udid: string, devices: readonly AttachedDevice[]): (pick: (f: DeviceFacts) => FactValue | undefined) => Slot {
  const device = devices.find((d) => sameUdid(d.udid, udid));
  return (pick) => {
    if (device === undefined) return { reason: { code: 'device-detached' } };
    if (device.readError !== undefined) return { reason: { code: 'device-unreadable', detail: device.readError } };
    if (device.facts === undefined) return { reason: { code: 'device-reading' } };
    const value = pick(device.facts);
    if (value !== undefined) return { value, origin: 'device' };
    const limitation = device.facts.limitation;
    return { reason: limitation === undefined ? { code: 'device-not-reported' } : { code: 'device-limited', detail: limitation } };
  };
}

const text = (value: FactValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const flag = (value: FactValue | undefined): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
