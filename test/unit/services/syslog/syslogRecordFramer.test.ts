import assert from 'node:assert/strict';
import { SyslogRecordFramer } from '../../../../src/services/syslog/syslogRecordFramer';

const texts = (records: { bytes: Buffer }[]) => records.map((r) => r.bytes.toString('latin1'));

describe('syslog_relay record framing', () => {
  it('splits on NUL and drops the newline before it', () => {
    const framer = new SyslogRecordFramer();
    assert.deepEqual(texts(framer.push(Buffer.from('one\n\0two\n\0'))), ['one', 'two']);
    assert.equal(framer.finish(), undefined);
  });
  it('joins records split across chunks, byte by byte if need be', () => {
    const framer = new SyslogRecordFramer();
    const all: string[] = [];
    for (const byte of Buffer.from('first line\n\0second\n\0')) all.push(...texts(framer.push(Buffer.from([byte]))));
    assert.deepEqual(all, ['first line', 'second']);
  });
  it('treats any NUL as the end of a record, as idevicesyslog does', () => {
    assert.deepEqual(texts(new SyslogRecordFramer().push(Buffer.from('no newline\0'))), ['no newline']);
  });
  it('cuts an over-long record at the cap and counts what it dropped', () => {
    const framer = new SyslogRecordFramer(10);
    const [record] = framer.push(Buffer.concat([Buffer.from('x'.repeat(25) + '\n'), Buffer.from([0])]));
    assert.equal(record.bytes.toString(), 'x'.repeat(10));
    assert.equal(record.cutBytes, 15, 'the framing newline is not counted');
    assert.deepEqual(texts(framer.push(Buffer.from('next\n\0'))), ['next'], 'the record after a cut one is whole');
  });
  it('never keeps more than the cap of a record that never ends', () => {
    const framer = new SyslogRecordFramer(1000);
    for (let i = 0; i < 1000; i++) assert.equal(framer.push(Buffer.alloc(64 * 1024, 0x41)).length, 0);
    const rest = framer.finish()!;
    assert.equal(rest.bytes.length, 1000);
    assert.equal(rest.cutBytes, 1000 * 64 * 1024 - 1000);
  });
  it('gives back the unfinished record at the end of the stream', () => {
    const framer = new SyslogRecordFramer();
    framer.push(Buffer.from('half a rec'));
    assert.equal(framer.finish()!.bytes.toString(), 'half a rec');
  });
});
