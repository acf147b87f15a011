import { formatByteCount } from '../../common/byteCount';
import type { BackupInspection } from '../../backup/inspect/backupInspection';
import type { BackupManagement } from '../../backup/inspect/backupManagement';
import { inspectBackup } from '../../backup/inspect/inspectBackup';
import type { Lang } from '../../common/localizedText';
import { isUsageError } from '../../common/errors';
import { hasFlag } from '../args';
import { backupFolderFromArgs } from '../backupArgs';
import { langFromArgs } from '../cliLanguage';
import { command } from '../context';
import { backupPassword } from '../passwords';
import { EXIT_FAILED, EXIT_OK } from '../presentError';

/** How many apps the summary names before "and N more". */
const APPS_NAMED = 5;

/** `inspect <backupDir> [--json]`: what a backup is, read from the backup's own files. */
export const inspectCommand = command({
  usage: 'inspect <backupDir> [--password-stdin] [--json] [--lang en|ja]',
  summary: 'what a backup is: device, iOS, date, encrypted, complete, size, apps, largest domains, management state',
  flags: { values: ['lang'] },
  async run(ctx) {
    const backupDir = backupFolderFromArgs(ctx.args);
    const lang = langFromArgs(ctx);
    // A password is optional here: without one an encrypted backup is still inspected, minus what it protects.
    const password = hasFlag(ctx.args, 'password-stdin') || ctx.env.IOSBR_PASSWORD ? await backupPassword(ctx) : undefined;
    let inspection: BackupInspection;
    try {
      inspection = await inspectBackup(backupDir, { password, signal: ctx.signal });
    } catch (err) {
      // The one refusal of inspectBackup: the folder is not a backup, a failed check rather than a usage slip.
      if (!isUsageError(err)) throw err;
      ctx.note(err.message);
      return EXIT_FAILED;
    }
    if (ctx.json) {
      ctx.out(JSON.stringify(inspection, null, 2) + '\n');
      return EXIT_OK;
    }
    ctx.out(formatInspection(inspection, lang).join('\n') + '\n');
    if (inspection.encrypted === true && password === undefined) ctx.note(TEXT[lang].passwordHint);
    return EXIT_OK;
  },
});

interface InspectText {
  device: string;
  udid: string;
  serial: string;
  ios: string;
  date: string;
  encrypted: string;
  state: string;
  complete: string;
  incomplete: string;
  size: string;
  apps: string;
  more: (count: number) => string;
  domains: string;
  files: (count: number) => string;
  management: string;
  supervised: string;
  mdm: string;
  organization: string;
  problems: string;
  yes: string;
  no: string;
  unknown: string;
  none: string;
  passwordHint: string;
}

const TEXT: Record<Lang, InspectText> = {
  en: {
    device: 'Device',
    udid: 'UDID',
    serial: 'serial',
    ios: 'iOS',
    date: 'Backup date',
    encrypted: 'Encrypted',
    state: 'State',
    complete: 'complete',
    incomplete: 'incomplete',
    size: 'Size',
    apps: 'Apps',
    more: (count) => `and ${count} more`,
    domains: 'Largest domains',
    files: (count) => `${count} ${count === 1 ? 'file' : 'files'}`,
    management: 'Management',
    supervised: 'supervised',
    mdm: 'MDM enrolled',
    organization: 'organization',
    problems: 'Problems',
    yes: 'yes',
    no: 'no',
    unknown: 'unknown',
    none: 'none',
    passwordHint: 'The backup is encrypted: give its password with --password-stdin or IOSBR_PASSWORD to read its file list and management state.',
  },
  ja: {
    device: 'デバイス',
    udid: 'UDID',
    serial: 'シリアル番号',
    ios: 'iOS',
    date: 'バックアップ日時',
    encrypted: '暗号化',
    state: '状態',
    complete: '完了',
    incomplete: '未完了',
    size: 'サイズ',
    apps: 'アプリ',
    more: (count) => `ほか ${count} 件`,
    domains: 'サイズの大きいドメイン',
    files: (count) => `${count} ファイル`,
    management: '管理状態',
    supervised: '監視対象',
    mdm: 'MDM 登録',
    organization: '組織',
    problems: '問題',
    yes: 'はい',
    no: 'いいえ',
    unknown: '不明',
    none: 'なし',
    passwordHint: 'このバックアップは暗号化されています。ファイル一覧と管理状態を読むには --password-stdin または IOSBR_PASSWORD でパスワードを渡してください。',
  },
};

/** The human summary of an inspection, one line per fact (the device line first). */
export function formatInspection(inspection: BackupInspection, lang: Lang): string[] {
  const t = TEXT[lang];
  const { device } = inspection;
  const yesNo = (value: boolean | null): string => (value === null ? t.unknown : value ? t.yes : t.no);
  const model = device.marketingName !== null && device.productType !== null ? `${device.marketingName} (${device.productType})` : (device.productType ?? t.unknown);
  const lines = [
    `${t.device}: ${device.name ?? t.unknown}, ${model}, ${t.udid} ${device.udid ?? t.unknown}, ${t.serial} ${device.serialNumber ?? t.unknown}`,
    `${t.ios}: ${device.iosVersion ?? t.unknown}${device.buildVersion === null ? '' : ` (${device.buildVersion})`}`,
    `${t.date}: ${inspection.backupDate === null ? t.unknown : inspection.backupDate.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`,
    `${t.encrypted}: ${yesNo(inspection.encrypted)}`,
    `${t.state}: ${inspection.complete ? t.complete : `${t.incomplete}: ${inspection.incompleteReasons.join(' ')}`}`,
    `${t.size}: ${formatByteCount(inspection.totalBytes)}`,
    `${t.apps}: ${appsLine(inspection, t)}`,
  ];
  lines.push(`${t.domains}:${inspection.largestDomains.length === 0 ? ` ${t.none}` : ''}`);
  for (const domain of inspection.largestDomains) lines.push(`  ${domain.domain}  ${formatByteCount(domain.bytes)}  (${t.files(domain.files)})`);
  lines.push(...managementLines(inspection.management, t, yesNo));
  if (inspection.problems.length > 0) lines.push(`${t.problems}:`, ...inspection.problems.map((problem) => `  - ${problem}`));
  return lines.map(printable);
}

function appsLine(inspection: BackupInspection, t: InspectText): string {
  const { count, items } = inspection.apps;
  if (count === 0) return t.none;
  const named = items.slice(0, APPS_NAMED).map((app) => (app.name === null ? app.bundleId : `${app.bundleId} (${app.name})`));
  const rest = count - named.length;
  return `${count}: ${named.join(', ')}${rest > 0 ? `, ${t.more(rest)}` : ''}`;
}

function managementLines(management: BackupManagement, t: InspectText, yesNo: (value: boolean | null) => string): string[] {
  const organization = management.organizationName === null ? t.unknown : `"${management.organizationName}"`;
  const lines = [`${t.management}: ${t.supervised} ${yesNo(management.supervised)}, ${t.mdm} ${yesNo(management.mdmEnrolled)}, ${t.organization} ${organization}`];
  // Which file said so, so the engineer can look at it (`ls`/`extract`). Every source lies in the
  // configuration-profile store's domain, which --json names; the path inside it is enough here.
  for (const source of management.sources) {
    const decided = source.facts.length > 0 ? ` [${source.facts.join(', ')}]` : '';
    lines.push(`  ${source.relativePath}${decided}: ${source.detail}`);
  }
  return lines;
}

/** A line as it may go to a terminal: the backup's own strings could carry escape sequences. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
}
