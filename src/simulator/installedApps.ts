import { createHash } from 'node:crypto';
import type { PlistDict } from '../plist';

/** One user app installed on every simulated device. */
export interface SimulatedApp {
  bundleId: string;
  displayName: string;
  /** CFBundleVersion. */
  version: string;
  /** CFBundleShortVersionString. */
  shortVersion: string;
  /** App Store item id (iTunesMetadata itemId). */
  itemId: number;
  /** The app group whose AppDomainGroup-… domain the app shares, if any. */
  appGroup?: string;
}

/** The user apps of a simulated device; their AppDomain-… domains are part of the dataset. */
export const SIMULATED_APPS: readonly SimulatedApp[] = [
  { bundleId: 'com.example.notes', displayName: 'Example Notes', version: '412', shortVersion: '4.1.2', itemId: 1_100_000_001, appGroup: 'group.com.example.shared' },
  { bundleId: 'com.example.chat', displayName: 'Example Chat', version: '2301', shortVersion: '23.0.1', itemId: 1_100_000_002, appGroup: 'group.com.example.shared' },
  { bundleId: 'com.example.maps', displayName: 'Example Maps', version: '77', shortVersion: '7.7', itemId: 1_100_000_003 },
  { bundleId: 'com.example.fitness', displayName: 'Example Fitness', version: '1030', shortVersion: '10.3', itemId: 1_100_000_004 },
];

/** The backup domain of an app's container. */
export function appDomain(app: SimulatedApp): string {
  return `AppDomain-${app.bundleId}`;
}

/** The app's iTunesMetadata: a binary plist as the App Store writes it (hosts keep it opaque). */
export function appITunesMetadata(app: SimulatedApp): PlistDict {
  return {
    itemId: app.itemId,
    itemName: app.displayName,
    softwareVersionBundleId: app.bundleId,
    bundleShortVersionString: app.shortVersion,
    bundleVersion: app.version,
    artistName: 'Example Corp',
    kind: 'software',
  };
}

/** The app's ApplicationSINF: opaque DRM bytes, stable per app so repeated backups match. */
export function appSinf(app: SimulatedApp): Buffer {
  const body = createHash('sha256').update(`sinf:${app.bundleId}`, 'utf8').digest();
  // Real SINF blobs are atom-structured ("sinf" box); the content is meaningless to hosts.
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write('sinf', 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** The app's executable (and .app folder) name. */
export function appExecutableName(app: SimulatedApp): string {
  return app.displayName.replace(/\s+/g, '');
}

/** A stable container UUID per app and device (real ones are random at install time). */
function containerUuid(app: SimulatedApp, udid: string, kind: 'bundle' | 'data'): string {
  const s = createHash('sha256').update(`${kind}:${udid}:${app.bundleId}`, 'utf8').digest('hex').toUpperCase();
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Where the app bundle lives on the device. */
export function appBundlePath(app: SimulatedApp, udid: string): string {
  return `/private/var/containers/Bundle/Application/${containerUuid(app, udid, 'bundle')}/${appExecutableName(app)}.app`;
}

/** The app's data container on the device. */
export function appDataContainerPath(app: SimulatedApp, udid: string): string {
  return `/private/var/mobile/Containers/Data/Application/${containerUuid(app, udid, 'data')}`;
}
