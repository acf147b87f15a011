// ESLint for the whole repository: typescript-eslint's type-checked recommended rules everywhere (the promise rules
// as errors), and the layers of src/ as import restrictions read from the one table both this file and
// test/unit/architecture.test.ts use (scripts/layers.json). Run: npm run lint
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const SRC = path.join(ROOT, 'src');

/** @type {{ allowedImports: Record<string, string[]> }} */
const layers = JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'layers.json'), 'utf8'));

/** A part of the table as a path under src/: folders are named bare, top-level files with their '.ts'. */
const partPath = (part) => path.join(SRC, part);

/**
 * One zone per (part, other part it may not import). A part allowed only some sub-folders of another (the simulator
 * and backup/format, backup/crypto) gets the rest of that part forbidden with those sub-folders excepted.
 */
function layerZones(allowedImports) {
  const parts = Object.keys(allowedImports);
  return parts.flatMap((part) =>
    parts
      .filter((other) => other !== part && !allowedImports[part].includes(other))
      .map((other) => {
        const inside = allowedImports[part].filter((allowed) => allowed.startsWith(other + '/'));
        return {
          target: partPath(part),
          from: partPath(other),
          ...(inside.length > 0 ? { except: inside.map((allowed) => './' + allowed.slice(other.length + 1)) } : {}),
          message: `src/${part} may import only ${allowedImports[part].join(', ') || 'nothing else in src/'} (scripts/layers.json).`,
        };
      }),
  );
}

const COMMANDS = path.join(SRC, 'cli', 'commands');

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'build/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'media/compat/dist/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Named projects rather than the project service: measured on 2 cores, a fifth less CPU for the same run.
        project: ['./tsconfig.json', './media/compat/tsconfig.json', './scripts/tsconfig.json'],
        tsconfigRootDir: ROOT,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // An async function without await is kept where a caller expects a Promise: a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // The regexes that name control characters are the ones that strip them from untrusted names and text.
      'no-control-regex': 'off',
      // A `let` that a callback made earlier reads once it is set cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
    // Plain JavaScript has no annotations, so JSON.parse and friends stay `any`; the promise rules still apply.
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layerZones(layers.allowedImports),
            {
              target: COMMANDS,
              from: COMMANDS,
              message: 'A CLI command file imports no other command file; shared CLI pieces live in src/cli/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/ui/ and src/extension.ts import vscode; core code stays testable without it.' }] },
      ],
    },
  },
);
