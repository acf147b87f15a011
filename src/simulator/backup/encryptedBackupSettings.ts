import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SimulatedDeviceSpec } from '../scenario';

/** A device's backup-encryption state as it survives a simulator restart. */
export interface BackupEncryptionSettings {
  /** The backup password (null = WillEncrypt false). */
  backupPassword: string | null;
  /** True until an unencrypted backup completes after "Reset All Settings" (the "the password could not be set" case). */
  resetAllSettingsQuirkArmed: boolean;
  /** The BackupKeyBag TLV made for this password; its class keys are wrapped with it, so only the password opens it. */
  keybag: Buffer | undefined;
}

/** The record is tiny; anything bigger is not ours. */
const MAX_RECORD_BYTES = 64 * 1024;

const recordFile = (stateDir: string, udid: string): string =>
  path.join(stateDir, 'devices', udid.replace(/[^0-9A-Za-z-]/g, '_'), 'backup-encryption.json');

/**
 * Which scenario values a record grew from. When the scenario file is edited (another password,
 * the quirk switched), the edited scenario wins over what the device changed since; a digest, so
 * the record does not repeat the scenario's password.
 */
function scenarioFingerprint(spec: SimulatedDeviceSpec): string {
  return createHash('sha256').update(JSON.stringify([spec.backupPassword, spec.resetAllSettingsQuirk])).digest('hex');
}

/** The scenario's own values, before any ChangePassword or backup. */
function fromScenario(spec: SimulatedDeviceSpec): BackupEncryptionSettings {
  return { backupPassword: spec.backupPassword, resetAllSettingsQuirkArmed: spec.resetAllSettingsQuirk, keybag: undefined };
}

/**
 * Reads `<stateDir>/devices/<udid>/backup-encryption.json`: the password set with ChangePassword,
 * the quirk state and the keybag, as the device left them. Without a record, or with one from an
 * earlier version of the scenario or unreadable, the scenario's values apply.
 */
export function loadBackupEncryptionSettings(stateDir: string, spec: SimulatedDeviceSpec): BackupEncryptionSettings {
  let parsed: unknown;
  try {
    const bytes = readFileSync(recordFile(stateDir, spec.udid));
    if (bytes.length > MAX_RECORD_BYTES) return fromScenario(spec);
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    // No record yet (or a damaged one): the device starts as the scenario describes it.
    return fromScenario(spec);
  }
  if (typeof parsed !== 'object' || parsed === null) return fromScenario(spec);
  const record = parsed as Record<string, unknown>;
  const password = record.backupPassword;
  if (record.scenario !== scenarioFingerprint(spec)) return fromScenario(spec);
  if (!(password === null || (typeof password === 'string' && password !== ''))) return fromScenario(spec);
  if (typeof record.resetAllSettingsQuirkArmed !== 'boolean') return fromScenario(spec);
  const keybag = typeof record.keybag === 'string' && password !== null ? Buffer.from(record.keybag, 'base64') : undefined;
  return { backupPassword: password, resetAllSettingsQuirkArmed: record.resetAllSettingsQuirkArmed, keybag: keybag && keybag.length > 0 ? keybag : undefined };
}

/** Writes the record atomically, readable by the simulator's user only (it holds the password, as the device's keychain does). */
export function saveBackupEncryptionSettings(stateDir: string, spec: SimulatedDeviceSpec, settings: BackupEncryptionSettings): void {
  const file = recordFile(stateDir, spec.udid);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const record = {
    version: 1,
    scenario: scenarioFingerprint(spec),
    backupPassword: settings.backupPassword,
    resetAllSettingsQuirkArmed: settings.resetAllSettingsQuirkArmed,
    ...(settings.keybag && settings.backupPassword !== null ? { keybag: settings.keybag.toString('base64') } : {}),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}
