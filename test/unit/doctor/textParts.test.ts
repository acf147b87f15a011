import * as assert from 'node:assert/strict';
import { boundedLines, linesOfText } from '../../../src/doctor/boundedLines';
import { parseErrorChain } from '../../../src/doctor/errorChain';
import { excerptOf, maskSecrets } from '../../../src/doctor/textExcerpt';

async function collect(chunks: (string | Uint8Array)[], max: number): Promise<[string, boolean][]> {
  async function* source(): AsyncGenerator<string | Uint8Array> {
    yield* chunks;
  }
  const out: [string, boolean][] = [];
  for await (const line of boundedLines(source(), max)) out.push([line.text, line.cut]);
  return out;
}

describe('doctor: parseErrorChain', () => {
  it('ErrorDescription with ". Underlying error:" links, outermost first', () => {
    const chain = parseErrorChain(
      'Failed to move the incomplete restore directory into place at path /var/.backup.i (MBErrorDomain/102). Underlying error: The operation couldn’t be completed. (NSCocoaErrorDomain/516). Underlying error: File exists (NSPOSIXErrorDomain/17).',
    );
    assert.deepEqual(chain.map((l) => [l.domain, l.code, l.text]), [
      ['MBErrorDomain', 102, 'Failed to move the incomplete restore directory into place at path /var/.backup.i'],
      ['NSCocoaErrorDomain', 516, 'The operation couldn’t be completed'],
      ['NSPOSIXErrorDomain', 17, 'File exists'],
    ]);
  });

  it('NSError with a nested NSUnderlyingError', () => {
    const chain = parseErrorChain('Error Domain=MBErrorDomain Code=100 "Input/output error (5)" UserInfo={NSUnderlyingError=0x1 {Error Domain=NSPOSIXErrorDomain Code=5 "Input/output error"}}');
    assert.deepEqual(chain.map((l) => [l.domain, l.code, l.text]), [['MBErrorDomain', 100, 'Input/output error (5)'], ['NSPOSIXErrorDomain', 5, 'Input/output error']]);
  });

  it('a main error without its own code, and an underlying error without a domain', () => {
    assert.deepEqual(parseErrorChain('Error setting WillEncrypt value in lockdown. Underlying error: Cannot remove (MBErrorDomain/22)').map((l) => [l.domain, l.code, l.text]), [
      [undefined, undefined, 'Error setting WillEncrypt value in lockdown'],
      ['MBErrorDomain', 22, 'Cannot remove'],
    ]);
    assert.deepEqual(parseErrorChain('Invalid password (MBErrorDomain/207). Underlying error: MKBKeyBagUnlock error (-3).').map((l) => l.text), ['Invalid password', 'MKBKeyBagUnlock error (-3)']);
  });

  it('the BackupAgent2 and AppleMobileBackup spellings', () => {
    assert.deepEqual(parseErrorChain('Failed to upload <private> MBErrorDomain:100').map((l) => [l.domain, l.code]), [['MBErrorDomain', 100]]);
    assert.deepEqual(parseErrorChain('_stopWithError: MBErrorDomain Code=200').map((l) => [l.domain, l.code]), [['MBErrorDomain', 200]]);
  });
});

describe('doctor: line splitting with a length cap', () => {
  it('joins lines split across chunks and strips CR', async () => {
    assert.deepEqual(await collect(['ab', 'c\r', '\nde', 'f\n', 'g'], 100), [['abc', false], ['def', false], ['g', false]]);
  });

  it('keeps only the start of a long line and marks it cut', async () => {
    assert.deepEqual(await collect(['0123456789', 'abcdef\nxy\n'], 8), [['01234567', true], ['xy', false]]);
  });

  it('decodes a UTF-8 character split between chunks', async () => {
    const bytes = Buffer.from('探す\n');
    assert.deepEqual(await collect([bytes.subarray(0, 2), bytes.subarray(2, 4), bytes.subarray(4)], 10), [['探す', false]]);
  });

  it('linesOfText: the same split for text in memory', () => {
    assert.deepEqual([...linesOfText('a\r\nbb\n\nccc', 2)].map((l) => [l.text, l.cut]), [['a', false], ['bb', false], ['', false], ['cc', true]]);
    assert.deepEqual([...linesOfText('', 5)], []);
    assert.deepEqual([...linesOfText('x\n', 5)].map((l) => l.text), ['x']);
  });
});

describe('doctor: excerpts never carry a password', () => {
  it('masks the forms logs and scripts use', () => {
    assert.equal(maskSecrets('Backup password: hunter2'), 'Backup password: [redacted]');
    assert.equal(maskSecrets('BACKUP_PASSWORD=abc idevicebackup2 restore'), 'BACKUP_PASSWORD=[redacted] idevicebackup2 restore');
    assert.equal(maskSecrets('idevicebackup2 restore --password abc /b'), 'idevicebackup2 restore --password [redacted] /b');
    assert.equal(maskSecrets('<key>NewPassword</key><string>abc</string>'), '<key>NewPassword</key><string>[redacted]</string>');
    assert.equal(maskSecrets('The password you entered to protect your iPhone backup could not be set.'), 'The password you entered to protect your iPhone backup could not be set.');
  });

  it('cuts a long line around the span', () => {
    const line = `${'a'.repeat(1000)}ErrorCode 211${'b'.repeat(1000)}`;
    const excerpt = excerptOf(line, 1000, 1013);
    assert.ok(excerpt.length <= 302);
    assert.match(excerpt, /^…a+ErrorCode 211b+…$/);
  });
});
