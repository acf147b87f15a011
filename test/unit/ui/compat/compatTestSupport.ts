import type { RestoreChecksRun } from '../../../../src/ui/compat/restoreChecksRun';
import { evaluateRestore } from '../../../../src/compat/evaluateRestore';
import { bundledRules } from '../../../../src/compat/loadRules';
import type { Lang } from '../../../../src/common/localizedText';
import type { DeviceFacts } from '../../../../src/device/deviceFacts';
import type { DeviceRosterSnapshot } from '../../../../src/ui/compat/attachedDevice';
import type { BackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import type { CompatSelection } from '../../../../src/ui/compat/compatSelection';
import type { BackupChoice } from '../../../../src/ui/compat/compatSources';
import { createCompatStrings, type L10nLike } from '../../../../src/ui/compat/compatStrings';
import type { AnswerProblem } from '../../../../src/ui/compat/factAnswerKinds';
import { buildMatrixViewModel } from '../../../../src/ui/compat/matrixViewModel';
import { resolveRestoreFacts } from '../../../../src/ui/compat/restoreFacts';
import type { CompatViewModel } from '../../../../src/ui/compat/compatViewModel';
import type { FactKey } from '../../../../src/compat/facts';

export const rules = bundledRules();

/** Formats like vscode.l10n.t without a bundle: the English message with {n} replaced. */
export const englishL10n: L10nLike = {
  t(first: string | { message: string; args?: (string | number | boolean)[] }, ...rest: (string | number | boolean)[]): string {
    const message = typeof first === 'string' ? first : first.message;
    const args = typeof first === 'string' ? rest : (first.args ?? []);
    return message.replace(/\{(\d+)\}/g, (match, index: string) => (args[Number(index)] === undefined ? match : String(args[Number(index)])));
  },
};

export const strings = createCompatStrings(englishL10n);

export const UDID_OLD = '00008110-000A1B2C3D4E801E';
export const UDID_NEW = '00008120-001C2D3E4F5A602E';

/** A fully read device, like the simulator's demo devices. */
export function deviceFacts(udid: string, overrides: Partial<DeviceFacts> = {}): DeviceFacts {
  return {
    udid,
    connectionType: 'USB',
    name: udid === UDID_OLD ? 'Support iPhone' : 'Replacement iPhone',
    productType: 'iPhone14,5',
    marketingName: 'iPhone 13',
    iosVersion: '16.1',
    paired: true,
    supervised: false,
    mdm: 'enrolled',
    ...overrides,
  };
}

/** A roster that has read the given devices. */
export function roster(...facts: DeviceFacts[]): DeviceRosterSnapshot {
  return { status: 'watching', devices: facts.map((f) => ({ udid: f.udid, facts: f })) };
}

/** What the panel would render for this selection, devices and backups (the same pipeline as CompatPanel.render). */
export function viewFor(
  selection: CompatSelection,
  snapshot: DeviceRosterSnapshot,
  options: { backups?: BackupSnapshot[]; library?: BackupChoice[]; lang?: Lang; answerErrors?: Partial<Record<FactKey, AnswerProblem>>; restoreChecks?: RestoreChecksRun } = {},
): { model: CompatViewModel; report: ReturnType<typeof evaluateRestore> } {
  const backups = options.backups ?? [];
  const chosen = selection.source?.kind === 'backup' ? backups.find((b) => b.dir === (selection.source as { dir: string }).dir) : undefined;
  const resolved = resolveRestoreFacts(selection, snapshot.devices, chosen);
  const report = evaluateRestore(rules, resolved.source, resolved.target);
  const model = buildMatrixViewModel({
    rules,
    report,
    lang: options.lang ?? 'en',
    strings,
    selection,
    facts: resolved,
    roster: snapshot,
    // The library lists every backup; the chosen one is also read in full (plists + configuration-profile store).
    backups: options.library ?? backups.map((b) => ({ dir: b.dir, udid: b.udid, deviceName: b.deviceName, iOSVersion: b.iosVersion, date: b.date })),
    chosenBackup: chosen,
    answerErrors: options.answerErrors ?? {},
    restoreChecks: options.restoreChecks,
  });
  return { model, report };
}

/** Every row of every table, flattened. */
export function allRows(model: CompatViewModel): CompatViewModel['tables'][number]['groups'][number]['rows'] {
  return model.tables.flatMap((t) => t.groups.flatMap((g) => g.rows));
}

/** The store file that records supervision, as a backup names it. */
export const CLOUD_FILE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/CloudConfigurationDetails.plist';
/** The store file that records the MDM enrolment. */
export const MDM_STUB_FILE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/profile-0a1b2c.stub';

/**
 * A backup as the one reader gives it to the panel: identity from the plists and the device state at backup time
 * from the configuration-profile store; a state left out is unknown because the backup holds no store.
 */
export function backupSnapshotOf(dir: string, atBackup: { supervised?: boolean; mdm?: 'enrolled' | 'none' }, iosVersion = '16.1'): BackupSnapshot {
  const plists = { kind: 'backup' as const, file: 'Info.plist / Manifest.plist' };
  const absent = { reason: { code: 'backup-store-absent' as const, detail: 'The backup does not hold the configuration-profile store.' } };
  return {
    dir,
    udid: UDID_OLD,
    deviceName: 'Support iPhone',
    iosVersion,
    source: {
      'source.udid': { value: UDID_OLD, origin: plists },
      'source.iosVersion': { value: iosVersion, origin: plists },
      'source.supervisedAtBackup': atBackup.supervised === undefined ? absent : { value: atBackup.supervised, origin: { kind: 'backup', file: CLOUD_FILE } },
      'source.mdmEnrolledAtBackup': atBackup.mdm === undefined ? absent : { value: atBackup.mdm === 'enrolled', origin: { kind: 'backup', file: MDM_STUB_FILE } },
    },
  };
}
