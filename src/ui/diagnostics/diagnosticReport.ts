import type { DeviceFacts } from '../../device/deviceFacts';
import type { RecentLogLine } from '../extensionLog/recentLogLines';
import type { OperationRecord } from './operationHistory';

/** Everything a diagnostic report is made of (collected by the command, rendered here). */
export interface DiagnosticReportInput {
  generatedAt: Date;
  extension: { id: string; version: string };
  host: { appName: string; appVersion: string; platform: string; arch: string; node: string; language: string; remoteName?: string };
  usbmuxd: { address: string; demo: boolean; state: string; error?: string };
  backupFolder: string;
  devices: { udid: string; connectionType: string; facts?: DeviceFacts; error?: string }[];
  operations: readonly OperationRecord[];
  logLines: readonly RecentLogLine[];
}

const code = (text: string): string => '`' + text.replace(/`/g, "'") + '`';
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function factRows(facts: DeviceFacts): [string, string][] {
  const yn = (v: boolean | undefined): string => (v === undefined ? 'unknown' : v ? 'yes' : 'no');
  return [
    ['Name', facts.name ?? 'unknown'],
    ['Model', `${facts.marketingName ?? 'unknown'} (${facts.productType ?? '?'})`],
    ['iOS', `${facts.iosVersion ?? '?'} (${facts.buildVersion ?? '?'})`],
    ['Serial number', facts.serialNumber ?? 'unknown'],
    ['Paired / trusted', yn(facts.paired)],
    ['Supervised', yn(facts.supervised)],
    ['MDM', `${facts.mdm ?? 'unknown'}${facts.organizationName ? ` (${facts.organizationName})` : ''}`],
    ['Backup encryption', yn(facts.backupEncryption)],
    ['Find My', yn(facts.findMy)],
    ...(facts.limitation ? ([['Limitation', facts.limitation]] as [string, string][]) : []),
  ];
}

/**
 * What a table row cannot hold: the failure doctor's explanation of a failed run and the steps the
 * person was given after it. Follow-up lines are kept as the command wrote them (numbered, indented).
 */
function operationDetails(op: OperationRecord): string[] {
  const explanation = op.error?.explanation;
  const followUps = op.followUps ?? [];
  if (!explanation && followUps.length === 0) return [];
  const out = [`### ${code(op.command)}, ${op.startedAt.toISOString()} (${op.outcome})`, ''];
  if (explanation) {
    out.push(`Failure doctor: **${explanation.title}** (${code(explanation.entryId)})`, '');
    out.push(`- Cause: ${explanation.cause}`);
    for (const fix of explanation.fix) out.push(`- What to do: ${fix}`);
    out.push('');
  }
  if (followUps.length > 0) {
    out.push('After this operation:', '', '```text', ...followUps.map((line) => line.replace(/```/g, "'''")), '```', '');
  }
  return out;
}

/**
 * The Markdown diagnostic report a support engineer attaches to a ticket: environment, usbmuxd,
 * device facts, the recent operations with their errors (explained by the failure doctor) and follow-up
 * steps, and the recent log lines (already redacted by the logger). It stays in English so whoever
 * receives it can read it, whatever the UI language.
 */
export function renderDiagnosticReport(input: DiagnosticReportInput): string {
  const out: string[] = [];
  out.push('# iOS Backup & Restore: diagnostic report', '');
  out.push(`Generated ${input.generatedAt.toISOString()} by ${input.extension.id} ${input.extension.version}.`, '');
  out.push('## Environment', '');
  out.push('| | |', '|---|---|');
  out.push(`| Editor | ${cell(`${input.host.appName} ${input.host.appVersion}`)} |`);
  out.push(`| Platform | ${cell(`${input.host.platform} ${input.host.arch}, Node ${input.host.node}`)} |`);
  out.push(`| UI language | ${cell(input.host.language)} |`);
  if (input.host.remoteName) out.push(`| Remote | ${cell(input.host.remoteName)} |`);
  out.push(`| usbmuxd | ${code(input.usbmuxd.address)}${input.usbmuxd.demo ? ' (demo devices)' : ''}, ${cell(input.usbmuxd.state)} |`);
  if (input.usbmuxd.error) out.push(`| usbmuxd error | ${cell(input.usbmuxd.error)} |`);
  out.push(`| Backup folder | ${code(input.backupFolder)} |`, '');

  out.push('## Devices', '');
  if (input.devices.length === 0) out.push('No device attached.', '');
  for (const d of input.devices) {
    out.push(`### ${d.facts?.name ?? d.udid}`, '');
    out.push('| | |', '|---|---|', `| UDID | ${code(d.udid)} |`, `| Connection | ${d.connectionType} |`);
    if (d.facts) for (const [k, v] of factRows(d.facts)) out.push(`| ${k} | ${cell(v)} |`);
    if (d.error) out.push(`| Error | ${cell(d.error)} |`);
    out.push('');
  }

  out.push('## Recent operations', '');
  if (input.operations.length === 0) out.push('None in this session.', '');
  else {
    out.push('| Started | Command | Target | Outcome | Error |', '|---|---|---|---|---|');
    for (const op of [...input.operations].reverse()) {
      const error = op.error ? `${op.error.name}${op.error.code ? ` (${op.error.code})` : ''}: ${op.error.message}` : '';
      out.push(`| ${op.startedAt.toISOString()} | ${code(op.command)} | ${op.target ? code(op.target) : ''} | ${op.outcome} | ${cell(error)} |`);
    }
    out.push('');
    for (const op of [...input.operations].reverse()) out.push(...operationDetails(op));
  }

  out.push('## Recent log lines', '');
  if (input.logLines.length === 0) out.push('No log lines.');
  else {
    out.push('```');
    for (const line of input.logLines) out.push(`${line.time.toISOString()} [${line.level}] ${line.text.replace(/```/g, "'''")}`);
    out.push('```');
  }
  return out.join('\n') + '\n';
}
