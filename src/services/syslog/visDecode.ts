const BACKSLASH = 0x5c;

/** True for a byte that needs no decoding and no escaping: printable ASCII other than the backslash. */
function isPlain(byte: number): boolean {
  return byte >= 0x20 && byte < 0x7f && byte !== BACKSLASH;
}

const isOctal = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x37;

/**
 * Decodes the BSD vis(3) escapes syslog_relay puts on non-ASCII bytes (docs/protocol/syslog-relay.md#vis-encoding) and returns
 * the record as UTF-8 text: `\M-x` → 0x80|x, `\M^X` → 0x80|(X^0x40), `\ddd` (octal, for bytes ≥ 0x80 or
 * printable ASCII) → that byte, `\\` → `\`. Control-character escapes (`\^X`, or octal below 0x20)
 * stay encoded, and raw control bytes the device sent unencoded are encoded the same way, so the
 * result is always one line that cannot drive a terminal.
 */
export function decodeVis(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length && isPlain(bytes[i])) i++;
  // Almost every record is plain ASCII; it needs no second buffer.
  if (i === bytes.length) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  // A raw control byte grows to three bytes; nothing else grows.
  const out = Buffer.allocUnsafe(bytes.length * 3);
  out.set(bytes.subarray(0, i), 0);
  let n = i;
  const put = (...values: number[]) => {
    for (const v of values) out[n++] = v;
  };
  while (i < bytes.length) {
    const b = bytes[i];
    if (b !== BACKSLASH) {
      if (b < 0x20 && b !== 0x09) {
        put(BACKSLASH, 0x5e, b ^ 0x40);
      } else if (b === 0x7f) {
        put(BACKSLASH, 0x5e, 0x3f);
      } else {
        put(b);
      }
      i++;
      continue;
    }
    const next = bytes[i + 1];
    const third = bytes[i + 2];
    const fourth = bytes[i + 3];
    if (next === 0x4d /* M */ && third === 0x2d /* - */ && fourth !== undefined) {
      put(0x80 | (fourth & 0x7f));
      i += 4;
    } else if (next === 0x4d && third === 0x5e /* ^ */ && fourth !== undefined && ((fourth >= 0x40 && fourth <= 0x5f) || fourth === 0x3f)) {
      put(0x80 | (fourth ^ 0x40));
      i += 4;
    } else if (next === BACKSLASH) {
      put(BACKSLASH);
      i += 2;
    } else if (isOctal(next) && isOctal(third) && isOctal(fourth) && next <= 0x33) {
      const value = ((next - 0x30) << 6) | ((third - 0x30) << 3) | (fourth - 0x30);
      if (value >= 0x80 || (value >= 0x20 && value < 0x7f)) {
        put(value);
      } else {
        // Control characters stay escaped, as goios does: decoding them would let a log line move the cursor.
        put(BACKSLASH, next, third, fourth);
      }
      i += 4;
    } else {
      // `\^X` and anything unknown are kept as sent.
      put(BACKSLASH);
      i++;
    }
  }
  return out.toString('utf8', 0, n);
}
