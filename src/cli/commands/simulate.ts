import { UsageError } from '../../common/errors';
import { defaultSimulatorStateDir } from '../../simulator/simulatorState';
import { demoScenario, loadScenarioFile } from '../../simulator/scenario';
import { Simulator } from '../../simulator/simulator';
import { formatUsbmuxdAddress, parseUsbmuxdAddress } from '../../usbmux/socketAddress';
import { flagValue } from '../args';
import { command } from '../context';

/** `simulate`: runs a virtual usbmuxd with simulated devices until SIGINT/SIGTERM. */
export const simulateCommand = command({
  usage: 'simulate --listen <addr> [--scenario <file>] [--state-dir <dir>]',
  summary: 'run a virtual usbmuxd with simulated devices (demo devices without a scenario)',
  flags: { values: ['listen', 'scenario', 'state-dir'] },
  async run(ctx) {
    const listenText = flagValue(ctx.args, 'listen') ?? '127.0.0.1:27015';
    // Port 0 picks a free port; the "listening on" line tells which.
    const listen = parseUsbmuxdAddress(listenText, { allowPortZero: true });
    if (!listen) throw new UsageError(`--listen must be host:port or UNIX:/path (got "${listenText}").`);
    const scenarioFile = flagValue(ctx.args, 'scenario');
    const scenario = scenarioFile ? loadScenarioFile(scenarioFile) : demoScenario();
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
