import { createHash } from 'node:crypto';

/** The MDM enrolment of a simulated device: the profile it installed and where its MDM server is. */
export interface MdmEnrollment {
  /** PayloadIdentifier of the enrolment profile. */
  profileIdentifier: string;
  /** PayloadUUID of the profile and of its com.apple.mdm payload. */
  profileUuid: string;
  mdmPayloadIdentifier: string;
  mdmPayloadUuid: string;
  /** The org's MDM: the cloud configuration's ConfigurationURL and the payload's ServerURL / CheckInURL. */
  configurationUrl: string;
  serverUrl: string;
  checkInUrl: string;
  /** The APNs topic the MDM pushes on ("com.apple.mgmt.External.<uuid>"). */
  topic: string;
}

/** A host-name label from the organisation's name ("Example Corp" → "examplecorp"). */
function organizationLabel(organizationName: string): string {
  const label = organizationName.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 40);
  return label === '' ? 'organization' : label;
}

/** A UUID (upper case, version-4 layout) derived from a name, so the same organisation always gets the same one. */
function uuidFrom(name: string): string {
  const b = createHash('sha256').update(`iosbr-simulated-mdm\0${name}`, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The enrolment an organisation's MDM gives a device. Everything is derived from the organisation's
 * name, so two devices of one organisation carry the same profile (as devices enrolled by one MDM
 * server do) and a backup's files stay the same from one backup to the next. The host names use the
 * reserved `.example` top-level domain.
 */
export function mdmEnrollmentFor(organizationName: string): MdmEnrollment {
  const label = organizationLabel(organizationName);
  const base = `https://mdm.${label}.example/mdm`;
  const profileIdentifier = `com.${label}.mdm.enrollment`;
  return {
    profileIdentifier,
    profileUuid: uuidFrom(`${profileIdentifier}\0profile`),
    mdmPayloadIdentifier: `${profileIdentifier}.mdm`,
    mdmPayloadUuid: uuidFrom(`${profileIdentifier}\0mdm`),
    configurationUrl: `${base}/enroll`,
    serverUrl: `${base}/server`,
    checkInUrl: `${base}/checkin`,
    topic: `com.apple.mgmt.External.${uuidFrom(`${profileIdentifier}\0topic`)}`,
  };
}
