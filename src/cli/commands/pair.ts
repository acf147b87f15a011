import { tokenFromAbortSignal } from '../../common/cancellation';
import { pairDevice, unpairDevice } from '../../lockdown/pairing';
import { flagValue } from '../args';
import { command } from '../context';
import { UsageError } from '../../common/errors';
import { deviceFromArgs } from '../deviceArgs';

/** `pair <udid>`: pairs this host with the device (the user taps Trust). */
export const pairCommand = command({
  usage: 'pair <udid> [--timeout SECONDS] [--json]',
  summary: 'pair this computer with the device (tap "Trust" on the device)',
  flags: { values: ['timeout'] },
  async run(ctx) {
    const { udid, mux } = deviceFromArgs(ctx);
    const timeoutText = flagValue(ctx.args, 'timeout');
    const timeout = timeoutText === undefined ? 60 : Number(timeoutText);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a number of seconds.');
    await pairDevice(mux, udid, {
      trustTimeoutMs: timeout * 1000,
      logger: ctx.logger,
      onWaitingForTrust: () => ctx.note(`Tap "Trust" on the device ${udid} and enter its passcode…`),
      token: tokenFromAbortSignal(ctx.signal),
    });
    if (ctx.json) ctx.out(JSON.stringify({ udid, paired: true }) + '\n');
    else ctx.out(`Paired with ${udid}.\n`);
    return 0;
  },
});

/** `unpair <udid>`: removes the pairing on both sides. */
export const unpairCommand = command({
  usage: 'unpair <udid> [--json]',
  summary: 'remove the pairing with the device',
  async run(ctx) {
    const { udid, mux } = deviceFromArgs(ctx);
    const { wasPaired } = await unpairDevice(mux, udid, ctx.logger);
    if (ctx.json) ctx.out(JSON.stringify({ udid, paired: false, wasPaired }) + '\n');
    else ctx.out(wasPaired ? `Unpaired from ${udid}.\n` : `This computer was not paired with ${udid}.\n`);
    return 0;
  },
});
