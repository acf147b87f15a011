/** A simulated device's management state: supervision and MDM enrolment. */
export interface Management {
  supervised: boolean;
  mdm: 'enrolled' | 'none';
}

/** The management state with the organisation that manages the device (what its configuration-profile store records). */
export interface ManagedDevice extends Management {
  /** Written into the store only when the device is supervised or enrolled. */
  organizationName: string;
}

/** A device nobody manages: what a scenario device is unless it says otherwise. */
export const UNMANAGED_DEVICE: ManagedDevice = { supervised: false, mdm: 'none', organizationName: '' };

/** The management part of a device's facts. */
export function managedDeviceOf(spec: ManagedDevice): ManagedDevice {
  return { supervised: spec.supervised, mdm: spec.mdm, organizationName: spec.organizationName };
}
