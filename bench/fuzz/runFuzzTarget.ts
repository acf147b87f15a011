import * as fc from 'fast-check';
import { crashReason, describeError } from './documentedError';
import type { FuzzTarget } from './fuzzTarget';

/** A case that crashed, hung or took too long. */
export interface FuzzFailure {
  caseNumber: number;
  reason: string;
  input: string;
  /** The input itself, for saving and replaying. */
  value: unknown;
}

/** What one target's run measured. */
export interface FuzzResult {
  name: string;
  cases: number;
  seed: number;
  failures: number;
  /** The first few failures in full. */
  examples: FuzzFailure[];
  totalMs: number;
  maxCaseMs: number;
  /** The slowest case's number, so `--cases` up to it and `--save-failures` with a lower limit can replay it. */
  slowestCase: number;
  /** Highest heapUsed seen during the run (sampled), and heapUsed after it with garbage collected when --expose-gc is on. */
  peakHeapBytes: number;
  heapAfterBytes: number;
  /** How the cases ended, most frequent first ("ok" or the error's kind and sentence), to show how deep the inputs reach. */
  outcomes: Array<[outcome: string, cases: number]>;
}

export interface FuzzRunOptions {
  cases: number;
  seed: number;
  /** A case slower than this is a failure (the hardening goal: no input costs a second). */
  slowCaseMs?: number;
  /** A case still running after this is abandoned as hung. */
  hangMs?: number;
}

const EXAMPLES_KEPT = 5;
const OUTCOMES_KEPT = 300;
const HEAP_SAMPLE_EVERY = 250;

/**
 * Runs `cases` seeded inputs through a target one after another and records every case that threw an
 * error the decoder does not document, took longer than `slowCaseMs`, never finished, or raised an
 * uncaught exception or unhandled rejection (the asynchronous decoders' way of crashing) while it ran.
 */
export async function runFuzzTarget<T>(target: FuzzTarget<T>, options: FuzzRunOptions): Promise<FuzzResult> {
  const slowCaseMs = options.slowCaseMs ?? 1000;
  const hangMs = options.hangMs ?? 10_000;
  const examples: FuzzFailure[] = [];
  let failures = 0;
  let caseNumber = 0;
  let maxCaseMs = 0;
  let slowestCase = 0;
  let peakHeapBytes = process.memoryUsage().heapUsed;
  let currentInput: T | undefined;
  const outcomes = new Map<string, number>();
  const count = (outcome: string): void => {
    const key = outcomes.has(outcome) || outcomes.size < OUTCOMES_KEPT ? outcome : 'other';
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  };
  const describe = (input: T | undefined): string => (input === undefined ? '' : target.describe ? target.describe(input) : String(fc.stringify(input)).slice(0, 1024));
  const fail = (reason: string, input: T | undefined): void => {
    failures++;
    if (examples.length < EXAMPLES_KEPT) examples.push({ caseNumber, reason, input: describe(input), value: input });
  };
  const onUncaught = (error: unknown): void => fail(`uncaught: ${describeError(error)}`, currentInput);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const started = performance.now();
  try {
    await fc.check(
      fc.asyncProperty(target.arbitrary, async (input) => {
        caseNumber++;
        currentInput = input;
        const caseStart = performance.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          const hang = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), hangMs)));
          const outcome = await Promise.race([Promise.resolve().then(() => target.run(input)).then(() => 'done' as const), hang]);
          if (outcome === 'hung') fail(`did not finish within ${hangMs} ms`, input);
          count(outcome === 'hung' ? 'hung' : 'ok');
        } catch (error) {
          count(outcomeOf(error));
          const reason = crashReason(error, target.isDocumentedError?.bind(target));
          if (reason) fail(reason, input);
        } finally {
          clearTimeout(timer);
        }
        const caseMs = performance.now() - caseStart;
        if (caseMs > maxCaseMs) {
          maxCaseMs = caseMs;
          slowestCase = caseNumber;
        }
        if (caseMs > slowCaseMs) fail(`took ${caseMs.toFixed(0)} ms`, input);
        if (caseNumber % HEAP_SAMPLE_EVERY === 0) peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
        return true;
      }),
      { seed: options.seed, numRuns: options.cases, endOnFailure: true },
    );
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  const totalMs = performance.now() - started;
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  (globalThis as { gc?: () => void }).gc?.();
  const ranked = [...outcomes].sort((a, b) => b[1] - a[1]);
  return { name: target.name, cases: caseNumber, seed: options.seed, failures, examples, totalMs, maxCaseMs, slowestCase, peakHeapBytes, heapAfterBytes: process.memoryUsage().heapUsed, outcomes: ranked };
}

/** An error's kind and sentence with numbers and quoted parts blanked, so equal refusals count together. */
function outcomeOf(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${message.replace(/"[^"]*"/g, '"…"').replace(/0x[0-9a-f]+|\d+/gi, 'N').slice(0, 90)}`;
}
