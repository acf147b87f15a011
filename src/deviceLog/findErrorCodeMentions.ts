/** Where a line names a MobileBackup error code. */
export interface ErrorCodeMention {
  code: number;
  /** Offsets of the whole mention ("MBErrorDomain/211") in the line. */
  start: number;
  end: number;
}

/**
 * The ways logs name an MBErrorDomain code: idevicebackup2's "ErrorCode 104" and "(Error Code 104)",
 * descriptions' "(MBErrorDomain/211)", BackupAgent2's "MBErrorDomain:100" and NSError's
 * "MBErrorDomain Code=200". Other domains (NSPOSIXErrorDomain/17 …) are not MobileBackup codes.
 */
const MENTION = /\b(?:ErrorCode[ =:]\s*|Error Code |MBErrorDomain(?:\/|:| Code=|, code ))(-?\d{1,6})\b/g;

/** Finds the MobileBackup error codes a line mentions. */
export function findErrorCodeMentions(line: string): ErrorCodeMention[] {
  const found: ErrorCodeMention[] = [];
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(line); m; m = MENTION.exec(line)) {
    // idevicebackup2 reports failures as negative exit codes ("-211"); the device code is the magnitude.
    found.push({ code: Math.abs(Number(m[1])), start: m.index, end: m.index + m[0].length });
  }
  return found;
}
