import * as fc from 'fast-check';
import { parsePlist, buildBinaryPlist, buildXmlPlist } from '../../../src/plist';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { plistValueArbitrary, sampleBinaryPlists, sampleXmlPlists } from '../plistSamples';
import { rawBinaryPlistArbitrary } from '../rawBinaryPlist';

/** Binary plists as every reader of the product gets them: through parsePlist, which tells the formats apart. */
export function binaryPlistTarget(): FuzzTarget<Buffer> {
  return {
    name: 'plist-binary',
    arbitrary: fc.oneof(
      { weight: 5, arbitrary: mutatedBytes(sampleBinaryPlists()) },
      { weight: 2, arbitrary: plistValueArbitrary(true).map((value) => buildBinaryPlist(value)) },
      { weight: 2, arbitrary: rawBinaryPlistArbitrary() },
      { weight: 1, arbitrary: randomBytes().map((bytes) => Buffer.concat([Buffer.from('bplist00'), bytes])) },
    ),
    run: (bytes) => parsePlist(bytes),
    describe: (bytes) => hexOf(bytes),
  };
}

/** XML plists (lockdown and usbmux speak them, hosts write Info.plist in them). */
export function xmlPlistTarget(): FuzzTarget<Buffer> {
  return {
    name: 'plist-xml',
    arbitrary: fc.oneof(
      { weight: 5, arbitrary: mutatedBytes(sampleXmlPlists()) },
      { weight: 2, arbitrary: plistValueArbitrary(false).map((value) => Buffer.from(buildXmlPlist(value), 'utf8')) },
      { weight: 2, arbitrary: fc.array(fc.constantFrom(...XML_PIECES), { maxLength: 40 }).map((pieces) => Buffer.from(pieces.join(''), 'utf8')) },
      { weight: 1, arbitrary: randomBytes().map((bytes) => Buffer.concat([Buffer.from('<'), bytes])) },
    ),
    run: (bytes) => parsePlist(bytes),
    describe: (bytes) => hexOf(bytes),
  };
}

/** Tokens of the XML plist grammar, shuffled into documents both well- and ill-formed. */
const XML_PIECES = [
  '<plist version="1.0">', '</plist>', '<dict>', '</dict>', '<dict/>', '<array>', '</array>', '<array/>', '<key>', '</key>', '<string>', '</string>',
  '<integer>', '</integer>', '<real>', '</real>', '<date>', '</date>', '<data>', '</data>', '<true/>', '<false/>', '<true>', '</true>', 'k', '12',
  '-0x8000000000000000', '99999999999999999999999', '1e999', 'nan', '2024-02-30T00:00:00Z', 'AAEC', '====', '&amp;', '&#0;', '&#x110000;', '&bogus;',
  '&', '<!--', '-->', '<![CDATA[', ']]>', '<?xml', '?>', '<!DOCTYPE [', ']>', '<', '>', '/>', '"', "'", ' ', '\n', '\u0000', '\uFEFF', 'é', '\uD800',
];
