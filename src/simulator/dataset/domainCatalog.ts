import { SIMULATED_APPS, appDomain } from '../installedApps';

/** How ordinary files of one backup domain are laid out. */
export interface DomainProfile {
  domain: string;
  /** Relative share of the ordinary files that land in this domain. */
  weight: number;
  /** Folders (relative to the domain root) the files are spread over. */
  folders: readonly string[];
  /** File name shapes: `${prefix}${number}${extension}`. */
  names: readonly { prefix: string; extension: string }[];
  /** Data-protection class of the domain's files (3 = until first unlock, the common case). */
  protectionClass: number;
}

/** A file every realistic backup has, placed before the ordinary ones. */
export interface AnchorFile {
  domain: string;
  relativePath: string;
  protectionClass: number;
}

/** Where the few large files go: videos in the camera roll. */
export const LARGE_FILE_DOMAIN = 'CameraRollDomain';
/** Folder of the large files inside LARGE_FILE_DOMAIN. */
export const LARGE_FILE_FOLDER = 'Media/DCIM/100APPLE';

/** Files present in every backup of a real iPhone, in the order the dataset uses them. */
export const ANCHOR_FILES: readonly AnchorFile[] = [
  { domain: 'KeychainDomain', relativePath: 'keychain-backup.plist', protectionClass: 4 },
  { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', protectionClass: 3 },
  { domain: 'HomeDomain', relativePath: 'Library/AddressBook/AddressBook.sqlitedb', protectionClass: 3 },
  { domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.springboard.plist', protectionClass: 3 },
  { domain: 'HomeDomain', relativePath: 'Library/Calendar/Calendar.sqlitedb', protectionClass: 3 },
  { domain: 'WirelessDomain', relativePath: 'Library/Preferences/com.apple.commcenter.plist', protectionClass: 3 },
  { domain: 'SystemPreferencesDomain', relativePath: 'SystemConfiguration/preferences.plist', protectionClass: 3 },
  { domain: 'RootDomain', relativePath: 'Library/Preferences/com.apple.preferences.network.plist', protectionClass: 3 },
  ...SIMULATED_APPS.map((app) => ({ domain: appDomain(app), relativePath: `Library/Preferences/${app.bundleId}.plist`, protectionClass: 3 })),
];

const APP_PROFILES: DomainProfile[] = SIMULATED_APPS.map((app) => ({
  domain: appDomain(app),
  weight: 6,
  folders: ['Documents', 'Documents/Attachments', 'Library/Application Support', 'Library/Preferences'],
  names: [{ prefix: 'record-', extension: '.json' }, { prefix: 'attachment-', extension: '.dat' }, { prefix: 'store-', extension: '.sqlite' }],
  protectionClass: 3,
}));

/** The domains ordinary files are spread over, with their layout. */
export const DOMAIN_PROFILES: readonly DomainProfile[] = [
  {
    domain: 'HomeDomain',
    weight: 30,
    folders: ['Library/Preferences', 'Library/SMS/Attachments/0a', 'Library/SMS/Attachments/3f', 'Library/Notes', 'Library/Safari', 'Library/Mail', 'Library/Voicemail'],
    names: [{ prefix: 'com.apple.setting-', extension: '.plist' }, { prefix: 'IMG_', extension: '.jpeg' }, { prefix: 'message-', extension: '.emlx' }, { prefix: 'voicemail-', extension: '.amr' }],
    protectionClass: 3,
  },
  {
    domain: 'MediaDomain',
    weight: 14,
    folders: ['Media/Recordings', 'Media/Books/Purchases', 'Media/Purchases', 'Library/SMS/Attachments/7c/12'],
    names: [{ prefix: 'Recording-', extension: '.m4a' }, { prefix: 'Book-', extension: '.epub' }, { prefix: 'Attachment-', extension: '.heic' }],
    protectionClass: 3,
  },
  {
    domain: 'CameraRollDomain',
    weight: 20,
    folders: ['Media/DCIM/100APPLE', 'Media/DCIM/101APPLE', 'Media/PhotoData/Thumbnails/V2'],
    names: [{ prefix: 'IMG_', extension: '.HEIC' }, { prefix: 'IMG_', extension: '.JPG' }, { prefix: 'IMG_E', extension: '.HEIC' }],
    protectionClass: 3,
  },
  ...APP_PROFILES,
  {
    domain: 'AppDomainGroup-group.com.example.shared',
    weight: 3,
    folders: ['Library/Preferences', 'Shared/Database'],
    names: [{ prefix: 'shared-', extension: '.plist' }],
    protectionClass: 3,
  },
  {
    domain: 'RootDomain',
    weight: 3,
    folders: ['Library/Preferences', 'Library/Caches/locationd'],
    names: [{ prefix: 'com.apple.root-', extension: '.plist' }],
    protectionClass: 4,
  },
  {
    domain: 'WirelessDomain',
    weight: 2,
    folders: ['Library/Preferences', 'Library/Databases'],
    names: [{ prefix: 'cellular-', extension: '.db' }],
    protectionClass: 3,
  },
  {
    domain: 'SystemPreferencesDomain',
    weight: 1,
    folders: ['SystemConfiguration'],
    names: [{ prefix: 'network-', extension: '.plist' }],
    protectionClass: 3,
  },
];
