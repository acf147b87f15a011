import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveInside } from '../../backup/format/safePath';
import { describeBugType } from '../../services/crashReportHeader';
import { CrashReportFolder, type CrashReportEntry } from '../../services/crashReports';
import { flagValue } from '../args';
import { command } from '../context';
import { openDeviceSession } from '../deviceArgs';

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-11-22 10:15" in local time, or a dash. */
function shortDate(date: Date | undefined): string {
  if (!date) return '-'.padEnd(16);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** "12.3 KB"-style sizes. */
function shortSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The JSON shape of one report. */
function reportJson(report: CrashReportEntry, pulledTo?: string): Record<string, unknown> {
  return {
    path: report.path,
    size: report.size,
    modified: report.modified?.toISOString(),
    kind: describeBugType(report.header?.bugType),
    ...report.header,
    ...(pulledTo ? { pulledTo } : {}),
  };
}

/** Copies one report into the folder (same relative path, device time kept); returns where it went. */
async function pullReport(folder: CrashReportFolder, report: CrashReportEntry, dir: string): Promise<string> {
  const bytes = await folder.read(report.path);
  // Paths come from the device: resolveInside refuses any that would leave the folder.
  const target = await resolveInside(dir, report.path);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, bytes);
  if (report.modified) await fs.utimes(target, report.modified, report.modified);
  return target;
}

/** `crashes <udid>`: lists the device's crash reports; --pull DIR copies them (they stay on the device). */
export const crashesCommand = command({
  usage: 'crashes <udid> [--pull DIR] [--json]',
  summary: 'list the crash reports on the device; --pull copies them into DIR (they stay on the device)',
  flags: { values: ['pull'] },
  async run(ctx) {
    const pullDir = flagValue(ctx.args, 'pull');
    const session = await openDeviceSession(ctx);
    try {
      const folder = await CrashReportFolder.open(session);
      try {
        const reports = await folder.list();
        const pulled = new Map<string, string>();
        if (pullDir) {
          await fs.mkdir(pullDir, { recursive: true });
          for (const report of reports) pulled.set(report.path, await pullReport(folder, report, pullDir));
        }
        if (ctx.json) {
          ctx.out(JSON.stringify(reports.map((r) => reportJson(r, pulled.get(r.path))), null, 2) + '\n');
        } else if (reports.length === 0) {
          ctx.out('No crash reports on the device.\n');
        } else {
          const lines = reports.map((r) => {
            const kind = describeBugType(r.header?.bugType).padEnd(24);
            const proc = (r.header?.process ?? '-').padEnd(14);
            return `${shortDate(r.modified)}  ${kind}  ${proc}  ${shortSize(r.size).padStart(9)}  ${r.path}`;
          });
          ctx.out(lines.join('\n') + '\n');
        }
        if (pullDir) ctx.note(`Copied ${pulled.size} crash report${pulled.size === 1 ? '' : 's'} into ${pullDir}.`);
        return 0;
      } finally {
        folder.close();
      }
    } finally {
      await session.close();
    }
  },
});
