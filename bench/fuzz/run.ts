/**
 * `npm run fuzz` (not a test): seeded fuzzing of every decoder that reads the wire or a file.
 *   node --expose-gc out/bench/fuzz/run.js [--cases N] [--seed S] [--target name[,name…]] [--slow-ms 1000] [--outcomes] [--save-failures dir] [--markdown]
 * Prints, per target, the cases run, the time, the slowest case, the peak heap and the failures (crashes,
 * cases over 1 s, hangs) with their inputs; --outcomes adds how the cases ended (how deep they reach);
 * exits 1 when any target failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runFuzzTarget, type FuzzResult } from './runFuzzTarget';
import { FUZZ_TARGETS } from './targets';

const DEFAULT_CASES = 100_000;
const DEFAULT_SEED = 20261206;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** What Buffer.toJSON gives, which JSON.stringify hands its replacer for a Buffer inside a value. */
function isBufferJson(value: unknown): value is { type: 'Buffer'; data: number[] } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, data } = value as { type?: unknown; data?: unknown };
  return type === 'Buffer' && Array.isArray(data);
}

/** Writes each kept failing input whole (bytes as .bin, anything else as JSON-ish text) for replaying it in a test. */
function saveFailures(dir: string, result: FuzzResult): void {
  mkdirSync(dir, { recursive: true });
  for (const failure of result.examples) {
    const base = path.join(dir, `${result.name}-seed${result.seed}-case${failure.caseNumber}`);
    const value = failure.value;
    if (Buffer.isBuffer(value)) writeFileSync(`${base}.bin`, value);
    else writeFileSync(`${base}.txt`, typeof value === 'string' ? value : JSON.stringify(value, (_key, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('hex') : v)));
  }
}

async function main(): Promise<number> {
  const casesOption = option('cases');
  const seed = Number(option('seed') ?? DEFAULT_SEED);
  const wanted = option('target')?.split(',');
  const unknown = wanted?.filter((name) => !FUZZ_TARGETS.some((t) => t.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`Unknown target(s) ${unknown.join(', ')}; known: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}.\n`);
    return 2;
  }
  const results: FuzzResult[] = [];
  for (const entry of FUZZ_TARGETS.filter((t) => !wanted || wanted.includes(t.name))) {
    const target = await entry.create();
    try {
      const cases = casesOption === undefined ? (target.fullCases ?? DEFAULT_CASES) : Number(casesOption);
      const result = await runFuzzTarget(target, { cases, seed, slowCaseMs: Number(option('slow-ms') ?? 1000) });
      results.push(result);
      process.stdout.write(
        `${result.name.padEnd(24)} ${String(result.cases).padStart(7)} cases  ${(result.totalMs / 1000).toFixed(1).padStart(6)} s  ` +
          `max case ${result.maxCaseMs.toFixed(1).padStart(7)} ms (#${result.slowestCase})  peak heap ${mb(result.peakHeapBytes).padStart(7)}  after ${mb(result.heapAfterBytes).padStart(7)}  failures ${result.failures}\n`,
      );
      for (const failure of result.examples) process.stdout.write(`  case ${failure.caseNumber}: ${failure.reason}\n    input: ${failure.input}\n`);
      const saveDir = option('save-failures');
      if (saveDir) saveFailures(saveDir, result);
      if (process.argv.includes('--outcomes')) {
        for (const [outcome, count] of result.outcomes.slice(0, 12)) process.stdout.write(`  ${String(count).padStart(7)}  ${outcome}\n`);
      }
    } finally {
      await target.close?.();
    }
  }
  if (process.argv.includes('--markdown')) {
    process.stdout.write('\n| target | cases | seed | failures | max case ms | peak heap |\n|---|---:|---:|---:|---:|---:|\n');
    for (const r of results) process.stdout.write(`| ${r.name} | ${r.cases} | ${r.seed} | ${r.failures} | ${r.maxCaseMs.toFixed(1)} | ${mb(r.peakHeapBytes)} |\n`);
  }
  return results.some((r) => r.failures > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
