import '../vscodeStub';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CommandDeps } from '../../../../src/ui/commands/commandDeps';
import { registerCommandEntry } from '../../../../src/ui/commands/commandRunner';
import { commandTarget } from '../../../../src/ui/commands/commandTarget';
import { OperationHistory } from '../../../../src/ui/diagnostics/operationHistory';
import { CancelledError, MuxError } from '../../../../src/common/errors';
import { registeredCommands, shownErrors } from '../vscodeStub';

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
  /** Registers a command that records the arguments it got (and throws `failure` when given), with just the deps the runner uses. */
  function register(id: string, failure?: Error) {
    const history = new OperationHistory();
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = { info: (message: string, fields?: Record<string, unknown>) => logged.push({ message, fields }), error: (message: string, fields?: Record<string, unknown>) => errors.push({ message, fields }) };
    const got: unknown[][] = [];
    const deps = { history, logger, locale: 'en', demo: { running: false } } as unknown as CommandDeps;
    const run = async (_deps: CommandDeps, ...args: unknown[]) => {
      got.push(args);
      if (failure) throw failure;
    };
    const registration = registerCommandEntry(deps, { id: id as never, run, operation: () => 'The backup check' });
    return { history, logged, errors, got, run: registeredCommands.get(id) as (...args: unknown[]) => Promise<void>, registration };
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

  it('records a failure with its target, logs it with its code, and shows it once', async () => {
    const t = register('iosbr.deviceLog.show', new MuxError('No usbmuxd is answering at UNIX:/var/run/usbmuxd', 'usbmux.unreachable', 'UNIX:/var/run/usbmuxd'));
    shownErrors.length = 0;
    try {
      await t.run({ kind: 'device', model: { udid: '00008110-000A' } });
      const [record] = t.history.all();
      assert.equal(record.outcome, 'failed');
      assert.equal(record.target, '00008110-000A');
      assert.equal(t.errors.length, 1);
      assert.deepEqual(t.errors[0].fields, { command: 'iosbr.deviceLog.show', code: 'usbmux.unreachable', target: '00008110-000A', reason: 'No usbmuxd is answering at UNIX:/var/run/usbmuxd' });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(shownErrors.length, 1);
      assert.match(shownErrors[0][0], /UNIX:\/var\/run\/usbmuxd/);
    } finally {
      t.registration.dispose();
    }
  });

  it('records a cancellation as cancelled, without an error notification', async () => {
    const t = register('iosbr.compat.show', new CancelledError('Opening the panel'));
    shownErrors.length = 0;
    try {
      await t.run();
      assert.equal(t.history.all()[0].outcome, 'cancelled');
      assert.equal(t.errors.length, 0);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(shownErrors, []);
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
