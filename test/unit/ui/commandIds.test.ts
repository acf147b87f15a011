import './vscodeStub';
import assert from 'node:assert/strict';
import { COMMAND_IDS } from '../../../src/ui/commandIds';
import { backupNodeModel } from '../../../src/ui/backups/backupNodeModel';
import { benchRowModel } from '../../../src/ui/bench/benchRowModel';
import { FINISHED_BENCH_STATES } from '../../../src/kitting/benchRow';
import type { CommandDeps } from '../../../src/ui/commands/commandDeps';
import { registerCommands } from '../../../src/ui/commands/registerCommands';
import { readRepoJson } from './repoFiles';
import { registeredCommands } from './vscodeStub';

interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, MenuItem[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    views: Record<string, { id: string }[]>;
  };
}

/** VS Code's own commands the welcome content links to. */
const BUILT_IN = new Set(['workbench.action.openSettings']);

describe('ui: command ids', () => {
  const manifest = readRepoJson<Manifest>('package.json');
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('package.json contributes exactly the ids of the typed union', () => {
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
  });

  it('contributes every command once, with a localised title in the one category', () => {
    assert.equal(new Set(contributed).size, contributed.length);
    for (const c of manifest.contributes.commands) {
      assert.match(c.title, /^%command\.[\w.]+%$/, c.command);
      assert.equal(c.category, '%category%', c.command);
    }
  });

  it('the one command table registers every contributed command, and nothing else', () => {
    const before = new Set(registeredCommands.keys());
    const registrations = registerCommands({} as CommandDeps);
    try {
      assert.deepEqual([...registeredCommands.keys()].filter((id) => !before.has(id)).sort(), [...contributed].sort());
    } finally {
      for (const registration of registrations) registration.dispose();
    }
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
    const benchValues = (['backup', 'restore'] as const).flatMap((operation) =>
      (['restoring', ...FINISHED_BENCH_STATES] as const).map((state) => benchRowModel({ id: 'r', operation, device: { udid: 'x' }, state, attempt: 1 }, 'en', 0).contextValue as string),
    );
    const values = [...deviceValues, ...backupValues, ...benchValues, 'backupGroup', 'backupFolderProblem', 'benchDetail'];
    for (const item of manifest.contributes.menus['view/item/context'] ?? []) {
      if (!item.when) continue;
      const equal = /viewItem == (\w+)/.exec(item.when)?.[1];
      const regex = /viewItem =~ \/(.+?)\/(\w*)/.exec(item.when);
      const matches = values.filter((v) => (equal ? v === equal : regex ? new RegExp(regex[1], regex[2]).test(v) : true));
      assert.ok(matches.length > 0, `${item.command} "${item.when}" matches no node`);
    }
  });
});
