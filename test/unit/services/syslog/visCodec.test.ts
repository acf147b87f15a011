import assert from 'node:assert/strict';
import { decodeVis } from '../../../../src/services/syslog/visDecode';
import { encodeVis } from '../../../../src/services/syslog/visEncode';

const decode = (text: string) => decodeVis(Buffer.from(text, 'latin1'));

describe('vis(3) decoding of syslog_relay records', () => {
  it('leaves plain ASCII alone', () => {
    assert.equal(decode('backupd[87] <Notice>: nothing to do'), 'backupd[87] <Notice>: nothing to do');
  });
  it('decodes \\M-x meta escapes into UTF-8 text', () => {
    // "é" is C3 A9: 0xC3 = 0x80|'C', 0xA9 = 0x80|')'.
    assert.equal(decode('caf\\M-C\\M-)'), 'café');
    // "設" is E8 A8 AD.
    assert.equal(decode('\\M-h\\M-(\\M--'), '設');
  });
  it('decodes \\M^X meta-control escapes (0x80–0x9F and 0xFF)', () => {
    // "–" (en dash) is E2 80 93: 0x80 = 0x80|(0x40^0x40) → \M^@, 0x93 = 0x80|(0x53^0x40) → \M^S.
    assert.equal(decode('a \\M-b\\M^@\\M^S b'), 'a – b');
    assert.equal(decodeVis(Buffer.from('\\M^?', 'latin1'))[0], '\ufffd', '0xFF alone is not UTF-8');
  });
  it('decodes three-digit octal for bytes ≥ 0x80 and printable ASCII, and the two backslash spellings', () => {
    assert.equal(decode('a\\M-B\\240b'), 'a\u00a0b', 'NBSP is C2 A0; Apple writes the A0 byte in octal');
    assert.equal(decode('C:\\134Users'), 'C:\\Users');
    assert.equal(decode('C:\\\\Users'), 'C:\\Users');
    assert.equal(decode('\\101'), 'A');
  });
  it('keeps control-character escapes encoded (\\^X and octal controls)', () => {
    assert.equal(decode('line\\^Jnext'), 'line\\^Jnext');
    assert.equal(decode('bell\\007'), 'bell\\007');
  });
  it('encodes raw control bytes, so a record is always one line and cannot drive a terminal', () => {
    assert.equal(decodeVis(Buffer.from('a\nb\x1b[31mc\x7f', 'latin1')), 'a\\^Jb\\^[[31mc\\^?');
    assert.equal(decodeVis(Buffer.from('tab\there', 'latin1')), 'tab\there');
  });
  it('keeps a lone or unknown backslash as sent', () => {
    assert.equal(decode('end\\'), 'end\\');
    assert.equal(decode('\\q'), '\\q');
    assert.equal(decode('\\M-'), '\\M-');
  });
  it('accepts raw UTF-8 from devices that do not encode', () => {
    assert.equal(decodeVis(Buffer.from('Büro 設定', 'utf8')), 'Büro 設定');
  });
});

describe('vis(3) encoding on the simulated device', () => {
  it('produces plain ASCII that decodes back to the text', () => {
    for (const text of ['plain', 'Profile "WLAN Büro – Zentrale"', '設定のアップデートがあります', 'back\\slash', 'nbsp\u00a0here', 'ÿ']) {
      const encoded = encodeVis(text);
      assert.match(encoded, /^[\x20-\x7e]*$/, text);
      assert.equal(decode(encoded), text, text);
    }
  });
  it('uses the spellings Apple libc writes: octal for the backslash and NBSP, \\M- and \\M^ otherwise', () => {
    assert.equal(encodeVis('\\'), '\\134');
    assert.equal(encodeVis('\u00a0'), '\\M-B\\240');
    assert.equal(encodeVis('é'), '\\M-C\\M-)');
    assert.equal(encodeVis('–'), '\\M-b\\M^@\\M^S');
    assert.equal(encodeVis('a\nb'), 'a\\^Jb');
  });
});
