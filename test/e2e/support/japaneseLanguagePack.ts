import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, packageVsix } from './e2eSetup';
import type { Workbench } from './workbench';

/**
 * Makes Japanese the display language of the next start of this profile. Microsoft's Japanese language pack cannot
 * be downloaded here; the stand-in (test/e2e/fixtures/language-pack-ja) only declares "ja", so VS Code's own texts
 * stay English while the extension's come from its Japanese bundles. It is installed from the running window
 * (Install from VSIX), which registers it as a language pack; an install from the command line does not.
 */
export async function installJapaneseLanguagePack(bench: Workbench, tmp: string, userDataDir: string): Promise<void> {
  const languagePack = packageVsix(path.join(tmp, 'language-pack-ja.vsix'), path.join(REPO, 'test', 'e2e', 'fixtures', 'language-pack-ja'));
  await bench.runCommand('Extensions: Install from VSIX...');
  await bench.answerFileDialog(languagePack);
  // VS Code writes languagepacks.json when the install finished; the next start resolves "ja" from it.
  const registered = path.join(userDataDir, 'languagepacks.json');
  const hasJapanese = (): boolean => {
    try {
      return 'ja' in (JSON.parse(readFileSync(registered, 'utf8')) as object);
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 120 && !hasJapanese(); i++) await bench.page.waitForTimeout(250);
  assert.ok(hasJapanese(), 'the language pack was not registered');
}
