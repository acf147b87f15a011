import assert from 'node:assert/strict';
import { findErrorCodeMentions } from '../../../src/deviceLog/findErrorCodeMentions';
import { allMbErrorExplanations, explainMbError } from '../../../src/deviceLog/mbErrorExplanations';

describe('MobileBackup error codes in log lines', () => {
  it('finds the spellings tools and the device use', () => {
    const codes = (line: string) => findErrorCodeMentions(line).map((m) => m.code);
    assert.deepEqual(codes('ErrorCode 104: Multiple errors uploading files (MBErrorDomain/104)'), [104, 104]);
    assert.deepEqual(codes('Backup Failed (Error Code 105).'), [105]);
    assert.deepEqual(codes('Failed to upload x: Error Domain=MBErrorDomain Code=100 "I/O" (MBErrorDomain:100)'), [100, 100]);
    assert.deepEqual(codes('idevicebackup2 exited: ErrorCode=-211'), [211]);
    assert.deepEqual(codes('File exists (NSPOSIXErrorDomain/17)'), [], 'other domains are not MobileBackup codes');
  });
  it('gives the exact span of each mention', () => {
    const line = 'refused (MBErrorDomain/211)';
    const [m] = findErrorCodeMentions(line);
    assert.equal(line.slice(m.start, m.end), 'MBErrorDomain/211');
  });
  it('explains the codes of the knowledge base in one sentence plus a fix', () => {
    for (const code of [104, 105, 207, 208, 211, 212]) {
      const e = explainMbError(code)!;
      assert.ok(e.meaning.endsWith('.') && e.fix.endsWith('.'), String(code));
    }
    assert.match(explainMbError(211)!.fix, /Find My/);
    assert.equal(explainMbError(9999), undefined);
    assert.equal(new Set(allMbErrorExplanations().map((e) => e.code)).size, allMbErrorExplanations().length);
  });
});
