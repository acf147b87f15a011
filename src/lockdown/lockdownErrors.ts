import { LOCKDOWN_PAIRING_REFUSALS, type PairingCode } from '../common/errorCodes';
import { LockdownError, PairingError, type DeviceToolError } from '../common/errors';

/** One sentence per lockdownd Error string (docs/protocol/lockdown.md#error-strings); the request and device are added by the caller. */
const LOCKDOWN_MESSAGES: Record<string, string> = {
  PasswordProtected: 'The device is locked with its passcode: unlock it and try again.',
  UserDeniedPairing: 'The user tapped "Don\'t Trust" on the device: unplug and replug it, then tap "Trust".',
  PairingDialogResponsePending: 'The device is waiting for someone to tap "Trust" on its screen.',
  InvalidHostID: 'The device no longer knows this computer: pair it again.',
  MissingHostID: 'The device no longer knows this computer: pair it again.',
  InvalidPairRecord: 'The device rejected this computer\'s pair record: pair it again.',
  MissingPairRecord: 'The device has no pair record for this computer: pair it again.',
  SessionActive: 'A lockdown session is already active on this connection.',
  SessionInactive: 'The request needs a lockdown session, and none is active.',
  InvalidSessionID: 'The device rejected the lockdown session id.',
  MissingSessionID: 'The request lacked a lockdown session id.',
  InvalidService: 'The device does not offer that service.',
  MissingService: 'The request did not name a service.',
  ServiceLimit: 'The device refused to start another instance of the service (too many open).',
  ServiceProhibited: 'The device does not allow that service to be started.',
  GetProhibited: 'The device does not allow reading that value.',
  SetProhibited: 'The device does not allow changing that value.',
  RemoveProhibited: 'The device does not allow removing that value.',
  ImmutableValue: 'That value cannot be changed.',
  MissingValue: 'The device has no such value.',
  MissingKey: 'The request lacked a key.',
  InvalidResponse: 'The device found the request malformed.',
  EscrowLocked: 'The device\'s escrow keybag is locked: unlock the device and try again.',
  PairingProhibitedOverThisConnection: 'The device does not allow pairing over this connection (use USB).',
  FMiPProtected: 'Find My is on for this device, which blocks the operation: turn it off in Settings.',
  MCProtected: 'The device is supervised and its configuration does not allow pairing with this computer.',
  MCChallengeRequired: 'The device is supervised and requires the supervising host\'s challenge to pair.',
  InvalidActivationRecord: 'The device rejected the activation record.',
  MissingActivationRecord: 'The device is not activated.',
};

const isPairingRefusal = (code: string): code is PairingCode => (LOCKDOWN_PAIRING_REFUSALS as readonly string[]).includes(code);

/** Maps a lockdownd Error string from a reply to the typed error the caller throws. */
export function lockdownErrorFor(code: string, request: string, udid?: string): DeviceToolError {
  const message = LOCKDOWN_MESSAGES[code] ?? `The device refused ${request} with error "${code}".`;
  if (isPairingRefusal(code) && (request === 'Pair' || request === 'ValidatePair' || request === 'StartSession' || request === 'Unpair')) {
    return new PairingError(message, code, udid);
  }
  return new LockdownError(message, code, request, udid);
}
