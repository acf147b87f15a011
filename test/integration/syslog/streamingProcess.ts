import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A long-running child (a log stream) whose output the test reads while it runs. */
export interface StreamingProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has at least `count` lines matching `pattern`; rejects after `timeoutMs`. */
  waitForLines(pattern: RegExp, count: number, timeoutMs?: number): Promise<string[]>;
  /** Resolves with the exit code (or the signal's name) once the child has ended. */
  exited: Promise<number | string>;
}

/** Starts a program whose output streams until it is stopped. */
export function startStreaming(command: string, args: string[], env: NodeJS.ProcessEnv): StreamingProcess {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const matching = (pattern: RegExp) => out.split('\n').filter((line) => pattern.test(line));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForLines(pattern, count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (matching(pattern).length < count) {
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} lines matching ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`);
        if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}) before printing ${count} lines matching ${pattern}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return matching(pattern);
    },
  };
}

/** Polls a condition every 20 ms until it holds (or fails after `timeoutMs`). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
