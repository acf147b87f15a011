import * as l10n from '@vscode/l10n';
import type { DeviceFacts } from '../../device/deviceFacts';

/** What a device node shows, computed from what the monitor knows (no vscode types, so it is unit-tested). */
export interface DeviceNodeInput {
  udid: string;
  connectionType: 'USB' | 'Network';
  facts?: DeviceFacts;
  factsError?: Error;
  reading: boolean;
}

/** The device's trust state, which decides the menus (`contextValue`). */
export type DeviceNodeState = 'loading' | 'paired' | 'untrusted' | 'unavailable';

/** The node's contextValue: the encryption state is added for paired devices, whose menus depend on it. */
export type DeviceContextValue = `${DeviceNodeState}Device` | `paired${'Encrypted' | 'Unencrypted'}Device`;

/** Which icon family the device gets. */
export type DeviceIconKind = 'phone' | 'tablet' | 'watch' | 'tv' | 'unknown';

/** One expandable property row under a device. */
export interface DevicePropertyModel {
  /** Stable key for the node id (not shown). */
  key: string;
  label: string;
  value: string;
}

/** Everything a device node needs to render. */
export interface DeviceNodeModel {
  udid: string;
  label: string;
  description: string;
  /** Markdown for the hover. */
  tooltip: string;
  state: DeviceNodeState;
  /** state (+ backup encryption when paired) + kind, matched by `viewItem =~` in package.json menus. */
  contextValue: DeviceContextValue;
  icon: DeviceIconKind;
  properties: DevicePropertyModel[];
  /** A sentence saying why the facts are partial or missing. */
  warning?: string;
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? l10n.t('Unknown') : value ? l10n.t('Yes') : l10n.t('No'));
const onOff = (value: boolean | undefined): string => (value === undefined ? l10n.t('Unknown') : value ? l10n.t('On') : l10n.t('Off'));

/** The icon family for a DeviceClass (or ProductType prefix when the class is missing). */
export function deviceIconKind(facts: Pick<DeviceFacts, 'deviceClass' | 'productType'> | undefined): DeviceIconKind {
  const kind = (facts?.deviceClass ?? facts?.productType ?? '').toLowerCase();
  if (kind.startsWith('iphone') || kind.startsWith('ipod')) return 'phone';
  if (kind.startsWith('ipad')) return 'tablet';
  if (kind.startsWith('watch')) return 'watch';
  if (kind.startsWith('appletv')) return 'tv';
  return 'unknown';
}

/** "iPhone 13 (iPhone14,5)", or whichever half is known. */
export function modelText(facts: Pick<DeviceFacts, 'marketingName' | 'productType'> | undefined): string | undefined {
  if (!facts) return undefined;
  if (facts.marketingName && facts.productType) return `${facts.marketingName} (${facts.productType})`;
  return facts.marketingName ?? facts.productType;
}

function mdmText(facts: DeviceFacts): string {
  if (facts.mdm === undefined) return l10n.t('Unknown');
  if (facts.mdm === 'none') return l10n.t('Not enrolled');
  return facts.organizationName ? l10n.t('Enrolled ({0})', facts.organizationName) : l10n.t('Enrolled');
}

function stateOf(input: DeviceNodeInput): DeviceNodeState {
  if (input.facts) return input.facts.paired ? 'paired' : 'untrusted';
  if (input.factsError) return 'unavailable';
  return 'loading';
}

/** The property rows shown when a device is expanded (and in its tooltip). */
export function deviceProperties(input: DeviceNodeInput): DevicePropertyModel[] {
  const f = input.facts;
  const rows: DevicePropertyModel[] = [];
  const add = (key: string, label: string, value: string | undefined): void => {
    if (value !== undefined) rows.push({ key, label, value });
  };
  add('model', l10n.t('Model'), modelText(f));
  add('ios', l10n.t('iOS'), f?.iosVersion && (f.buildVersion ? `${f.iosVersion} (${f.buildVersion})` : f.iosVersion));
  add('udid', l10n.t('UDID'), input.udid);
  add('serial', l10n.t('Serial number'), f?.serialNumber);
  add('connection', l10n.t('Connection'), input.connectionType === 'USB' ? l10n.t('USB') : l10n.t('Wi-Fi'));
  if (f) {
    add('trusted', l10n.t('Trusted (paired)'), yesNo(f.paired));
    // The values below need a paired session; an untrusted device does not tell them.
    if (f.paired) {
      add('supervised', l10n.t('Supervised'), yesNo(f.supervised));
      add('mdm', l10n.t('MDM'), mdmText(f));
      add('encryption', l10n.t('Backup encryption'), onOff(f.backupEncryption));
      add('findMy', l10n.t('Find My'), onOff(f.findMy));
      if (f.passcodeLocked !== undefined) add('passcode', l10n.t('Passcode set'), yesNo(f.passcodeLocked));
    }
  }
  return rows;
}

/** Builds the node model for one attached device. */
export function deviceNodeModel(input: DeviceNodeInput): DeviceNodeModel {
  const f = input.facts;
  const state = stateOf(input);
  const label = f?.name ?? f?.marketingName ?? input.udid;
  const parts: string[] = [];
  const model = f?.marketingName ?? f?.productType;
  if (model) parts.push(model);
  if (f?.iosVersion) parts.push(l10n.t('iOS {0}', f.iosVersion));
  if (state === 'loading') parts.push(l10n.t('Reading device…'));
  if (state === 'untrusted') parts.push(l10n.t('Not trusted'));
  if (state === 'unavailable') parts.push(l10n.t('Cannot read device'));
  let warning: string | undefined;
  if (state === 'untrusted') warning = l10n.t('This computer is not trusted by the device. Pair it and tap "Trust" on the device to read every fact and back it up.');
  else if (state === 'unavailable') warning = l10n.t('The device did not answer: {0}', input.factsError?.message ?? '');
  else if (f?.limitation) warning = l10n.t('Some facts are missing: {0}', f.limitation);
  const properties = deviceProperties(input);
  const tooltip = [
    `**${escapeMarkdown(label)}**`,
    '',
    ...properties.map((p) => `${escapeMarkdown(p.label)}: ${escapeMarkdown(p.value)}  `),
    ...(warning ? ['', `$(warning) ${escapeMarkdown(warning)}`] : []),
  ].join('\n');
  return {
    udid: input.udid,
    label,
    description: parts.join(' · '),
    tooltip,
    state,
    contextValue: state === 'paired' && f?.backupEncryption !== undefined ? (f.backupEncryption ? 'pairedEncryptedDevice' : 'pairedUnencryptedDevice') : `${state}Device`,
    icon: deviceIconKind(f),
    properties,
    warning,
  };
}

/** Escapes the characters Markdown would interpret in a device-supplied value. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
