import { ProtocolError } from '../common/errors';
import { getDict, getString, isPlistDict, type PlistDict } from '../plist';
import type { ServiceProvider } from '../lockdown/serviceProvider';

/** com.apple.mobile.MCInstall: configuration profiles and the cloud (ADE) configuration. */
export class MobileConfigService {
  static readonly SERVICE_NAME = 'com.apple.mobile.MCInstall';

  constructor(private readonly provider: ServiceProvider) {}

  /** The device's cloud configuration (supervision, ADE enrolment details); empty when none. */
  async getCloudConfiguration(): Promise<PlistDict> {
    const reply = await this.request({ RequestType: 'GetCloudConfiguration' });
    return getDict(reply, 'CloudConfiguration') ?? {};
  }

  /** The installed profiles: ordered identifiers with their metadata. */
  async getProfileList(): Promise<PlistDict> {
    return this.request({ RequestType: 'GetProfileList' });
  }

  private async request(message: PlistDict & { RequestType: string }): Promise<PlistDict> {
    const connection = await this.provider.startService(MobileConfigService.SERVICE_NAME);
    try {
      connection.sendPlist(message);
      const reply = await connection.receivePlist();
      if (!isPlistDict(reply)) throw new ProtocolError('MCInstall answered with something other than a dictionary.', MobileConfigService.SERVICE_NAME);
      if (getString(reply, 'Status') !== 'Acknowledged') {
        throw new ProtocolError(`MCInstall refused ${message.RequestType}.`, MobileConfigService.SERVICE_NAME);
      }
      return reply;
    } finally {
      connection.close();
    }
  }
}
