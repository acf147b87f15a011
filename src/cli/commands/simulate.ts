import { UsageError } from '../../common/errors';
import { defaultSimulatorStateDir } from '../../simulator/simulatorState';
import { demoScenario, loadScenarioFile, type Scenario } from '../../simulator/scenario';
import { benchScenario, MAX_BENCH_DEVICES, MIN_BENCH_DEVICES } from '../../simulator/benchScenario';
import { Simulator } from '../../simulator/simulator';
import { formatUsbmuxdAddress, parseUsbmuxdAddress } from '../../usbmux/socketAddress';
import { flagValue, hasFlag, type ParsedArgs } from '../args';
import { command } from '../context';

/** `simulate`: runs a virtual usbmuxd with simulated devices until SIGINT/SIGTERM. */
export const simulateCommand = command({
  usage: 'simulate --listen <addr> [--scenario <file> | --bench <N> [--bench-faults]] [--state-dir <dir>]',
  summary: 'run a virtual usbmuxd with simulated devices (demo devices without a scenario; --bench N: a source and N-1 replacements)',
  flags: { booleans: ['bench-faults'], values: ['listen', 'scenario', 'state-dir', 'bench'] },
  async run(ctx) {
    const listenText = flagValue(ctx.args, 'listen') ?? '127.0.0.1:27015';
    // Port 0 picks a free port; the "listening on" line tells which.
    const listen = parseUsbmuxdAddress(listenText, { allowPortZero: true });
    if (!listen) throw new UsageError(`--listen must be host:port or UNIX:/path (got "${listenText}").`);
    const scenarioFile = flagValue(ctx.args, 'scenario');
    const bench = benchFromFlags(ctx.args);
    const scenario = bench ?? (scenarioFile ? loadScenarioFile(scenarioFile) : demoScenario());
    const stateDir = flagValue(ctx.args, 'state-dir') ?? defaultSimulatorStateDir();
    const simulator = await Simulator.start({ listen, scenario, scenarioFile, stateDir, logger: ctx.logger.child('simulator') });
    ctx.out(`listening on ${formatUsbmuxdAddress(simulator.address)}\n`);
    for (const d of simulator.attached()) ctx.note(`  ${d.udid}  ${d.spec.name} (${d.spec.productType}, iOS ${d.spec.productVersion})`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await simulator.stop();
    ctx.note('simulator stopped');
    return 0;
  },
});

/** The bench scenario of `--bench N [--bench-faults]`, or undefined without --bench. */
function benchFromFlags(args: ParsedArgs): Scenario | undefined {
  const text = flagValue(args, 'bench');
  if (text === undefined) {
    if (hasFlag(args, 'bench-faults')) throw new UsageError('--bench-faults goes with --bench <N>.');
    return undefined;
  }
  // A watched scenario file and a generated bench cannot both be served.
  if (flagValue(args, 'scenario') !== undefined) throw new UsageError('--bench cannot be combined with --scenario.');
  const devices = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(devices >= MIN_BENCH_DEVICES && devices <= MAX_BENCH_DEVICES)) {
    throw new UsageError(`--bench must be a number of devices from ${MIN_BENCH_DEVICES} to ${MAX_BENCH_DEVICES} (got "${text}").`);
  }
  return benchScenario({ devices, faults: hasFlag(args, 'bench-faults') });
}
