/** The longest line excerpt a finding carries; longer lines are cut around the recognised span. */
export const MAX_EXCERPT_CHARS = 300;

/**
 * Values that must not be echoed back even when the pasted log contains them: idevicebackup2 -d prints
 * "Backup password: …", scripts log "BACKUP_PASSWORD=…" or "--password …", plists carry <key>…Password</key><string>…</string>.
 */
const SECRETS: readonly [RegExp, string][] = [
  [/(password<\/key>\s*<string>)[^<]*/gi, '$1[redacted]'],
  [/(password["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1[redacted]'],
  [/(--(?:new-)?password[= ])\S+/gi, '$1[redacted]'],
];

/** Masks passwords in a piece of text before it is shown or stored. */
export function maskSecrets(text: string): string {
  return SECRETS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** The line, or a window of it around [start, end), cut to MAX_EXCERPT_CHARS and with secrets masked. */
export function excerptOf(line: string, start: number, end: number): string {
  const trimmed = line.trim();
  if (trimmed.length <= MAX_EXCERPT_CHARS) return maskSecrets(trimmed);
  const spanLength = Math.min(end - start, MAX_EXCERPT_CHARS);
  const from = Math.max(0, Math.min(start - Math.floor((MAX_EXCERPT_CHARS - spanLength) / 2), line.length - MAX_EXCERPT_CHARS));
  const window = line.slice(from, from + MAX_EXCERPT_CHARS);
  return maskSecrets(`${from > 0 ? '…' : ''}${window}${from + MAX_EXCERPT_CHARS < line.length ? '…' : ''}`);
}
