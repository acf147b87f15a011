import type { Management } from '../deviceManagement';

/** The device's management state after a restore, and whether the MDM vendor's document supports the combination. */
export interface ManagementOutcome {
  after: Management;
  supported: boolean;
  /** One sentence for the device log. */
  note: string;
}

/**
 * Supervision and MDM after a restore, following the tables of the MDM vendor's document (KDDI's verified results):
 * on the same device the backup's state comes back (a supervised backup makes an unsupervised
 * device supervised; a backup without MDM leaves it unenrolled); an unsupervised backup onto the
 * same device now supervised is not supported, and the device keeps its own state. On a different
 * device the target keeps its supervision; an unsupervised target loses MDM (kitting needed), a
 * supervised one keeps its enrolment (the agent must re-authenticate).
 */
export function managementAfterRestore(target: Management, source: Management, sameDevice: boolean): ManagementOutcome {
  if (sameDevice) {
    if (target.supervised && !source.supervised) {
      return {
        after: target,
        supported: false,
        note: 'the backup was made while this device was unsupervised; restoring it onto the same device now supervised is not supported, so the supervised configuration stays',
      };
    }
    const after: Management = { supervised: source.supervised || target.supervised, mdm: source.mdm };
    const becameSupervised = after.supervised && !target.supervised;
    return {
      after,
      supported: true,
      note: `the backup's management state returns${becameSupervised ? ': the device becomes supervised' : ''} (MDM ${after.mdm === 'enrolled' ? 'enrolled' : 'not enrolled'})`,
    };
  }
  if (target.supervised) {
    return { after: target, supported: true, note: 'a backup of another device onto a supervised device: supervision and MDM enrolment stay; the MDM agent must re-authenticate' };
  }
  return { after: { supervised: false, mdm: 'none' }, supported: true, note: 'a backup of another device onto an unsupervised device: MDM is not enrolled afterwards (kitting needed)' };
}
