import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS } from '../../../src/ui/commandIds';
import { backupNodeModel } from '../../../src/ui/backups/backupNodeModel';
import { REPO_ROOT, readRepoJson } from './repoFiles';

interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, MenuItem[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    views: Record<string, { id: string }[]>;
  };
}

/** Commands other parts of the extension register themselves (compatibility panel, device log). */
const OTHER_FEATURES = /^iosbr\.(compat|deviceLog)\./;
/** VS Code's own commands the welcome content links to. */
const BUILT_IN = new Set(['workbench.action.openSettings']);

describe('ui: command ids', () => {
  const manifest = readRepoJson<Manifest>('package.json');
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('package.json contributes exactly the ids of the typed union (besides other features)', () => {
    assert.deepEqual(contributed.filter((id) => !OTHER_FEATURES.test(id)).sort(), [...COMMAND_IDS].sort());
  });

  it('contributes every command once, with a localised title in the one category', () => {
    assert.equal(new Set(contributed).size, contributed.length);
    for (const c of manifest.contributes.commands.filter((c) => !OTHER_FEATURES.test(c.command))) {
      assert.match(c.title, /^%command\.[\w.]+%$/, c.command);
      assert.equal(c.category, '%category%', c.command);
    }
  });

  it('the command table registers every id exactly once', () => {
    const table = readFileSync(path.join(REPO_ROOT, 'src/ui/commands/registerCommands.ts'), 'utf8');
    const ids = [...table.matchAll(/\{ id: '([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual([...ids].sort(), [...COMMAND_IDS].sort());
  });

  it('menus and welcome links name contributed commands only', () => {
    const used = Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.command));
    const linked = manifest.contributes.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
    const nls = readRepoJson<Record<string, string>>('package.nls.json');
    const linkedViaNls = manifest.contributes.viewsWelcome.flatMap((w) => {
      const key = /^%(.+)%$/.exec(w.contents)?.[1];
      return key ? [...(nls[key] ?? '').matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]) : [];
    });
    const views = Object.values(manifest.contributes.views).flat().map((v) => `${v.id}.focus`);
    for (const id of [...used, ...linked, ...linkedViaNls]) {
      assert.ok(contributed.includes(id) || BUILT_IN.has(id) || views.includes(id), `${id} is not contributed`);
    }
  });

  it('every viewItem condition of our views matches a contextValue the nodes produce', () => {
    const deviceValues = ['pairedDevice', 'pairedEncryptedDevice', 'pairedUnencryptedDevice', 'untrustedDevice', 'unavailableDevice', 'loadingDevice', 'deviceProperty', 'deviceWarning'];
    const backupValues = [true, false].flatMap((complete) =>
      [true, false, undefined].map(
        (encrypted) => backupNodeModel({ dir: '/b/x', udid: 'x', sizeBytes: 0, complete, encrypted, notes: [] }, 'en').contextValue as string,
      ),
    );
    const values = [...deviceValues, ...backupValues, 'backupGroup', 'backupFolderProblem'];
    for (const item of manifest.contributes.menus['view/item/context'] ?? []) {
      if (!item.when || OTHER_FEATURES.test(item.command)) continue;
      const equal = /viewItem == (\w+)/.exec(item.when)?.[1];
      const regex = /viewItem =~ \/(.+?)\/(\w*)/.exec(item.when);
      const matches = values.filter((v) => (equal ? v === equal : regex ? new RegExp(regex[1], regex[2]).test(v) : true));
      assert.ok(matches.length > 0, `${item.command} "${item.when}" matches no node`);
    }
  });
});
