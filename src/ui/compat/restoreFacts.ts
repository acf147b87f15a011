import type { FactKey } from '../../compat/facts';
import { unknown, type FactSlot, type UnknownReason } from '../../compat/factProvenance';
import { resolveFacts, type ResolvedFacts } from '../../compat/resolveFacts';
import { sourceSlotsFromDevice, targetSlotsFromDevice } from '../../compat/deviceFactSlots';
import type { AttachedDevice } from './attachedDevice';
import type { BackupSnapshot } from './backupSnapshot';
import { sameUdid, type CompatSelection } from './compatSelection';

export type { FactOrigin, UnknownReason } from '../../compat/factProvenance';
export type { ResolvedFacts } from '../../compat/resolveFacts';

type Slots = Partial<Record<FactKey, FactSlot>>;

const SOURCE_FACTS = ['source.udid', 'source.iosVersion', 'source.supervisedAtBackup', 'source.mdmEnrolledAtBackup'] as const;
const TARGET_FACTS = ['target.udid', 'target.iosVersion', 'target.supervised', 'target.adeRestoreFromBackupAllowed'] as const;

/**
 * The panel's facts: the live devices and the chosen backup (read by the same reader as the restore checks),
 * resolved with the engineer's answers by the same resolution (resolveFacts). A device or backup fact always
 * wins; an answer only fills a fact they do not give, so nothing read is ever overridden.
 */
export function resolveRestoreFacts(selection: CompatSelection, devices: readonly AttachedDevice[], backup: BackupSnapshot | undefined): ResolvedFacts {
  return resolveFacts({ ...sourceSlots(selection, devices, backup), ...targetSlots(selection, devices) }, selection.answers);
}

function sourceSlots(selection: CompatSelection, devices: readonly AttachedDevice[], backup: BackupSnapshot | undefined): Slots {
  const source = selection.source;
  if (source === null) return every(SOURCE_FACTS, { code: 'no-source' });
  if (source.kind === 'device') {
    // Backing up an attached device now: its current state is its state "at backup time".
    const slots = deviceSlots(source.udid, devices, SOURCE_FACTS, sourceSlotsFromDevice);
    // The chosen UDID is known even while the device is away.
    return { ...slots, 'source.udid': { value: source.udid, origin: { kind: 'device' } } };
  }
  if (backup === undefined || backup.dir !== source.dir) return every(SOURCE_FACTS, { code: 'backup-reading' });
  if (backup.source === undefined) return every(SOURCE_FACTS, { code: 'backup-unreadable', detail: backup.unreadable ?? '' });
  return backup.source;
}

function targetSlots(selection: CompatSelection, devices: readonly AttachedDevice[]): Slots {
  const udid = selection.targetUdid;
  // The ADE setting lives on the MDM management site: no device or backup can tell it, only the engineer.
  if (udid === null) return { ...every(TARGET_FACTS.slice(0, 3), { code: 'no-target' }), 'target.adeRestoreFromBackupAllowed': unknown({ code: 'management-site' }) };
  const slots = deviceSlots(udid, devices, TARGET_FACTS.slice(0, 3), targetSlotsFromDevice);
  return { ...slots, 'target.udid': { value: udid, origin: { kind: 'device' } }, 'target.adeRestoreFromBackupAllowed': unknown({ code: 'management-site' }) };
}

/** One attached device's slots, or for each fact why the device cannot tell it yet (detached, still reading, unreadable). */
function deviceSlots(udid: string, devices: readonly AttachedDevice[], facts: readonly FactKey[], fromFacts: typeof targetSlotsFromDevice): Slots {
  const device = devices.find((d) => sameUdid(d.udid, udid));
  if (device === undefined) return every(facts, { code: 'device-detached' });
  if (device.readError !== undefined) return every(facts, { code: 'device-unreadable', detail: device.readError });
  if (device.facts === undefined) return every(facts, { code: 'device-reading' });
  return fromFacts(device.facts);
}

function every(facts: readonly FactKey[], reason: UnknownReason): Slots {
  return Object.fromEntries(facts.map((fact) => [fact, unknown(reason)]));
}
