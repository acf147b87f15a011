import type { LocalizedText } from '../common/localizedText';
import { parseErrorChain, type ChainLink } from './errorChain';
import { isCodeDomain, type FailureIndex } from './failureIndex';
import type { CodeReading, FailureFinding, ParsedFailure, UnderlyingError } from './failureReport';
import type { CodeDomain, FailureEntry, FailurePhase } from './knowledgeModel';
import { preferKnown, reading, readingsForExitStatus } from './numberReadings';
import { codeLabel, numberingNote, severalMeaningsNote, undocumentedNote, unknownNote } from './readingTexts';
import { excerptOf } from './textExcerpt';
import { chooseVariants } from './variantChoice';

/** idevicebackup2's final report: "ErrorCode 211: <ErrorDescription>". */
const IB2_STATEMENT = /\bErrorCode (-?\d{1,10}): (.*)$/;
/** pymobiledevice3's "Device link error: {'ErrorCode': 211, 'ErrorDescription': '…'}" (and JSON with double quotes). */
const DICT_STATEMENT = /['"]ErrorCode['"]\s*:\s*(-?\d{1,10})(?:\s*,\s*['"]ErrorDescription['"]\s*:\s*(?:'((?:[^'\\]|\\.){0,2000})'|"((?:[^"\\]|\\.){0,2000})"))?/;
/**
 * Any other "ErrorCode 999", "Error Code 205", a plist dump's "ErrorCode = 211;" or
 * "<key>ErrorCode</key><integer>211</integer>". Case-sensitive: lower-case "error code" is every tool's
 * own numbering (lockdownd, AFC), handled by the lines that name the tool.
 */
const OTHER_STATEMENT = /\bError ?Code(?:\s*[:=]?\s*|<\/key>\s*<integer>)(-?\d{1,10})\b/;
/** idevicebackup2's last line: "Backup Failed (Error Code 105)." / "Restore Failed (Error Code 211).". */
const FAILED_STATEMENT = /\b(Backup|Restore) Failed \(Error Code (-?\d{1,10})\)/;
/** "exited with status 45", "exit code -211", "Process exited with code 151". */
const EXIT_STATUS = /\bexit(?:ed)?\s+(?:with\s+)?(?:status|code)\s*(?:of\s+)?[:=]?\s*(-?\d{1,10})\b/gi;
/** idevicebackup2's "ERROR: Could not connect to lockdownd, error code -21". */
const LOCKDOWN_NUMBER = /\bCould not connect to lockdownd,? error code:?\s*(-?\d{1,6})\b/;
/** idevicebackup2's "ERROR: Could not receive from mobilebackup2 (-3)". */
const MB2_RECEIVE = /\bCould not receive from mobilebackup2 \((-?\d{1,6})\)/;
/** A per-file error in a DeviceLink status reply, as a plist dump or a Python/JSON dict prints it. */
const FILE_ERROR = /\bDLFileErrorCode(?:<\/key>\s*<integer>|['"]?\s*[:=]\s*)(-?\d{1,6})/g;
/** Lines that talk about lockdownd, where a library text without its number is still that error. */
const LOCKDOWN_CONTEXT = /lockdown|Could not start service|StartService|pair/i;
/** A name followed by a value is a key (ideviceinfo's "PasswordProtected: false"), not an error. */
const KEY_VALUE_AFTER = /^\s*[:=]\s*(?:true|false|yes|no|[01])\b/i;
/** A name given to a tool as a key ("ideviceinfo -k PasswordProtected") is not an error either. */
const KEY_ARGUMENT_BEFORE = /(?:^|\s)(?:-k|--key)\s+$/;
/** A device syslog or macOS log line starts with time, host and process; the description is what follows. */
const LOG_PREFIX = /^(?:\w{3} +\d{1,2} [\d:]{8} \S+ \S+?(?:\[\d+\])? <\w+>: |\d{4}-\d\d-\d\d[ T][\d:.]+\S* +\S+?\[[\d:]+\] )/;
/** iosbr quotes the device's own description inside its sentence: "… (device: <ErrorDescription>)". */
const QUOTED_DEVICE_TEXT = /\(device: ([^]*)$/;
/** A pasted message this short is taken at its word even without context. */
const SHORT_MESSAGE = 100;

/** A finding being assembled for one line. */
interface Draft {
  start: number;
  end: number;
  parsed: ParsedFailure;
  readings: CodeReading[];
  entryIds: string[];
  notes: LocalizedText[];
  /** "domain:code" of every code parsed at this span, so a message pattern of another code is not attached. */
  codes: Set<string>;
}

/** Every failure recognised (or parsed and unknown) in one line of text. */
export function findingsForLine(line: string, lineNumber: number, index: FailureIndex): FailureFinding[] {
  const drafts: Draft[] = [];
  addErrorCodeStatements(line, index, drafts);
  addDescriptionMentions(line, index, drafts);
  addExitStatuses(line, index, drafts);
  addLockdownErrors(line, index, drafts);
  addNumberedErrors(line, index, drafts);
  addMessagePatterns(line, index, drafts);
  return drafts
    .sort((a, b) => a.start - b.start)
    .map((d) => finish(d, line, lineNumber, index));
}

function addErrorCodeStatements(line: string, index: FailureIndex, drafts: Draft[]): void {
  const ib2 = IB2_STATEMENT.exec(line);
  if (ib2 && Number(ib2[1]) !== 0) drafts.push(mobileBackupDraft(Math.abs(Number(ib2[1])), ib2[2], ib2.index, line.length, index));
  const dict = DICT_STATEMENT.exec(line);
  if (dict && Number(dict[1]) !== 0 && !overlapsAny(drafts, dict.index, dict.index + dict[0].length)) {
    const description = unescapeQuoted(dict[2] ?? dict[3] ?? '');
    drafts.push(mobileBackupDraft(Math.abs(Number(dict[1])), description, dict.index, dict.index + dict[0].length, index));
  }
  const failed = FAILED_STATEMENT.exec(line);
  if (failed && Number(failed[2]) !== 0 && !overlapsAny(drafts, failed.index, failed.index + failed[0].length)) {
    const operation = failed[1] === 'Backup' ? 'backup' : 'restore';
    const draft = mobileBackupDraft(Math.abs(Number(failed[2])), '', failed.index, failed.index + failed[0].length, index, operation);
    draft.parsed.operation = operation;
    drafts.push(draft);
  }
  const other = OTHER_STATEMENT.exec(line);
  // ErrorCode 0 is the device reporting success.
  if (other && Number(other[1]) !== 0 && !overlapsAny(drafts, other.index, other.index + other[0].length)) {
    // The rest of the line may hold the description ("ErrorCode = 105; ErrorDescription = …").
    drafts.push(mobileBackupDraft(Math.abs(Number(other[1])), line.slice(other.index + other[0].length), other.index, other.index + other[0].length, index));
  }
}

/** A line that carries "(MBErrorDomain/N)" or "MBErrorDomain:N" without a statement: a pasted description or a device log line. */
function addDescriptionMentions(line: string, index: FailureIndex, drafts: Draft[]): void {
  if (!/MBErrorDomain/.test(line)) return;
  const chain = parseErrorChain(line);
  const mainAt = chain.findIndex((l) => l.domain === 'MBErrorDomain' && l.code !== undefined && l.code !== 0);
  if (mainAt < 0) return;
  const main = chain[mainAt];
  if (overlapsAny(drafts, main.start, main.end)) return;
  const start = line.length - line.trimStart().length;
  const draft = mobileBackupDraftFromChain(Math.abs(main.code ?? 0), chain.slice(mainAt), line, index);
  draft.start = start;
  draft.end = line.trimEnd().length;
  drafts.push(draft);
}

function addExitStatuses(line: string, index: FailureIndex, drafts: Draft[]): void {
  EXIT_STATUS.lastIndex = 0;
  for (let m = EXIT_STATUS.exec(line); m; m = EXIT_STATUS.exec(line)) {
    const status = Number(m[1]);
    const { readings, notes } = readingsForExitStatus(status, index);
    drafts.push({
      start: m.index,
      end: m.index + m[0].length,
      parsed: { form: 'exit-status', exitStatus: status, underlying: [] },
      readings,
      entryIds: unique(readings.flatMap((r) => r.entryIds)),
      notes,
      codes: new Set(readings.map((r) => key(r.domain, r.code))),
    });
  }
}

/** lockdownd errors by name, by library text ("Invalid HostID (-21)") and by idevicebackup2's bare number; one finding per entry per line. */
function addLockdownErrors(line: string, index: FailureIndex, drafts: Draft[]): void {
  const lockdownDrafts = new Map<string, Draft>();
  const merge = (entry: FailureEntry, start: number, end: number, fill: (d: Draft) => void): void => {
    let draft = lockdownDrafts.get(entry.id);
    if (!draft) {
      draft = { start, end, parsed: { form: 'lockdown-error', underlying: [] }, readings: [], entryIds: [entry.id], notes: [], codes: new Set() };
      lockdownDrafts.set(entry.id, draft);
    } else {
      draft.start = Math.min(draft.start, start);
      draft.end = Math.max(draft.end, end);
    }
    fill(draft);
  };
  if (index.names) {
    index.names.lastIndex = 0;
    for (let m = index.names.exec(line); m; m = index.names.exec(line)) {
      if (KEY_VALUE_AFTER.test(line.slice(m.index + m[0].length)) || KEY_ARGUMENT_BEFORE.test(line.slice(0, m.index))) continue;
      const name = m[1];
      const entry = index.entryForName(name);
      if (entry) merge(entry, m.index, m.index + m[0].length, (d) => (d.parsed.name ??= name));
    }
  }
  if (index.codeTexts) {
    const lockdownContext = LOCKDOWN_CONTEXT.test(line) || line.trim().length <= SHORT_MESSAGE;
    index.codeTexts.lastIndex = 0;
    for (let m = index.codeTexts.exec(line); m; m = index.codeTexts.exec(line)) {
      const found = index.codeForText(m[1]);
      const written = m[2] === undefined ? undefined : Number(m[2]);
      if (!found || (written === undefined && !lockdownContext)) continue;
      const { entry, code } = found;
      merge(entry, m.index, m.index + m[0].length, (d) => {
        d.parsed.domain = code.domain;
        d.parsed.code = written ?? code.code;
        d.parsed.description ??= code.text;
        addReading(d, reading(code.code, 'library-text', code.domain, code.code, index, code.text));
        if (written !== undefined && written !== code.code) d.notes.push(numberingNote(written, code.code, code.text));
      });
    }
  }
  const numbered = LOCKDOWN_NUMBER.exec(line);
  if (numbered) {
    const value = Number(numbered[1]);
    const readings = preferKnown([reading(value, 'as-written', 'lockdownd', value, index), reading(value, 'as-written', 'lockdownd-legacy', value, index)]);
    const start = numbered.index;
    const end = numbered.index + numbered[0].length;
    const entries = unique(readings.flatMap((r) => r.entryIds));
    const libraryText = index.textForCode('lockdownd', value);
    // One number, one finding: when the two numberings name two entries, both belong to it.
    const fresh: Draft = { start, end, parsed: { form: 'lockdown-error', underlying: [] }, readings: [], entryIds: [], notes: [], codes: new Set() };
    const draft = entries.map((id) => lockdownDrafts.get(id)).find((d) => d !== undefined) ?? fresh;
    draft.start = Math.min(draft.start, start);
    draft.end = Math.max(draft.end, end);
    draft.parsed.domain ??= 'lockdownd';
    draft.parsed.code ??= value;
    // The library's wording only when the number has one reading (-16 has two, in two numberings).
    if (libraryText && readings.length === 1) draft.parsed.description ??= libraryText;
    for (const r of readings) addReading(draft, r);
    for (const id of entries) {
      if (!draft.entryIds.includes(id)) draft.entryIds.push(id);
      lockdownDrafts.set(id, draft);
    }
    if (entries.length === 0) lockdownDrafts.set(`number:${value}`, draft);
  }
  for (const draft of new Set(lockdownDrafts.values())) {
    for (const r of draft.readings) draft.codes.add(key(r.domain, r.code));
    drafts.push(draft);
  }
}

/** Codes that carry their own numbering: mobilebackup2 client errors and per-file DeviceLink errors. */
function addNumberedErrors(line: string, index: FailureIndex, drafts: Draft[]): void {
  const receive = MB2_RECEIVE.exec(line);
  if (receive) drafts.push(numberDraft('link-error', 'mobilebackup2-client', Number(receive[1]), receive.index, receive.index + receive[0].length, index));
  FILE_ERROR.lastIndex = 0;
  for (let m = FILE_ERROR.exec(line); m; m = FILE_ERROR.exec(line)) {
    drafts.push(numberDraft('file-error', 'DLFileError', Number(m[1]), m.index, m.index + m[0].length, index));
  }
}

/** Known messages: attached to the code finding they sit in when they belong to that code, a finding of their own otherwise. */
function addMessagePatterns(line: string, index: FailureIndex, drafts: Draft[]): void {
  if (!index.anyPattern?.test(line)) return;
  for (const { entry, regex } of index.patterns) {
    const m = regex.exec(line);
    if (!m) continue;
    const start = m.index;
    const end = m.index + Math.max(m[0].length, 1);
    const host = drafts.find((d) => start < d.end && end > d.start);
    if (host) {
      if (!host.entryIds.includes(entry.id) && fitsParsedCodes(entry, host)) host.entryIds.push(entry.id);
      continue;
    }
    if (drafts.some((d) => d.entryIds.includes(entry.id))) continue;
    drafts.push({ start, end, parsed: { form: 'message', description: m[0], underlying: [] }, readings: [], entryIds: [entry.id], notes: [], codes: new Set() });
  }
}

/** A message of a code-bearing entry belongs to a finding only when the finding parsed none of that entry's codes' domain, or one of its codes. */
function fitsParsedCodes(entry: FailureEntry, draft: Draft): boolean {
  const entryCodes = entry.match.codes ?? [];
  if (entryCodes.length === 0) return true;
  const domains = new Set(entryCodes.map((c) => c.domain));
  const parsedInDomains = [...draft.codes].filter((k) => domains.has(k.slice(0, k.lastIndexOf(':')) as CodeDomain));
  if (parsedInDomains.length === 0) return true;
  return entryCodes.some((c) => draft.codes.has(key(c.domain, c.code)));
}

/** The finding for an MBErrorDomain code with its description, the chain read from the description. */
function mobileBackupDraft(code: number, description: string, start: number, end: number, index: FailureIndex, operation?: FailurePhase): Draft {
  const chain = description ? parseErrorChain(description) : [];
  // The description's first link is the statement's own error unless it names a different code.
  const first = chain[0];
  const ownFirst = first !== undefined && (first.domain === undefined || (first.domain === 'MBErrorDomain' && first.code === code));
  const links = ownFirst ? chain : [{ text: '', start: 0, end: 0 } as ChainLink, ...chain];
  const draft = mobileBackupDraftFromChain(code, links, description, index, operation);
  draft.start = start;
  draft.end = end;
  return draft;
}

/** `chain[0]` is the main error (its text may be empty); the rest are its underlying errors. */
function mobileBackupDraftFromChain(code: number, chain: ChainLink[], wholeText: string, index: FailureIndex, operation?: FailurePhase): Draft {
  const mainText = descriptionProper(chain[0]?.text ?? '');
  const { entries, ambiguous } = chooseVariants('MBErrorDomain', code, [mainText, wholeText], index, operation);
  const notes: LocalizedText[] = [];
  if (ambiguous) notes.push(severalMeaningsNote('MBErrorDomain', code, operation));
  const underlying: UnderlyingError[] = chain.slice(1).map((link) => {
    const linkEntries = link.code !== undefined && isCodeDomain(link.domain) ? chooseVariants(link.domain, Math.abs(link.code), [link.text], index).entries : [];
    return { domain: link.domain, code: link.code, text: link.text, entryIds: linkEntries.map((e) => e.id) };
  });
  const mainReading = reading(code, 'as-written', 'MBErrorDomain', code, index);
  mainReading.entryIds = entries.map((e) => e.id);
  const codes = new Set([key('MBErrorDomain', code)]);
  for (const u of underlying) if (u.domain && u.code !== undefined) codes.add(`${u.domain}:${Math.abs(u.code)}`);
  return {
    start: 0,
    end: 0,
    parsed: { form: 'error-code', domain: 'MBErrorDomain', code, ...(mainText ? { description: mainText } : {}), underlying },
    readings: [mainReading],
    entryIds: unique([...entries.map((e) => e.id), ...underlying.flatMap((u) => u.entryIds)]),
    notes,
    codes,
  };
}

function numberDraft(form: ParsedFailure['form'], domain: CodeDomain, value: number, start: number, end: number, index: FailureIndex): Draft {
  const r = reading(value, 'as-written', domain, value, index);
  return { start, end, parsed: { form, domain, code: value, underlying: [] }, readings: [r], entryIds: [...r.entryIds], notes: [], codes: new Set([key(domain, value)]) };
}

/** Turns a draft into the finding callers see: location, recognised flag, and the notes an unknown or undocumented code needs. */
function finish(draft: Draft, line: string, lineNumber: number, index: FailureIndex): FailureFinding {
  return {
    location: { line: lineNumber, start: draft.start, end: draft.end, text: excerptOf(line, draft.start, draft.end) },
    ...completed(draft, index),
  };
}

function completed(draft: Draft, index: FailureIndex): Omit<FailureFinding, 'location' | 'origin'> {
  const entries = draft.entryIds.map((id) => index.entry(id)).filter((e): e is FailureEntry => e !== undefined);
  const recognised = entries.some((e) => e.certainty !== 'undocumented');
  const notes = [...draft.notes];
  if (entries.length === 0) {
    for (const r of draft.readings) notes.push(unknownNote(codeLabel(r.domain, r.code)));
  } else if (!recognised) {
    notes.push(undocumentedNote());
  }
  return { parsed: draft.parsed, readings: draft.readings, entryIds: draft.entryIds, recognised, notes };
}

/**
 * What the knowledge base says about an MBErrorDomain code reported with a description (the device's
 * ErrorDescription, or a sentence that quotes it): variants chosen by the text, then by the operation.
 */
export function explainMobileBackupCode(code: number, description: string, index: FailureIndex, operation?: FailurePhase): Omit<FailureFinding, 'location' | 'origin'> {
  return completed(mobileBackupDraft(code, description, 0, 0, index, operation), index);
}

function addReading(draft: Draft, r: CodeReading): void {
  if (!draft.readings.some((x) => x.domain === r.domain && x.code === r.code && x.route === r.route)) draft.readings.push(r);
}

function overlapsAny(drafts: readonly Draft[], start: number, end: number): boolean {
  return drafts.some((d) => start < d.end && end > d.start);
}

function key(domain: string, code: number): string {
  return `${domain}:${code}`;
}

/** The description without a log line's time/host/process prefix or iosbr's own sentence around it. */
function descriptionProper(text: string): string {
  const quoted = QUOTED_DEVICE_TEXT.exec(text);
  return (quoted ? quoted[1] : text.replace(LOG_PREFIX, '')).trim();
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

// Python's repr escapes quotes and backslashes inside the description.
function unescapeQuoted(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
