import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/unit/ui). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Reads and parses a JSON file of the repository. */
export function readRepoJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, relative), 'utf8')) as T;
}

/** Every .ts file below a repository folder. */
export function tsFilesBelow(relative: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : name.endsWith('.ts') ? [full] : [];
    });
  return walk(path.join(REPO_ROOT, relative));
}
