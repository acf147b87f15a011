import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEVICE_LOG_FIRST_LINE, looksLikeDeviceLog } from '../../../../src/deviceLog/deviceLogFirstLine';
import { COMMAND_IDS } from '../../../../src/ui/commandIds';
import { REPO_ROOT } from '../../../helpers/simulatorHarness';
import { readRepoJson } from '../repoFiles';

/** The parts of a TextMate grammar file these tests read. */
interface GrammarRule {
  match: string;
  name?: string;
  captures?: Record<string, { name?: string }>;
}
interface GrammarFile {
  scopeName: string;
  repository: Record<string, GrammarRule>;
}

/** The parts of package.json's contributions these tests read. */
interface DeviceLogManifest {
  contributes: {
    languages: Array<{ id: string; extensions: string[]; firstLine: string }>;
    grammars: Array<{ language: string; scopeName: string }>;
    commands: Array<{ command: string; title: string }>;
  };
}

/** The device log language as package.json contributes it (fails the test when it is missing). */
function deviceLogLanguage(pkg: DeviceLogManifest): DeviceLogManifest['contributes']['languages'][number] {
  const language = pkg.contributes.languages.find((l) => l.id === 'ios-device-log');
  assert.ok(language, 'package.json contributes the ios-device-log language');
  return language;
}

/** The grammar's rules; its regular expressions use only syntax JavaScript and Oniguruma share. */
const grammar = readRepoJson<GrammarFile>(path.join('syntaxes', 'ios-device-log.tmLanguage.json'));
const rule = (name: string): GrammarRule => grammar.repository[name];
const regex = (name: string, flags = '') => new RegExp(rule(name).match, flags);

/** The scope name of each capture group of the record rule that matched text. */
function scopes(line: string): Record<string, string> {
  const m = regex('record').exec(line);
  assert.ok(m, `the record rule matches: ${line}`);
  const out: Record<string, string> = {};
  for (const [group, capture] of Object.entries(rule('record').captures ?? {})) {
    const text = m[Number(group)];
    if (text !== undefined && capture.name) out[capture.name.split('.').slice(0, -1).join('.')] = text;
  }
  return out;
}

describe('the ios-device-log TextMate grammar', () => {
  it('is the language contributed in package.json', () => {
    const pkg = readRepoJson<DeviceLogManifest>('package.json');
    const language = deviceLogLanguage(pkg);
    assert.ok(language.extensions.includes('.devicelog'));
    const contributed = pkg.contributes.grammars.find((g) => g.language === 'ios-device-log');
    assert.equal(contributed?.scopeName, grammar.scopeName);
    assert.ok(new RegExp(language.firstLine).test('Nov 23 18:29:22 Support-iPhone profiled[180] <Info>: Checked 4 installed profiles'));
    assert.ok(!new RegExp(language.firstLine).test('2026-11-23 18:29:22 [info] some other log'));
  });
  it('scopes time, device, process, image, pid and level of a record', () => {
    assert.deepEqual(scopes('Nov  3 09:41:07 Support-iPhone SpringBoard(FrontBoard)[64] <Notice>: hello'), {
      'comment.timestamp': 'Nov  3 09:41:07',
      'comment.device': 'Support-iPhone',
      'entity.name.function.process': 'SpringBoard',
      'punctuation.definition.image.begin': '(',
      'entity.name.type.image': 'FrontBoard',
      'punctuation.definition.image.end': ')',
      'punctuation.definition.pid.begin': '[',
      'constant.numeric.pid': '64',
      'punctuation.definition.pid.end': ']',
      'markup.inserted.level.notice': '<Notice>:',
    });
  });
  it('gives each level its own scope', () => {
    const level = (word: string) => Object.entries(scopes(`Nov  3 09:41:07 iPhone p[1] <${word}>: x`)).find(([scope]) => scope.includes('level'))![0];
    assert.equal(level('Error'), 'invalid.illegal.level.error');
    assert.equal(level('Fault'), 'invalid.illegal.level.error');
    assert.equal(level('Warning'), 'keyword.other.level.warning');
    assert.equal(level('Info'), 'markup.inserted.level.notice');
    assert.equal(level('Debug'), 'comment.level.debug');
    assert.equal(level('Trace'), 'keyword.other.level');
  });
  it('marks MobileBackup error codes but not other error domains', () => {
    const codes = (line: string) => line.match(regex('mbErrorCode', 'g')) ?? [];
    assert.deepEqual(codes('ErrorCode 104: Multiple errors (MBErrorDomain/104)'), ['ErrorCode 104', 'MBErrorDomain/104']);
    assert.deepEqual(codes('Error Domain=MBErrorDomain Code=100 (MBErrorDomain:100)'), ['MBErrorDomain Code=100', 'MBErrorDomain:100']);
    assert.deepEqual(codes('File exists (NSPOSIXErrorDomain/17)'), []);
    assert.deepEqual('File exists (NSPOSIXErrorDomain/17) (MBErrorDomain/102)'.match(regex('otherErrorDomain', 'g')), ['NSPOSIXErrorDomain/17']);
  });
  it('marks the closing note and the cut marker as comments', () => {
    assert.ok(regex('note').test('--- The device 0000 disconnected; its log stream ended. (18:31:05) ---'));
    assert.ok(regex('cutMarker').test('Nov  3 09:41:07 iPhone p[1] <Notice>: xxx … [line cut: 42 more bytes]'));
  });
});

describe('the device log contributions', () => {
  const pkg = readRepoJson<DeviceLogManifest>('package.json');
  it('declares every device log command, localised in English and Japanese', () => {
    const contributed = pkg.contributes.commands.filter((c) => c.command.startsWith('iosbr.deviceLog.'));
    assert.deepEqual(contributed.map((c) => c.command).sort(), COMMAND_IDS.filter((id) => id.startsWith('iosbr.deviceLog.')).sort());
    for (const file of ['package.nls.json', 'package.nls.ja.json']) {
      const strings = readRepoJson<Record<string, string | undefined>>(file);
      for (const c of contributed) assert.ok(strings[c.title.slice(1, -1)], `${file} has ${c.title}`);
    }
  });
  it('uses the same first-line pattern in package.json and in the .log detection', () => {
    assert.equal(deviceLogLanguage(pkg).firstLine, DEVICE_LOG_FIRST_LINE);
    assert.ok(looksLikeDeviceLog('Nov  3 09:41:07 iPhone SpringBoard(FrontBoard)[64] <Notice>: x'));
    assert.ok(!looksLikeDeviceLog('--- The device disconnected ---'));
  });
  it('ships the grammar in the extension package', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!syntaxes/**'));
  });
});
