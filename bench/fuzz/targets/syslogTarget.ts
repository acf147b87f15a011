import * as fc from 'fast-check';
import { parseSyslogRecord } from '../../../src/services/syslog/parseSyslogRecord';
import { SyslogRecordFramer } from '../../../src/services/syslog/syslogRecordFramer';
import { encodeSyslogWireRecord } from '../../../src/services/syslog/syslogWireRecord';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { splitAt } from './usbmuxTarget';

/** A small record cap, so over-long records and their cut counts are reached with short inputs. */
const MAX_RECORD_BYTES = 256;

/** The syslog_relay byte stream in arbitrary pieces: framed, vis-decoded and parsed as SyslogRelayService does. */
export function syslogRelayTarget(): FuzzTarget<{ bytes: Buffer; cuts: number[] }> {
  const time = 'Nov 23 18:29:22';
  const samples = [
    encodeSyslogWireRecord({ time, device: 'Support-iPhone', process: 'BackupAgent2', pid: 42, level: 'Notice', message: 'Uploaded /var/mobile/Media/DCIM/IMG_0042.HEIC' }),
    encodeSyslogWireRecord({ time, device: 'Support-iPhone', process: 'SpringBoard', image: 'FrontBoard', pid: 7, level: 'Error', message: '設定のアップデート \\ \u0007 \u007f tab\there' }),
    Buffer.concat([Buffer.from('Nov  3 09:41:07 iPhone kernel[0] <Notice>: \\M-C\\M-) \\M^@ \\303\\251 \\^[ \\012 \\\\ \\'), Buffer.from([0x0a, 0x00, 0x0a, 0x00])]),
  ];
  return {
    name: 'syslog-relay',
    arbitrary: fc.record({
      bytes: fc.oneof({ weight: 5, arbitrary: mutatedBytes([Buffer.concat(samples), ...samples]) }, { weight: 1, arbitrary: randomBytes(600) }),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    run({ bytes, cuts }) {
      const framer = new SyslogRecordFramer(MAX_RECORD_BYTES);
      const records = splitAt(bytes, cuts).flatMap((piece) => framer.push(piece));
      const last = framer.finish();
      if (last) records.push(last);
      for (const raw of records) {
        if (raw.bytes.length > MAX_RECORD_BYTES) throw new Error(`a record of ${raw.bytes.length} bytes passed the ${MAX_RECORD_BYTES}-byte cap`);
        const entry = parseSyslogRecord(raw);
        // decodeVis promises one line that cannot drive a terminal: no raw control characters but tab.
        const text = entry.kind === 'record' ? `${entry.time}${entry.device}${entry.process}${entry.level}${entry.message}` : entry.text;
        if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) throw new Error(`a decoded record kept a raw control character: ${JSON.stringify(text.slice(0, 80))}`);
      }
    },
    describe: ({ bytes, cuts }) => `${hexOf(bytes)} cut at ${cuts.join(',')}`,
  };
}
