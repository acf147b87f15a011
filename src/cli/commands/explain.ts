import { open, type FileHandle } from 'node:fs/promises';
import { LANGS, type Lang } from '../../common/localizedText';
import { bundledKnowledgeBase, explainStream, explainText, formatFailureReport, type FailureReport } from '../../doctor';
import { UsageError } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { flagChoice, flagValue } from '../args';
import { langFromEnvironment } from '../cliLanguage';
import { command, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_OK } from '../presentError';

/**
 * `explain`: what a failure means and what to do, from the failure knowledge base. Takes a code ("211",
 * "-211", exit status "45"), a name ("InvalidHostID"), pasted text, a log file (--file) or stdin ("-").
 * Exit 0 when at least one failure is recognised, 1 when nothing is (the output shows what was parsed).
 */
export const explainCommand = command({
  usage: 'explain <code|name|text…> | --file LOG | - [--lang en|ja] [--json]',
  summary: 'explain a failure code, exit status, lockdownd error, message or whole log: cause, what to check, what to do',
  flags: { values: ['file', 'lang'] },
  async run(ctx: CliContext): Promise<number> {
    const lang = flagChoice(ctx.args, 'lang', LANGS) ?? langFromEnvironment(ctx.env);
    const report = await reportFor(ctx);
    if (ctx.json) {
      ctx.out(JSON.stringify(explainJson(report, lang), null, 2) + '\n');
    } else {
      ctx.out(formatFailureReport(report, lang).join('\n') + '\n');
    }
    return report.recognised ? EXIT_OK : EXIT_FAILED;
  },
});

async function reportFor(ctx: CliContext): Promise<FailureReport> {
  const file = flagValue(ctx.args, 'file');
  const words = ctx.args.positionals;
  const kb = bundledKnowledgeBase();
  if (file !== undefined) {
    if (words.length > 0) throw new UsageError(`explain takes either --file or text, not both (got "${words[0]}").`);
    if (file === '-') return explainStream(ctx.stdin, kb);
    const handle = await openLog(file);
    try {
      return await explainStream(handle.createReadStream({ autoClose: false }), kb);
    } finally {
      await handle.close();
    }
  }
  if (words.length === 0) throw new UsageError('Nothing to explain: give a code, an error name or text, --file LOG, or - to read stdin.');
  if (words.length === 1 && words[0] === '-') return explainStream(ctx.stdin, kb);
  return explainText(words.join(' '), kb);
}

/** Opens the log the user named; a missing or unreadable file is a usage error (exit 2). */
async function openLog(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UsageError(`Cannot read ${path} because ${fileSystemErrorReason(err)}.`);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new UsageError(`Cannot read ${path}: it is not a file.`);
  }
  return handle;
}

/** The --json document: the report with every text in the chosen language. */
export interface ExplainJson {
  recognised: boolean;
  lang: Lang;
  linesRead: number;
  cutLines: number;
  omittedFindings: number;
  findings: Array<Omit<FailureReport['findings'][number], 'readings' | 'notes'> & {
    readings: Array<Omit<FailureReport['findings'][number]['readings'][number], 'explanation'> & { explanation: string }>;
    notes: string[];
  }>;
  entries: Record<string, {
    id: string;
    kind: string;
    phases: string[];
    certainty: string;
    title: string;
    cause: string;
    check: string[];
    fix: string[];
    notes: string[];
    related: string[];
    sources: string[];
  }>;
}

/** Builds the --json document from a report. */
export function explainJson(report: FailureReport, lang: Lang): ExplainJson {
  return {
    recognised: report.recognised,
    lang,
    linesRead: report.linesRead,
    cutLines: report.cutLines,
    omittedFindings: report.omittedFindings,
    findings: report.findings.map((f) => ({
      ...f,
      readings: f.readings.map((r) => ({ ...r, explanation: r.explanation[lang] })),
      notes: f.notes.map((n) => n[lang]),
    })),
    entries: Object.fromEntries(
      Object.values(report.entries).map((e) => [
        e.id,
        {
          id: e.id,
          kind: e.kind,
          phases: e.phases,
          certainty: e.certainty,
          title: e.title[lang],
          cause: e.cause[lang],
          check: e.check.map((t) => t[lang]),
          fix: e.fix.map((t) => t[lang]),
          notes: (e.notes ?? []).map((t) => t[lang]),
          related: e.related ?? [],
          sources: e.sources,
        },
      ]),
    ),
  };
}
