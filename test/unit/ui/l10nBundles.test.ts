import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { REPO_ROOT, readRepoJson, tsFilesBelow } from './repoFiles';

type Bundle = Record<string, string | { message: string; comment: string[] }>;
const messageOf = (value: Bundle[string]): string => (typeof value === 'string' ? value : value.message);
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('ui: l10n bundles', () => {
  const en = readRepoJson<Bundle>('l10n/bundle.l10n.json');
  const ja = readRepoJson<Bundle>('l10n/bundle.l10n.ja.json');

  it('bundle.l10n.json holds exactly the strings the source passes to l10n.t (run npm run l10n:export)', async function () {
    this.timeout(30_000);
    const files = [...tsFilesBelow('src/ui'), path.join(REPO_ROOT, 'src/extension.ts')];
    const extracted = await getL10nJson(files.map((f) => ({ extension: '.ts', contents: readFileSync(f, 'utf8') })));
    assert.deepEqual(Object.keys(en).sort(), Object.keys(extracted).sort());
  });

  it('the Japanese bundle translates every key of the English one', () => {
    assert.deepEqual(Object.keys(en).filter((key) => ja[key] === undefined), []);
  });

  it('its other keys are strings of the source translated at run time (l10n.t of a table value), not stale ones', () => {
    const source = tsFilesBelow('src').map((f) => readFileSync(f, 'utf8')).join('\n');
    const literal = (text: string): boolean => [`'${text.replace(/'/g, "\\'")}'`, JSON.stringify(text), `\`${text}\``].some((q) => source.includes(q));
    assert.deepEqual(Object.keys(ja).filter((key) => en[key] === undefined && !literal(key)), []);
  });

  it('every Japanese string keeps the placeholders of its English original', () => {
    for (const [key, value] of Object.entries(en)) {
      if (ja[key] === undefined) continue;
      assert.deepEqual(placeholders(messageOf(ja[key])), placeholders(messageOf(value)), key);
    }
  });

  it('package.nls.json and package.nls.ja.json have the same keys, and package.json uses only those', () => {
    const nls = readRepoJson<Record<string, string>>('package.nls.json');
    const nlsJa = readRepoJson<Record<string, string>>('package.nls.ja.json');
    assert.deepEqual(Object.keys(nlsJa).sort(), Object.keys(nls).sort());
    const manifest = readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
    const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.deepEqual(used.filter((k) => nls[k] === undefined), []);
    for (const key of Object.keys(nls)) {
      assert.deepEqual([...nlsJa[key].matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]), [...nls[key].matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]), key);
    }
  });
});
