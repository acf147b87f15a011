import { buildBinaryPlist, getArray, getDict, getString, isPlistDict, type PlistDict } from '../../plist';
import type { ServiceConnection } from '../../transport/serviceConnection';
import { SIMULATED_APPS, appBundlePath, appDataContainerPath, appExecutableName, appITunesMetadata, appSinf, type SimulatedApp } from '../installedApps';
import type { VirtualDevice } from '../virtualDevice';

/** Built-in apps a Browse with ApplicationType System or Any also lists. */
const SYSTEM_APPS: readonly { bundleId: string; name: string }[] = [
  { bundleId: 'com.apple.mobilesafari', name: 'Safari' },
  { bundleId: 'com.apple.Preferences', name: 'Settings' },
  { bundleId: 'com.apple.mobileslideshow', name: 'Photos' },
];

/** Apps per BrowsingApplications message, as devices page long lists. */
const BROWSE_PAGE_SIZE = 10;
/** Most bundle ids a Lookup or attributes a ReturnAttributes list may name. */
const MAX_LIST_ITEMS = 1024;

/** Every attribute the device knows about a user app. */
function userAppAttributes(app: SimulatedApp, device: VirtualDevice): PlistDict {
  return {
    ApplicationType: 'User',
    CFBundleIdentifier: app.bundleId,
    CFBundleDisplayName: app.displayName,
    CFBundleName: app.displayName,
    CFBundleVersion: app.version,
    CFBundleShortVersionString: app.shortVersion,
    CFBundleExecutable: appExecutableName(app),
    MinimumOSVersion: '15.0',
    Path: appBundlePath(app, device.udid),
    Container: appDataContainerPath(app, device.udid),
    SignerIdentity: 'Apple iPhone OS Application Signing',
    ApplicationSINF: appSinf(app),
    iTunesMetadata: buildBinaryPlist(appITunesMetadata(app)),
    IsAppClip: false,
    IsDemotedApp: false,
  };
}

function systemAppAttributes(app: { bundleId: string; name: string }): PlistDict {
  return {
    ApplicationType: 'System',
    CFBundleIdentifier: app.bundleId,
    CFBundleDisplayName: app.name,
    CFBundleName: app.name,
    CFBundleVersion: '8614.2.9.0.10',
    CFBundleShortVersionString: '16.1',
    Path: `/Applications/${app.name.replace(/\s+/g, '')}.app`,
  };
}

/** The apps a Browse with these client options lists, each reduced to ReturnAttributes when given. */
function browse(device: VirtualDevice, options: PlistDict | undefined): PlistDict[] {
  const type = (options && getString(options, 'ApplicationType')) ?? 'Any';
  const user = type === 'User' || type === 'Any' ? SIMULATED_APPS.map((app) => userAppAttributes(app, device)) : [];
  const system = type === 'System' || type === 'Any' ? SYSTEM_APPS.map(systemAppAttributes) : [];
  return [...user, ...system].map((attributes) => pickAttributes(attributes, options));
}

function pickAttributes(attributes: PlistDict, options: PlistDict | undefined): PlistDict {
  const wanted = options && getArray(options, 'ReturnAttributes');
  if (!wanted) return attributes;
  const out: PlistDict = {};
  for (const key of wanted.slice(0, MAX_LIST_ITEMS)) {
    if (typeof key === 'string' && Object.hasOwn(attributes, key)) out[key] = attributes[key];
  }
  return out;
}

/**
 * com.apple.mobile.installation_proxy, device side: Browse (paged BrowsingApplications messages,
 * then Complete) and Lookup. Installing or removing apps is refused: the simulated device's app
 * set is fixed.
 */
export async function serveInstallationProxy(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const log = device.logger.child('installd');
  for (;;) {
    const request = await connection.receivePlist(0);
    const command = isPlistDict(request) ? getString(request, 'Command') : undefined;
    const options = isPlistDict(request) ? getDict(request, 'ClientOptions') : undefined;
    log.debug('installation_proxy request', { command: command ?? '(none)' });
    switch (command) {
      case 'Browse': {
        const apps = browse(device, options);
        for (let index = 0; index < apps.length; index += BROWSE_PAGE_SIZE) {
          const page = apps.slice(index, index + BROWSE_PAGE_SIZE);
          connection.sendPlist({ CurrentAmount: page.length, CurrentIndex: index, CurrentList: page, Status: 'BrowsingApplications', Total: apps.length });
        }
        connection.sendPlist({ Status: 'Complete' });
        break;
      }
      case 'Lookup': {
        const wanted = options && getArray(options, 'BundleIDs');
        const result: PlistDict = {};
        for (const app of browse(device, { ...options, ApplicationType: 'Any' })) {
          const id = getString(app, 'CFBundleIdentifier') ?? '';
          if (!wanted || wanted.slice(0, MAX_LIST_ITEMS).includes(id)) result[id] = app;
        }
        connection.sendPlist({ LookupResult: result, Status: 'Complete' });
        break;
      }
      case 'Install':
      case 'Upgrade':
      case 'Uninstall':
      case 'Archive':
      case 'Restore':
      case 'RemoveArchive':
        connection.sendPlist({ Error: 'APIInternalError', ErrorDescription: `The simulated device has a fixed set of apps and cannot ${command.toLowerCase()} one.`, Status: 'Complete' });
        break;
      default:
        connection.sendPlist({ Error: 'UnknownCommand', ErrorDescription: `Unknown command ${command ?? '(none)'}.` });
    }
  }
}
