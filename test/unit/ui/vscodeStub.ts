import Module from 'node:module';
import * as path from 'node:path';

/**
 * The few parts of the `vscode` API that UI code under unit test touches when it is loaded and wired
 * (events, disposables, command registration, error notifications), for tests that run outside VS Code. Import this file
 * before the module under test: it makes `require('vscode')` answer with this object.
 */

type Listener<T> = (value: T) => unknown;

/** Disposable as VS Code has it: dispose() runs the callback once. */
export class Disposable {
  private done = false;
  constructor(private readonly callback: () => void) {}
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.callback();
  }
}

/** EventEmitter as VS Code has it: listeners in order; after dispose() nothing is delivered or subscribed. */
export class EventEmitter<T> {
  private listeners: Listener<T>[] | undefined = [];

  readonly event = (listener: Listener<T>, thisArgs?: unknown, disposables?: { dispose(): void }[]): Disposable => {
    const bound: Listener<T> = (value) => listener.call(thisArgs, value);
    this.listeners?.push(bound);
    const subscription = new Disposable(() => {
      this.listeners = this.listeners?.filter((l) => l !== bound);
    });
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of [...(this.listeners ?? [])]) listener(value);
  }

  dispose(): void {
    this.listeners = undefined;
  }
}

/** Command handlers registered through the stub, by id, so a test can run them as VS Code would. */
export const registeredCommands = new Map<string, (...args: unknown[]) => unknown>();

const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    if (registeredCommands.has(id)) throw new Error(`command '${id}' already exists`);
    registeredCommands.set(id, handler);
    return new Disposable(() => registeredCommands.delete(id));
  },
};

/** Error notifications shown through the stub (message, then the action buttons), so a test can read them. */
export const shownErrors: string[][] = [];

/** Information and warning notifications shown through the stub (message, then the action buttons). */
export const shownMessages: string[][] = [];

const window = {
  async showErrorMessage(message: string, ...actions: string[]): Promise<undefined> {
    shownErrors.push([message, ...actions]);
    return undefined;
  },
  async showInformationMessage(message: string, ...actions: string[]): Promise<undefined> {
    shownMessages.push([message, ...actions.filter((a) => typeof a === 'string')]);
    return undefined;
  },
  async showWarningMessage(message: string, ...actions: string[]): Promise<undefined> {
    shownMessages.push([message, ...actions.filter((a) => typeof a === 'string')]);
    return undefined;
  },
};

/** l10n.t as VS Code has it without a bundle: the English message with {0}, {1}, … filled in. */
const l10n = {
  t(message: string | { message: string; args?: unknown[] }, ...rest: unknown[]): string {
    const [text, args] = typeof message === 'string' ? [message, rest] : [message.message, message.args ?? []];
    return text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  },
};

const stub = { Disposable, EventEmitter, commands, window, l10n };

// Registered once per process under a file name no real module has; the real API wins if it is there.
const STUB_FILE = path.join(__dirname, '__vscode_unit_stub__.js');
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
if (!require.cache[STUB_FILE]) {
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    if (request !== 'vscode') return resolve.call(this, request, ...rest);
    try {
      return resolve.call(this, request, ...rest);
    } catch {
      return STUB_FILE;
    }
  };
  const module = new Module(STUB_FILE);
  module.filename = STUB_FILE;
  module.loaded = true;
  module.exports = stub;
  require.cache[STUB_FILE] = module;
}

/** The object `require('vscode')` gives while this stub is in place. */
export const vscodeStub = require.cache[STUB_FILE]?.exports as typeof stub;
