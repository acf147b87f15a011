/** The bytes of one record as it arrived (vis-encoded), and how many bytes were cut from its end. */
export interface RawSyslogRecord {
  bytes: Buffer;
  cutBytes: number;
}

/** Longest record kept; iOS lines are far shorter, and a hostile or broken device must not fill memory. */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

const NUL = 0x00;
const NEWLINE = 0x0a;

/**
 * Splits the syslog_relay byte stream into records. Each record ends with "\n" and a NUL byte
 * (docs/protocol/syslog-relay.md#record-framing); like idevicesyslog, any NUL ends a record and the newline before it is dropped.
 * A record longer than the cap keeps its first `maxRecordBytes` bytes and counts the rest, so memory
 * stays bounded whatever the device sends.
 */
export class SyslogRecordFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private cut = 0;
  private lastByte = -1;

  constructor(readonly maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES) {}

  /** Takes received bytes and returns the records they complete. */
  push(chunk: Buffer): RawSyslogRecord[] {
    const records: RawSyslogRecord[] = [];
    let start = 0;
    for (;;) {
      const nul = chunk.indexOf(NUL, start);
      if (nul < 0) {
        // The rest belongs to a record still arriving: copy it, so the chunk itself can be freed.
        if (start < chunk.length) this.keep(Buffer.from(chunk.subarray(start)));
        return records;
      }
      if (nul > start) this.keep(chunk.subarray(start, nul));
      records.push(this.complete());
      start = nul + 1;
    }
  }

  /** The record left unfinished when the stream ended, if any. */
  finish(): RawSyslogRecord | undefined {
    if (this.size === 0 && this.cut === 0) return undefined;
    return this.complete();
  }

  private keep(piece: Buffer): void {
    this.lastByte = piece[piece.length - 1];
    const room = this.maxRecordBytes - this.size;
    if (piece.length <= room) {
      this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    if (room > 0) {
      this.parts.push(piece.subarray(0, room));
      this.size += room;
    }
    this.cut += piece.length - Math.max(room, 0);
  }

  private complete(): RawSyslogRecord {
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    let cutBytes = this.cut;
    // The "\n" that ends every record is framing, not text; it may have been cut already.
    if (this.lastByte === NEWLINE) {
      if (cutBytes > 0) cutBytes--;
      else bytes = bytes.subarray(0, bytes.length - 1);
    }
    this.parts = [];
    this.size = 0;
    this.cut = 0;
    this.lastByte = -1;
    return { bytes, cutBytes };
  }
}
