/** Which part of a device's files an item belongs to, as the Restore options divide them. */
export type ItemClass = 'user' | 'system' | 'settings';

/** The Restore options that decide what comes from the backup. */
export interface RestoreScopeOptions {
  /** RestoreSystemFiles: also the system domains (keychain, network, wireless, system containers). */
  restoreSystemFiles: boolean;
  /** RestorePreserveSettings: the device keeps its own settings (preferences, device name). */
  preserveSettings: boolean;
}

/** Domains that hold the system's files rather than the user's and apps' data. */
const SYSTEM_DOMAINS = new Set([
  'RootDomain',
  'WirelessDomain',
  'SystemPreferencesDomain',
  'KeychainDomain',
  'ManagedPreferencesDomain',
  'DatabaseDomain',
  'MobileDeviceDomain',
]);
const SYSTEM_DOMAIN_PREFIXES = ['SysContainerDomain-', 'SysSharedContainerDomain-'];

/** Domains whose preference files are the device's settings (app domains' preferences are app data). */
const SETTINGS_PREFERENCE_DOMAINS = new Set(['HomeDomain', 'RootDomain', 'WirelessDomain']);
/** Domains that are settings through and through. */
const SETTINGS_DOMAINS = new Set(['SystemPreferencesDomain', 'ManagedPreferencesDomain']);
const PREFERENCES_FOLDER = 'Library/Preferences';

/** Classifies an item by its domain and path: settings first, then system, else the user's data. */
export function itemClass(domain: string, relativePath: string): ItemClass {
  if (SETTINGS_DOMAINS.has(domain)) return 'settings';
  if (SETTINGS_PREFERENCE_DOMAINS.has(domain) && (relativePath === PREFERENCES_FOLDER || relativePath.startsWith(`${PREFERENCES_FOLDER}/`))) {
    return 'settings';
  }
  if (SYSTEM_DOMAINS.has(domain) || SYSTEM_DOMAIN_PREFIXES.some((prefix) => domain.startsWith(prefix))) return 'system';
  return 'user';
}

/** True when the item comes from the backup; false when the device keeps its own (or drops it, with RemoveItemsNotRestored). */
export function isRestored(domain: string, relativePath: string, options: RestoreScopeOptions): boolean {
  switch (itemClass(domain, relativePath)) {
    case 'settings':
      return !options.preserveSettings;
    case 'system':
      return options.restoreSystemFiles;
    case 'user':
      return true;
  }
}
