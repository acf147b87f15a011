import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMPAT_VIEW_TYPE } from '../../../../src/ui/compat/compatIds';
import { createCompatStrings, type L10nLike } from '../../../../src/ui/compat/compatStrings';
import { UNKNOWN_REASON_CODES } from '../../../../src/compat/factProvenance';
import type { CommandId } from '../../../../src/ui/commandIds';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

/** Calls every string of the panel once and records the bundle key vscode.l10n would look up for it. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const recorder: L10nLike = {
    t(first: string | { message: string; comment: string | string[] }): string {
      if (typeof first === 'string') keys.add(first);
      else keys.add(`${first.message}/${Array.isArray(first.comment) ? first.comment.join('') : first.comment}`);
      return typeof first === 'string' ? first : first.message;
    },
  };
  const strings = createCompatStrings(recorder);
  // Every code of the shared vocabulary, so a new one cannot go without its wording.
  const reasons = UNKNOWN_REASON_CODES.map((code) => ({ code, detail: '' }));
  for (const reason of reasons) strings.unknownReason(reason);
  const call = (value: unknown): void => {
    if (typeof value === 'function' && value !== strings.unknownReason) {
      (value as (...args: unknown[]) => string)('a', 'b', 'c', 'd', 'e');
      (value as (...args: unknown[]) => string)(1);
      (value as (...args: unknown[]) => string)(2);
    } else if (typeof value === 'object' && value !== null) {
      Object.values(value).forEach(call);
    }
  };
  call(strings);
  return keys;
}

describe('ui/compat: manifest and translations', () => {
  it('has a Japanese translation for every panel string, with the same placeholders', () => {
    const ja = readJson('l10n/bundle.l10n.ja.json');
    const keys = usedKeys();
    assert.ok(keys.size > 60);
    for (const key of keys) {
      const translation = ja[key];
      assert.equal(typeof translation, 'string', `missing Japanese for "${key}"`);
      const message = key.split('/')[0];
      const placeholders = (text: string): string[] => (text.match(/\{\d+\}/g) ?? []).sort();
      assert.deepEqual(placeholders(translation as string), placeholders(message), key);
    }
  });

  it('contributes the command, its localized title and the webview activation event', () => {
    const COMPAT_SHOW_COMMAND: CommandId = 'iosbr.compat.show';
    const pkg = readJson('package.json') as {
      activationEvents: string[];
      contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command: string; when: string }[]> };
    };
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${COMPAT_VIEW_TYPE}`));
    const command = pkg.contributes.commands.find((c) => c.command === COMPAT_SHOW_COMMAND);
    assert.equal(command?.title, '%command.compat.show%');
    assert.equal(readJson('package.nls.json')['command.compat.show'], 'Check Restore Compatibility');
    assert.equal(typeof readJson('package.nls.ja.json')['command.compat.show'], 'string');
    const menu = pkg.contributes.menus['view/item/context'].find((m) => m.command === COMPAT_SHOW_COMMAND);
    assert.match(menu?.when ?? '', /viewItem =~/);
  });
});
