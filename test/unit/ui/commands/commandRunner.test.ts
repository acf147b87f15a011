import '../vscodeStub';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CommandDeps } from '../../../../src/ui/commands/commandDeps';
import { registerCommandEntry } from '../../../../src/ui/commands/commandRunner';
import { commandTarget } from '../../../../src/ui/commands/commandTarget';
import { OperationHistory } from '../../../../src/ui/diagnostics/operationHistory';
import { registeredCommands } from '../vscodeStub';

const BACKUP_DIR = path.resolve('/backups/00008110-000A');

describe('ui: the target a command run is recorded with', () => {
  it('is a backup node’s folder, a device node’s UDID, and a property row’s device', () => {
    assert.equal(commandTarget({ kind: 'backup', model: { dir: BACKUP_DIR } }), BACKUP_DIR);
    assert.equal(commandTarget({ kind: 'device', model: { udid: '00008110-000A' } }), '00008110-000A');
    assert.equal(commandTarget({ kind: 'property', parent: { model: { udid: '00008110-000A' } } }), '00008110-000A');
  });

  it('is a device log document’s device, from the URI its title buttons pass', () => {
    assert.equal(commandTarget({ scheme: 'ios-device-log', path: '/00008110-000A/Support iPhone.devicelog' }), '00008110-000A');
    assert.equal(commandTarget({ scheme: 'file', path: '/00008110-000A/Support iPhone.devicelog' }), undefined);
  });

  it('is a folder given as an absolute path (the compatibility panel’s Verify Backup button), normalised', () => {
    assert.equal(commandTarget(BACKUP_DIR), BACKUP_DIR);
    assert.equal(commandTarget(`${BACKUP_DIR}${path.sep}`), BACKUP_DIR);
    assert.equal(commandTarget(path.join(BACKUP_DIR, '..', '00008110-000A')), BACKUP_DIR);
  });

  it('is nothing for the palette’s missing argument, a relative or empty string, or a string no path can be', () => {
    for (const arg of [undefined, null, 42, '', 'backups/A', '00008110-000A', `${BACKUP_DIR}\nforged log line`, `${BACKUP_DIR}\u0000`, path.resolve('/', 'a'.repeat(5000))]) {
      assert.equal(commandTarget(arg), undefined, JSON.stringify(arg)?.slice(0, 60));
    }
  });
});

describe('ui: the command runner records what a command ran on', () => {
  /** Registers a command that records the arguments it got, with just the deps the runner uses on success. */
  function register(id: string) {
    const history = new OperationHistory();
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = { info: (message: string, fields?: Record<string, unknown>) => logged.push({ message, fields }), error: () => undefined };
    const got: unknown[][] = [];
    const deps = { history, logger, locale: 'en' } as unknown as CommandDeps;
    const registration = registerCommandEntry(deps, { id: id as never, run: async (_deps, ...args: unknown[]) => void got.push(args), operation: () => 'The backup check' });
    return { history, logged, got, run: registeredCommands.get(id) as (...args: unknown[]) => Promise<void>, registration };
  }

  it('records the backup folder when the command is given its path as a string, and passes the string on', async () => {
    const t = register('iosbr.backups.verify');
    try {
      await t.run(BACKUP_DIR);
      assert.deepEqual(t.got, [[BACKUP_DIR]]);
      const [record] = t.history.all();
      assert.equal(record.command, 'iosbr.backups.verify');
      assert.equal(record.target, BACKUP_DIR);
      assert.equal(record.outcome, 'succeeded');
      assert.equal(t.logged[0].fields?.target, BACKUP_DIR);
    } finally {
      t.registration.dispose();
    }
  });

  it('records no target when run from the palette', async () => {
    const t = register('iosbr.backups.verify');
    try {
      await t.run();
      assert.equal('target' in t.history.all()[0], false);
    } finally {
      t.registration.dispose();
    }
  });
});
