/** What the product knows about one attached device. Unknown values are undefined, never guessed. */
export interface DeviceFacts {
  udid: string;
  connectionType: 'USB' | 'Network';
  name?: string;
  deviceClass?: string;
  productType?: string;
  marketingName?: string;
  iosVersion?: string;
  buildVersion?: string;
  serialNumber?: string;
  /** True when this host holds a pair record the device accepts. */
  paired: boolean;
  /** Why the facts are partial (not paired, locked, a service refused). */
  limitation?: string;
  supervised?: boolean;
  /** MDM enrolment: 'enrolled' when an MDM server is configured, 'none' when not. */
  mdm?: 'enrolled' | 'none';
  organizationName?: string;
  /** Backups will be encrypted (a backup password is set): com.apple.mobile.backup WillEncrypt. */
  backupEncryption?: boolean;
  findMy?: boolean;
  passcodeLocked?: boolean;
  /**
   * Setup Assistant is finished (lockdown com.apple.purplebuddy SetupDone); false for a device still on the
   * setup screens, the only kind the bench's automation may restore to unasked. Undefined when not told.
   */
  setupDone?: boolean;
}
