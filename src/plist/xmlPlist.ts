import { PLIST_MAX_DEPTH, PLIST_MAX_OBJECTS } from './limits';
import { asPlistFormatError, PlistFormatError } from './plistFormatError';
import { isPlistDict, PLIST_INTEGER_MAX, PLIST_INTEGER_MIN, plistIntegerOf, plistIntegerValue, PlistReal, PlistUid, setPlistEntry, type PlistDict, type PlistValue } from './types';

const XML_HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

/** Parses an XML property list (Apple or libplist style); throws PlistFormatError on anything malformed. */
export function parseXmlPlist(text: string | Buffer): PlistValue {
  try {
    return new XmlPlistParser(normalizeXmlText(text)).parseDocument();
  } catch (error) {
    throw asPlistFormatError(error, 'XML');
  }
}

/** Writes a value as an XML property list, byte for byte in the layout Apple and libplist use. */
export function buildXmlPlist(value: PlistValue): string {
  const lines: string[] = [];
  writeValue(value, 0, lines, new Set());
  return `${XML_HEADER}${lines.join('\n')}\n</plist>\n`;
}

// ---------------------------------------------------------------------------------------------
// Reading

function fail(reason: string): never {
  throw new PlistFormatError(`The XML property list is malformed: ${reason}.`);
}

/**
 * Decodes bytes as UTF-8 and turns raw control characters into spaces: devices since iOS 4.3
 * put them into <string>s, and libimobiledevice reads such documents the same lenient way.
 */
function normalizeXmlText(input: string | Buffer): string {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  return text.replace(/^\uFEFF/, '').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, ' ');
}

type XmlToken =
  | { kind: 'open'; name: string; empty: boolean }
  | { kind: 'close'; name: string }
  | { kind: 'text'; text: string }
  | { kind: 'end' };

const NAME = /[A-Za-z_:][\w.:-]*/y;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Splits the document into tags and decoded text, skipping declarations, DOCTYPE and comments. */
class XmlTokenizer {
  private pos = 0;

  constructor(private readonly src: string) {}

  next(): XmlToken {
    const src = this.src;
    while (this.pos < src.length) {
      const start = this.pos;
      const lt = src.indexOf('<', start);
      if (lt !== start) {
        this.pos = lt < 0 ? src.length : lt;
        return { kind: 'text', text: decodeEntities(src.slice(start, this.pos)) };
      }
      if (src.startsWith('<!--', start)) {
        this.pos = this.skipPast('-->', start + 4, 'a comment');
      } else if (src.startsWith('<?', start)) {
        this.pos = this.skipPast('?>', start + 2, 'a processing instruction');
      } else if (src.startsWith('<![CDATA[', start)) {
        this.pos = this.skipPast(']]>', start + 9, 'a CDATA section');
        return { kind: 'text', text: src.slice(start + 9, this.pos - 3) };
      } else if (src.startsWith('<!', start)) {
        this.pos = this.skipDeclaration(start + 2);
      } else {
        return this.readTag(start);
      }
    }
    return { kind: 'end' };
  }

  private skipPast(terminator: string, from: number, what: string): number {
    const end = this.src.indexOf(terminator, from);
    if (end < 0) fail(`${what} is not terminated`);
    return end + terminator.length;
  }

  /** Skips <!DOCTYPE …>, including an internal subset in brackets and quoted strings. */
  private skipDeclaration(from: number): number {
    const src = this.src;
    let quote = '';
    let brackets = 0;
    for (let i = from; i < src.length; i++) {
      const c = src[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[') brackets++;
      else if (c === ']') brackets--;
      else if (c === '>' && brackets <= 0) return i + 1;
    }
    return fail('a <!DOCTYPE> declaration is not terminated');
  }

  private readTag(start: number): XmlToken {
    const src = this.src;
    const closing = src[start + 1] === '/';
    NAME.lastIndex = start + (closing ? 2 : 1);
    const match = NAME.exec(src);
    if (!match) fail('a "<" does not start a tag');
    const name = match[0];
    let quote = '';
    let i = NAME.lastIndex;
    for (; i < src.length; i++) {
      const c = src[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
      else if (c === '<') break;
    }
    if (i >= src.length || src[i] !== '>') fail(`the tag <${closing ? '/' : ''}${name}> is not terminated`);
    const rest = src.slice(NAME.lastIndex, i);
    this.pos = i + 1;
    if (closing) {
      if (rest.trim() !== '') fail(`the closing tag </${name}> has attributes`);
      return { kind: 'close', name };
    }
    if (rest !== '' && !/^[\s/]/.test(rest)) fail(`the tag <${name}${rest}> is malformed`);
    return { kind: 'open', name, empty: rest.trimEnd().endsWith('/') };
  }
}

/** Replaces the five XML entities and numeric character references; any other "&" is an error. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  const parts: string[] = [];
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp);
    if (semi < 0 || semi - amp > 10) fail('an "&" does not start an entity');
    parts.push(raw.slice(from, amp), decodeEntity(raw.slice(amp + 1, semi)));
    from = semi + 1;
  }
  parts.push(raw.slice(from));
  return parts.join('');
}

function decodeEntity(name: string): string {
  if (Object.hasOwn(NAMED_ENTITIES, name)) return NAMED_ENTITIES[name];
  const code = /^#[0-9]+$/.test(name) ? Number(name.slice(1)) : /^#x[0-9A-Fa-f]+$/.test(name) ? parseInt(name.slice(2), 16) : NaN;
  if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) fail(`the entity "&${name};" is not known`);
  return String.fromCodePoint(code);
}

/** Recursive descent over the tokens, bounded in depth and in the number of values produced. */
class XmlPlistParser {
  private readonly tokens: XmlTokenizer;
  private produced = 0;

  constructor(text: string) {
    this.tokens = new XmlTokenizer(text);
  }

  parseDocument(): PlistValue {
    const first = this.nextTag();
    let value: PlistValue;
    if (first.kind === 'open' && first.name === 'plist') {
      if (first.empty) fail('the <plist> element is empty');
      value = this.parseValue(this.nextTag(), 0);
      this.expectClose('plist', this.nextTag());
    } else {
      value = this.parseValue(first, 0);
    }
    if (this.nextTag().kind !== 'end') fail('there is content after the top-level value');
    return value;
  }

  /** The next tag or the end, skipping whitespace; other text between elements is an error. */
  private nextTag(): XmlToken {
    for (;;) {
      const token = this.tokens.next();
      if (token.kind !== 'text') return token;
      if (token.text.trim() !== '') fail('text appears outside a value element');
    }
  }

  private expectClose(name: string, token: XmlToken): void {
    if (token.kind === 'close' && token.name === name) return;
    fail(token.kind === 'end' ? `<${name}> is not closed` : `<${name}> is closed by ${describe(token)}`);
  }

  private parseValue(token: XmlToken, depth: number): PlistValue {
    if (token.kind !== 'open') fail(`a value was expected but ${describe(token)} was found`);
    if (++this.produced > PLIST_MAX_OBJECTS) fail(`it holds more than ${PLIST_MAX_OBJECTS} values`);
    switch (token.name) {
      case 'dict':
        return this.parseDict(token.empty, depth + 1);
      case 'array':
        return this.parseArray(token.empty, depth + 1);
      case 'string':
        return this.readText(token);
      case 'integer':
        return parseInteger(this.readText(token));
      case 'real':
        return parseReal(this.readText(token));
      case 'date':
        return parseDate(this.readText(token));
      case 'data':
        return parseBase64(this.readText(token));
      case 'true':
      case 'false':
        if (this.readText(token).trim() !== '') fail(`<${token.name}> has content`);
        return token.name === 'true';
      default:
        return fail(`<${token.name}> is not a property-list element`);
    }
  }

  private parseDict(empty: boolean, depth: number): PlistDict {
    checkDepth(depth);
    const dict: PlistDict = {};
    if (empty) return dict;
    for (let token = this.nextTag(); !(token.kind === 'close' && token.name === 'dict'); token = this.nextTag()) {
      if (token.kind !== 'open' || token.name !== 'key') return unexpectedIn('dict', token, '<key>');
      const key = this.readText(token);
      setPlistEntry(dict, key, this.parseValue(this.nextTag(), depth));
    }
    return dict;
  }

  private parseArray(empty: boolean, depth: number): PlistValue[] {
    checkDepth(depth);
    const items: PlistValue[] = [];
    if (empty) return items;
    for (let token = this.nextTag(); !(token.kind === 'close' && token.name === 'array'); token = this.nextTag()) {
      if (token.kind !== 'open') return unexpectedIn('array', token, 'a value');
      items.push(this.parseValue(token, depth));
    }
    return items;
  }

  /** The text content of a leaf element; leaf elements may not contain other elements. */
  private readText(open: { name: string; empty: boolean }): string {
    if (open.empty) return '';
    const parts: string[] = [];
    for (;;) {
      const token = this.tokens.next();
      if (token.kind === 'text') parts.push(token.text);
      else if (token.kind === 'open') fail(`<${token.name}> appears inside <${open.name}>`);
      else {
        this.expectClose(open.name, token);
        return parts.join('');
      }
    }
  }
}

function unexpectedIn(container: string, token: XmlToken, expected: string): never {
  if (token.kind === 'end') fail(`<${container}> is not closed`);
  if (token.kind === 'close') fail(`<${container}> is closed by </${token.name}>`);
  return fail(`${describe(token)} appears in <${container}> where ${expected} was expected`);
}

function describe(token: XmlToken): string {
  if (token.kind === 'open') return `<${token.name}>`;
  if (token.kind === 'close') return `</${token.name}>`;
  return token.kind === 'end' ? 'the end of the document' : 'text';
}

function checkDepth(depth: number): void {
  if (depth > PLIST_MAX_DEPTH) fail(`containers are nested deeper than ${PLIST_MAX_DEPTH} levels`);
}

/** Decimal (or 0x-hex, as libplist accepts) integers in the 64-bit range; large ones become bigint. */
function parseInteger(text: string): number | bigint {
  const match = /^([+-]?)(?:0x([0-9A-Fa-f]+)|([0-9]+))$/.exec(text.trim());
  if (!match) fail(`"${clip(text)}" is not an integer`);
  // Leading zeros are dropped and long digit runs refused before BigInt, whose parsing is superlinear.
  const digits = (match[2] ?? match[3]).replace(/^0+(?=.)/, '');
  if (digits.length > 20) fail(`the integer ${clip(text)} is out of range`);
  const magnitude = BigInt(match[2] === undefined ? digits : `0x${digits}`);
  const value = match[1] === '-' ? -magnitude : magnitude;
  if (value < PLIST_INTEGER_MIN || value > PLIST_INTEGER_MAX) fail(`the integer ${clip(text)} is out of range`);
  return plistIntegerValue(value);
}

function parseReal(text: string): number {
  const t = text.trim();
  if (/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  const special = t.toLowerCase();
  if (special === 'nan') return NaN;
  if (/^\+?inf(inity)?$/.test(special)) return Infinity;
  if (/^-inf(inity)?$/.test(special)) return -Infinity;
  return fail(`"${clip(text)}" is not a real number`);
}

/** ISO-8601 in UTC as Apple writes it; fractional seconds are tolerated, other zones are not. */
function parseDate(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/.exec(text.trim());
  if (!m) fail(`"${clip(text)}" is not an ISO-8601 date`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0);
  // Date quietly rolls 2024-02-30 over into March; a field that changed means the input was invalid.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    fail(`"${clip(text)}" is not a valid date`);
  }
  return date;
}

/** Base64 with any whitespace in between (writers wrap lines); padding may be omitted. */
function parseBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1 || (compact.includes('=') && compact.length % 4 !== 0)) {
    fail('a <data> element is not valid base64');
  }
  return Buffer.from(compact, 'base64');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Writing

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function writeValue(value: PlistValue, indent: number, lines: string[], ancestors: Set<object>): void {
  const tabs = '\t'.repeat(indent);
  if (typeof value === 'string') lines.push(`${tabs}<string>${escapeXml(value)}</string>`);
  else if (typeof value === 'boolean') lines.push(`${tabs}<${value}/>`);
  else if (typeof value === 'number' || typeof value === 'bigint') {
    const integer = plistIntegerOf(value);
    if (integer === undefined) lines.push(`${tabs}<real>${formatReal(Number(value))}</real>`);
    else if (integer < PLIST_INTEGER_MIN || integer > PLIST_INTEGER_MAX) throw new RangeError(`The integer ${integer} does not fit in a property list.`);
    else lines.push(`${tabs}<integer>${integer}</integer>`);
  } else if (value instanceof PlistReal) lines.push(`${tabs}<real>${formatReal(value.value)}</real>`);
  else if (value instanceof PlistUid) {
    // XML has no UID type; Apple writes the NSKeyedArchiver reference as this one-key dictionary.
    lines.push(`${tabs}<dict>`, `${tabs}\t<key>CF$UID</key>`, `${tabs}\t<integer>${value.value}</integer>`, `${tabs}</dict>`);
  } else if (value instanceof Date) lines.push(`${tabs}<date>${formatDate(value)}</date>`);
  else if (Buffer.isBuffer(value)) writeData(value, indent, lines);
  else if (Array.isArray(value) || isPlistDict(value)) {
    if (ancestors.has(value)) throw new TypeError('A property list cannot contain itself.');
    ancestors.add(value);
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${tabs}<array/>`);
      else {
        lines.push(`${tabs}<array>`);
        for (const item of value) writeValue(item, indent + 1, lines, ancestors);
        lines.push(`${tabs}</array>`);
      }
    } else {
      const keys = Object.keys(value);
      if (keys.length === 0) lines.push(`${tabs}<dict/>`);
      else {
        lines.push(`${tabs}<dict>`);
        for (const key of keys) {
          lines.push(`${tabs}\t<key>${escapeXml(key)}</key>`);
          writeValue(value[key], indent + 1, lines, ancestors);
        }
        lines.push(`${tabs}</dict>`);
      }
    }
    ancestors.delete(value);
  } else {
    throw new TypeError(`A ${value === null ? 'null' : typeof value} value cannot be written to a property list.`);
  }
}

/** Base64 lines that, with their tab indentation counted as 8 columns, stay within 76 columns (indent capped at 8). */
function writeData(data: Buffer, indent: number, lines: string[]): void {
  const tabs = '\t'.repeat(indent);
  const bytesPerLine = Math.floor((76 - Math.min(indent, 8) * 8) / 4) * 3;
  lines.push(`${tabs}<data>`);
  for (let i = 0; i < data.length; i += bytesPerLine) {
    lines.push(tabs + data.subarray(i, i + bytesPerLine).toString('base64'));
  }
  lines.push(`${tabs}</data>`);
}

/** printf("%.17g") as Apple and libplist use, so every double round-trips; zero is written "0.0" like libplist. */
function formatReal(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return '+infinity';
  if (value === -Infinity) return '-infinity';
  if (value === 0) return '0.0';
  const [mantissa, exponentText] = value.toExponential(16).split('e');
  const exponent = Number(exponentText);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exponent < -4 || exponent >= 17) {
    return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(value.toFixed(16 - exponent));
}

/** ISO-8601 in UTC without milliseconds, the only form Apple's parser accepts. */
function formatDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new RangeError('A date outside years 0–9999 cannot be written to an XML property list.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
