// Types of scripts/codeServer.cjs for the TypeScript tests that load it.

/** code-server's entry script as test/e2e/installCodeServer.mjs installs it. */
export declare function codeServerEntry(repoRoot: string): string;

/** Installs a .vsix into an extensions folder with code-server's own CLI (as a user would). */
export declare function installExtension(entry: string, extensionsDir: string, vsix: string, userDataDir?: string): Promise<void>;

/** Writes the settings code-server reads (and watches) in its user data folder: the User and the Machine settings. */
export declare function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void;

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

/** A code-server process just spawned, not yet known to serve. */
export interface LaunchedCodeServer {
  pid: number | undefined;
  /** The address it serves, once it says so; rejects when it exits or does not start in time. */
  url: Promise<string>;
  /** Its exit code (or the signal that ended it). */
  exited: Promise<number | string | null>;
  /** Everything it printed so far. */
  output(): string;
  /** Ends its whole process group: SIGTERM, then SIGKILL after a few seconds. */
  stop(): Promise<void>;
}

/** A code-server that serves. */
export interface RunningCodeServer {
  url: string;
  exited: Promise<number | string | null>;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns code-server without authentication in its own process group, without waiting for it. */
export declare function launchCodeServer(options: CodeServerOptions): LaunchedCodeServer;

/** Starts code-server without authentication and waits until it serves (stopping it again if it does not). */
export declare function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer>;
