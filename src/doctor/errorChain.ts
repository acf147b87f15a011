/** One error of a chain as written in a description: its domain and code (when written) and its text. */
export interface ChainLink {
  domain?: string;
  code?: number;
  text: string;
  /** Offsets of the link (its domain/code mention when it has one) within the description. */
  start: number;
  end: number;
}

/** At most this many links are read from one description (a chain is normally two or three deep). */
const MAX_LINKS = 16;

/**
 * The ways a description writes a domain and code: "(MBErrorDomain/105)" (ErrorDescription),
 * "Error Domain=NSPOSIXErrorDomain Code=17 "File exists"" (NSError), "MBErrorDomain:100" (BackupAgent2),
 * "MBErrorDomain Code=200" (AppleMobileBackup) and "MBErrorDomain, code 100".
 */
const MENTION = /\((\w+Domain)\/(-?\d{1,10})\)|\bDomain=(\w+) Code=(-?\d{1,10})(?: "([^"]{0,500})")?|\b(MBErrorDomain)(?::\s*| Code=|, code )(-?\d{1,10})\b/g;

/** ErrorDescription separates the links of a chain with this marker. */
const UNDERLYING = /Underlying error:/gi;

/** Punctuation and prefixes around a link's text that are not part of it. */
const LEADING_NOISE = /^(?:[\s.:;,)]+|ErrorCode -?\d+:|\(device:)+/i;
const TRAILING_NOISE = /[\s.:;,(]+$/;

/**
 * Splits an error description into its chain, outermost first: ErrorDescription's
 * "<text> (Domain/code). Underlying error: <text> (Domain/code)" and NSError's nested
 * "Error Domain=… Code=… "<text>"" both read that way. A link whose code is not written
 * ("Underlying error: MKBKeyBagUnlock error (-3)") has no domain.
 */
export function parseErrorChain(description: string): ChainLink[] {
  const links: ChainLink[] = [];
  for (const [from, to] of segmentBounds(description)) {
    const segment = description.slice(from, to);
    let textStart = 0;
    let mentioned = false;
    MENTION.lastIndex = 0;
    for (let m = MENTION.exec(segment); m && links.length < MAX_LINKS; m = MENTION.exec(segment)) {
      mentioned = true;
      // NSError puts the text after the code; ErrorDescription puts it before.
      const text = m[5] !== undefined ? m[5] : segment.slice(textStart, m.index);
      links.push({ domain: m[1] ?? m[3] ?? m[6], code: Number(m[2] ?? m[4] ?? m[7]), text: clean(text), start: from + m.index, end: from + m.index + m[0].length });
      textStart = m.index + m[0].length;
    }
    const text = clean(segment);
    if (!mentioned && text && links.length < MAX_LINKS) links.push({ text, start: from, end: to });
  }
  return links;
}

function segmentBounds(description: string): [number, number][] {
  const bounds: [number, number][] = [];
  let from = 0;
  UNDERLYING.lastIndex = 0;
  for (let m = UNDERLYING.exec(description); m && bounds.length < MAX_LINKS; m = UNDERLYING.exec(description)) {
    bounds.push([from, m.index]);
    from = m.index + m[0].length;
  }
  bounds.push([from, description.length]);
  return bounds;
}

function clean(text: string): string {
  return text.replace(LEADING_NOISE, '').replace(TRAILING_NOISE, '').replace(/\s+/g, ' ').trim();
}
