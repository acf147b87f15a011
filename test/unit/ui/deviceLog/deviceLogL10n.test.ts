import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { allMbErrorExplanations } from '../../../../src/deviceLog/mbErrorExplanations';
import { REPO_ROOT } from '../../../helpers/simulatorHarness';

const bundle = JSON.parse(readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;

/** The bundle keys of every l10n.t call in a source file: the message, plus "/comment" when one is given. */
function keysIn(source: string): string[] {
  const unquote = (s: string) => s.replace(/\\(['\\])/g, '$1');
  const plain = [...source.matchAll(/l10n\.t\('((?:[^'\\]|\\.)*)'/g)].map((m) => unquote(m[1]));
  const commented = [...source.matchAll(/l10n\.t\(\{ message: '((?:[^'\\]|\\.)*)',[^}]*comment: \['((?:[^'\\]|\\.)*)'\] \}\)/g)].map((m) => `${unquote(m[1])}/${unquote(m[2])}`);
  return [...plain, ...commented];
}

describe('device log localisation (Japanese)', () => {
  it('translates every string the device log UI shows', () => {
    // The device log's editor side and its commands.
    const dirs = [path.join(REPO_ROOT, 'src', 'ui', 'deviceLog'), path.join(REPO_ROOT, 'src', 'ui', 'commands', 'deviceLog')];
    const keys = dirs.flatMap((dir) => readdirSync(dir).flatMap((f) => keysIn(readFileSync(path.join(dir, f), 'utf8'))));
    assert.ok(keys.length > 30, `found ${keys.length} strings`);
    const missing = keys.filter((k) => !bundle[k]);
    assert.deepEqual(missing, []);
  });
  it('translates every error code explanation the hover shows', () => {
    const missing = allMbErrorExplanations().flatMap((e) => [e.meaning, e.fix]).filter((text) => !bundle[text]);
    assert.deepEqual(missing, []);
  });
});
