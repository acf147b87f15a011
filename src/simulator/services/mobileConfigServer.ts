import { getString, isPlistDict, type PlistDict } from '../../plist';
import type { ServiceConnection } from '../../transport/serviceConnection';
import { mdmEnrollmentFor } from '../mdmEnrollment';
import type { VirtualDevice } from '../virtualDevice';

/** The cloud configuration a device with this scenario entry reports. */
function cloudConfiguration(device: VirtualDevice): PlistDict {
  const s = device.spec;
  if (!s.supervised && s.mdm === 'none') return {};
  const config: PlistDict = {
    AllowPairing: true,
    CloudConfigurationUIComplete: true,
    IsSupervised: s.supervised,
    IsMandatory: s.mdm === 'enrolled',
    IsMDMUnremovable: s.mdm === 'enrolled',
    OrganizationName: s.organizationName,
    ConfigurationSource: s.mdm === 'enrolled' ? 1 : 2,
  };
  if (s.mdm === 'enrolled') config.ConfigurationURL = mdmEnrollmentFor(s.organizationName).configurationUrl;
  return config;
}

/** The installed profiles: an MDM profile when enrolled. */
function profileList(device: VirtualDevice): PlistDict {
  if (device.spec.mdm !== 'enrolled') return { OrderedIdentifiers: [], ProfileManifest: {}, ProfileMetadata: {}, Status: 'Acknowledged' };
  // The profile whose stub the device's backups carry (dataset/configurationProfileStore.ts).
  const id = mdmEnrollmentFor(device.spec.organizationName).profileIdentifier;
  return {
    OrderedIdentifiers: [id],
    ProfileManifest: { [id]: { Description: 'MDM Profile', IsActive: true } },
    ProfileMetadata: { [id]: { PayloadDisplayName: 'MDM Profile', PayloadOrganization: device.spec.organizationName, PayloadRemovalDisallowed: true, PayloadVersion: 1 } },
    Status: 'Acknowledged',
  };
}

/** com.apple.mobile.MCInstall, device side: answers GetCloudConfiguration and GetProfileList. */
export async function serveMobileConfig(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  for (;;) {
    const request = await connection.receivePlist(0);
    const type = isPlistDict(request) ? getString(request, 'RequestType') : undefined;
    if (type === 'GetCloudConfiguration') connection.sendPlist({ Status: 'Acknowledged', CloudConfiguration: cloudConfiguration(device) });
    else if (type === 'GetProfileList') connection.sendPlist(profileList(device));
    else if (type === 'Flush' || type === 'HelloHostIdentifier') connection.sendPlist({ Status: 'Acknowledged' });
    else connection.sendPlist({ Status: 'Error', ErrorChain: [{ ErrorCode: 1, ErrorDomain: 'MCInstallationErrorDomain', LocalizedDescription: `Unsupported request ${type ?? '?'}` }] });
  }
}
