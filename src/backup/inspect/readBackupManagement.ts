import type { BackupEntry, BackupReader } from '../format/backupReader';
import type { BackupManagement, ManagementSource } from './backupManagement';
import { describeCloudConfiguration, interpretCloudConfiguration } from './cloudConfigurationDetails';
import {
  CLOUD_CONFIGURATION_PATH,
  CONFIGURATION_PROFILES_DOMAIN,
  listProfileStore,
  MAX_PROFILE_STUBS,
  MAX_STORE_ROWS,
  PROFILE_STORE_FOLDER,
  readStorePlist,
  throwIfAborted,
  type ProfileStoreListing,
} from './configurationProfileStore';
import { describeProfileHistory, interpretProfileEvents } from './profileEvents';
import { MDM_PAYLOAD_TYPE, interpretProfileStub, profileName, type ProfileStub } from './profileStub';

/** Options of {@link readBackupManagement}. */
export interface ReadBackupManagementOptions {
  /** Stops the reading with a CancelledError. */
  signal?: AbortSignal;
}

/**
 * Reads supervision, MDM enrolment and the organisation at backup time from the backup's own
 * configuration-profile store (see docs/backup-management-state.md for the files and the rules). The
 * reader is opened by the caller, plain or with a decrypting source, so encrypted backups are read the
 * same way. Every fact names the file it came from; what the backup does not show stays null.
 */
export async function readBackupManagement(reader: BackupReader, options: ReadBackupManagementOptions = {}): Promise<BackupManagement> {
  const { signal } = options;
  const listing = await listProfileStore(reader, signal);
  if (listing.rowCount === 0) {
    return unknownManagement(
      'The backup does not hold the configuration-profile store (Manifest.db lists no item of its domain), so whether the device was supervised or enrolled in MDM is unknown.',
    );
  }
  const supervision = await readSupervision(reader, listing, signal);
  const enrolment = await readEnrolment(reader, listing, signal);

  let organizationName: string | null = null;
  if (supervision.organizationName !== undefined) {
    organizationName = supervision.organizationName;
    supervision.source.facts.push('organizationName');
  } else if (enrolment.mdmProfile?.stub.organization !== undefined) {
    organizationName = enrolment.mdmProfile.stub.organization;
    enrolment.mdmProfile.source.facts.push('organizationName');
  }

  const sources: ManagementSource[] = [supervision.source, ...enrolment.sources];
  if (enrolment.mdmProfile !== undefined) {
    const history = await readProfileHistory(reader, listing, enrolment.mdmProfile.stub, signal);
    if (history !== undefined) sources.push(history);
  }
  if (listing.rowsTruncated) {
    sources.push(storeSource(PROFILE_STORE_FOLDER, [], `The domain lists more than ${MAX_STORE_ROWS} items, far more than a device's profile store holds, so only the first ${MAX_STORE_ROWS} were looked at.`));
  }
  return { supervised: supervision.supervised, mdmEnrolled: enrolment.mdmEnrolled, organizationName, sources };
}

interface SupervisionResult {
  supervised: boolean | null;
  organizationName?: string;
  source: ManagementSource;
}

/** Supervision from CloudConfigurationDetails.plist; its absence from a backed-up store means not supervised. */
async function readSupervision(reader: BackupReader, listing: ProfileStoreListing, signal: AbortSignal | undefined): Promise<SupervisionResult> {
  const entry = listing.cloudConfiguration;
  if (entry === undefined) {
    if (listing.rowsTruncated) {
      return { supervised: null, source: storeSource(CLOUD_CONFIGURATION_PATH, [], 'The cloud configuration was not among the items looked at, so whether the device was supervised is unknown.') };
    }
    return {
      supervised: false,
      source: storeSource(
        CLOUD_CONFIGURATION_PATH,
        ['supervised'],
        'The configuration-profile store was backed up but holds no cloud configuration, and a device is supervised only through one (written by Setup Assistant during Automated Device Enrollment or by Apple Configurator), so the device was not supervised.',
      ),
    };
  }
  const read = await readStorePlist(reader, entry, signal);
  if (!read.ok) return { supervised: null, source: storeSource(entry.relativePath, [], read.problem) };
  const interpreted = interpretCloudConfiguration(read.value);
  if (!interpreted.ok) return { supervised: null, source: storeSource(entry.relativePath, [], interpreted.problem) };
  const { details } = interpreted;
  const result: SupervisionResult = { supervised: details.isSupervised, source: storeSource(entry.relativePath, ['supervised'], describeCloudConfiguration(details)) };
  if (details.organizationName !== undefined) result.organizationName = details.organizationName;
  return result;
}

interface EnrolmentResult {
  mdmEnrolled: boolean | null;
  mdmProfile?: { stub: ProfileStub; source: ManagementSource };
  sources: ManagementSource[];
}

/**
 * MDM enrolment from the installed profiles: one whose payloads include com.apple.mdm is the enrolment.
 * "Not enrolled" needs every stub read; one that cannot be judged leaves enrolment unknown.
 */
async function readEnrolment(reader: BackupReader, listing: ProfileStoreListing, signal: AbortSignal | undefined): Promise<EnrolmentResult> {
  const judged: { entry: BackupEntry; stub: ProfileStub }[] = [];
  const unjudged: ManagementSource[] = [];
  for (const entry of listing.stubs) {
    throwIfAborted(signal);
    const read = await readStorePlist(reader, entry, signal);
    const interpreted = read.ok ? interpretProfileStub(read.value) : read;
    if (!interpreted.ok) {
      unjudged.push(storeSource(entry.relativePath, [], interpreted.problem));
      continue;
    }
    const { stub } = interpreted;
    if (stub.mdm !== undefined) {
      // One enrolment decides the fact; the remaining stubs cannot change it, so they are not read.
      const server = stub.mdm.serverUrl === undefined ? '' : ` for the server ${stub.mdm.serverUrl}`;
      const installed = stub.installDate === undefined ? '' : `, installed on ${stub.installDate.toISOString()}`;
      const source = storeSource(entry.relativePath, ['mdmEnrolled'], `The installed profile ${profileName(stub)} has an MDM payload (${MDM_PAYLOAD_TYPE})${server}${installed}, so the device was enrolled in MDM.`);
      return { mdmEnrolled: true, mdmProfile: { stub, source }, sources: [source] };
    }
    judged.push({ entry, stub });
  }

  const incomplete = unjudged.length > 0 || listing.stubsNotRead > 0 || listing.rowsTruncated;
  if (incomplete) {
    const sources = [...unjudged];
    if (listing.stubsNotRead > 0) {
      sources.push(
        storeSource(
          PROFILE_STORE_FOLDER,
          [],
          `The store holds ${MAX_PROFILE_STUBS + listing.stubsNotRead} installed profiles, more than the ${MAX_PROFILE_STUBS} read, and none of those read is an MDM enrolment, so whether the device was enrolled in MDM is unknown.`,
        ),
      );
    } else if (unjudged.length > 0) {
      sources.push(
        storeSource(
          PROFILE_STORE_FOLDER,
          [],
          `${unjudged.length === 1 ? 'One installed profile' : `${unjudged.length} installed profiles`} could not be judged and none of the others is an MDM enrolment, so whether the device was enrolled in MDM is unknown.`,
        ),
      );
    }
    return { mdmEnrolled: null, sources };
  }
  if (judged.length === 0) {
    return { mdmEnrolled: false, sources: [storeSource(PROFILE_STORE_FOLDER, ['mdmEnrolled'], 'The configuration-profile store holds no installed profile, so the device was not enrolled in MDM.')] };
  }
  return {
    mdmEnrolled: false,
    sources: judged.map(({ entry, stub }) =>
      storeSource(
        entry.relativePath,
        ['mdmEnrolled'],
        `The installed profile ${profileName(stub)} has no MDM payload${stub.payloadTypes.length === 0 ? '' : ` (its payloads: ${summarizeTypes(stub.payloadTypes)})`}, and no other profile has one, so the device was not enrolled in MDM.`,
      ),
    ),
  };
}

/** What MCProfileEvents.plist adds about the MDM profile (when it was installed, by which process). */
async function readProfileHistory(reader: BackupReader, listing: ProfileStoreListing, stub: ProfileStub, signal: AbortSignal | undefined): Promise<ManagementSource | undefined> {
  const entry = listing.profileEvents;
  if (entry === undefined || stub.identifier === undefined) return undefined;
  const read = await readStorePlist(reader, entry, signal);
  const interpreted = read.ok ? interpretProfileEvents(read.value) : read;
  if (!interpreted.ok) return storeSource(entry.relativePath, [], interpreted.problem);
  const label = profileName(stub);
  const detail = describeProfileHistory(interpreted.events, stub.identifier, label) ?? `The profile event log has no entry for the MDM profile ${label}.`;
  return storeSource(entry.relativePath, [], detail);
}

/**
 * A management state in which nothing is known, with one source line saying why the store was not read
 * (e.g. "The backup is encrypted and no password was given, so its configuration-profile store was not
 * read."). The restore checks then ask the engineer about each fact.
 */
export function unknownManagement(detail: string): BackupManagement {
  return {
    supervised: null,
    mdmEnrolled: null,
    organizationName: null,
    sources: [{ domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: PROFILE_STORE_FOLDER, facts: [], detail }],
  };
}

function storeSource(relativePath: string, facts: ManagementSource['facts'], detail: string): ManagementSource {
  return { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath, facts, detail };
}

/** Up to eight payload types, then how many more: a sentence, not a dump. */
function summarizeTypes(types: readonly string[]): string {
  const shown = types.slice(0, 8).join(', ');
  return types.length > 8 ? `${shown} and ${types.length - 8} more` : shown;
}
