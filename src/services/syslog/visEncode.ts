/** Characters that pass through vis(3) unchanged: printable ASCII except the backslash. */
const NEEDS_NO_ENCODING = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * Encodes text the way iOS's syslog_relay does (BSD vis(3), docs/protocol/syslog-relay.md#vis-encoding): each UTF-8 byte ≥ 0x80
 * becomes `\M-x` or `\M^X`, NBSP (0xA0) and the backslash become octal (`\240`, `\134`) as current
 * Apple libc writes them, and control characters become `\^X`. The result is plain ASCII.
 */
export function encodeVis(text: string): string {
  if (NEEDS_NO_ENCODING.test(text)) return text;
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else if (b === 0x5c) out += '\\134';
    else if (b === 0xa0) out += '\\240';
    else if (b < 0x20) out += '\\^' + String.fromCharCode(b ^ 0x40);
    else if (b === 0x7f) out += '\\^?';
    else {
      const low = b & 0x7f;
      if (low < 0x20) out += '\\M^' + String.fromCharCode(low ^ 0x40);
      else if (low === 0x7f) out += '\\M^?';
      else out += '\\M-' + String.fromCharCode(low);
    }
  }
  return out;
}
