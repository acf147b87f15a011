import type { RunResult } from '../../helpers/simulatorHarness';

/** How long a bench test waits for the simulator to reach a state before it gives up and says which. */
const WAIT_LIMIT_MS = 90_000;
const POLL_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `condition` holds. Fails with `what` after WAIT_LIMIT_MS, or at once when the CLI run the test is
 * steering ends first (then the state can no longer come, and its output says why).
 */
export async function waitFor(condition: () => boolean, what: () => string, cli?: Promise<RunResult>): Promise<void> {
  let ended: RunResult | undefined;
  void cli?.then((r) => (ended = r), () => undefined);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!condition()) {
    if (ended) throw new Error(`The CLI ended (exit ${ended.code}) before ${what()}:\n${ended.stderr}`);
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what()}.`);
    await sleep(POLL_MS);
  }
}
