import { createRequire } from 'node:module';
import * as path from 'node:path';

// The code lives in scripts/codeServer.cjs, plain JavaScript that `npm run demo` uses too before anything is
// compiled; these are the types of the part the tests use. It is loaded by its place in the repository because
// these tests run compiled from out/, where a relative import would point elsewhere.

/** What code-server is started with. */
export interface CodeServerOptions {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** The port on 127.0.0.1; 0 (the default) takes any free one. */
  port?: number;
  locale?: string;
  env?: NodeJS.ProcessEnv;
}

/** A running code-server. */
export interface RunningCodeServer {
  url: string;
  /** Its exit code (or the signal that ended it). */
  exited: Promise<number | string | null>;
  /** Everything it printed so far. */
  output(): string;
  /** Ends its whole process group: SIGTERM, then SIGKILL after a few seconds. */
  stop(): Promise<void>;
}

/** The module's plain functions (no `this`), so they may be exported on their own. */
interface CodeServerModule {
  codeServerEntry: (repoRoot: string) => string;
  installExtension: (entry: string, extensionsDir: string, vsix: string, userDataDir?: string) => Promise<void>;
  writeUserSettings: (userDataDir: string, settings: Record<string, unknown>) => void;
  startCodeServer: (options: CodeServerOptions) => Promise<RunningCodeServer>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const shared = createRequire(__filename)(path.join(repoRoot, 'scripts', 'codeServer.cjs')) as CodeServerModule;

/** code-server's entry script as test/e2e/installCodeServer.mjs installs it. */
export const codeServerEntry = shared.codeServerEntry;
/** Installs a .vsix into an extensions folder with code-server's own CLI (as a user would). */
export const installExtension = shared.installExtension;
/**
 * Writes the settings code-server reads (and watches) in its user data folder: the User settings, and the same as
 * the server machine's settings (settings of machine scope reach the extension host only from the Machine file).
 */
export const writeUserSettings = shared.writeUserSettings;
/** Starts code-server on a free loopback port without authentication, and waits until it serves. */
export const startCodeServer = shared.startCodeServer;
