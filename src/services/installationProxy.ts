import { ProtocolError, ServiceStartError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import { getArray, getString, isPlistDict, type PlistDict } from '../plist';

/** Most applications accepted from one Browse (a device holds a few hundred at most). */
const MAX_BROWSED_APPLICATIONS = 20_000;

/** How long the device may take between Browse pages. */
const BROWSE_PAGE_TIMEOUT_MS = 60_000;

/** Options of a Browse request. */
export interface BrowseOptions {
  /** "User" (App Store apps), "System", or "Any". */
  applicationType?: 'User' | 'System' | 'Any';
  /** Only these Info.plist/installation attributes are returned (smaller replies). */
  returnAttributes?: readonly string[];
}

/** com.apple.mobile.installation_proxy: lists installed applications. */
export class InstallationProxyService {
  static readonly SERVICE_NAME = 'com.apple.mobile.installation_proxy';

  constructor(private readonly provider: ServiceProvider) {}

  /** Lists installed applications (one dictionary per app), reading every page of the answer. */
  async browse(options: BrowseOptions = {}): Promise<PlistDict[]> {
    const clientOptions: PlistDict = { ApplicationType: options.applicationType ?? 'User' };
    if (options.returnAttributes) clientOptions.ReturnAttributes = [...options.returnAttributes];
    const connection = await this.provider.startService(InstallationProxyService.SERVICE_NAME);
    try {
      connection.sendPlist({ Command: 'Browse', ClientOptions: clientOptions });
      const apps: PlistDict[] = [];
      for (;;) {
        const reply = await connection.receivePlist(BROWSE_PAGE_TIMEOUT_MS);
        if (!isPlistDict(reply)) throw new ProtocolError('installation_proxy answered Browse with something other than a dictionary.', InstallationProxyService.SERVICE_NAME);
        const error = getString(reply, 'Error');
        if (error !== undefined) {
          throw new ServiceStartError(`The device could not list its apps: ${error}${getString(reply, 'ErrorDescription') ? ` (${getString(reply, 'ErrorDescription')})` : ''}.`, InstallationProxyService.SERVICE_NAME);
        }
        for (const app of getArray(reply, 'CurrentList') ?? []) {
          if (isPlistDict(app)) apps.push(app);
        }
        if (apps.length > MAX_BROWSED_APPLICATIONS) {
          throw new ProtocolError(`installation_proxy listed more than ${MAX_BROWSED_APPLICATIONS} applications.`, InstallationProxyService.SERVICE_NAME);
        }
        if (getString(reply, 'Status') === 'Complete') return apps;
      }
    } finally {
      connection.close();
    }
  }

  /** Nothing stays open between calls; present for the service-class shape. */
  close(): void {
    // Each browse() opens and closes its own connection.
  }
}
