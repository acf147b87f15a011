import { formatLogEntry } from '../../deviceLog/formatLogEntry';
import { createLogFilter, matchesLogFilter } from '../../deviceLog/logFilter';
import { SyslogRelayService } from '../../services/syslog/syslogRelay';
import { flagValue } from '../args';
import { command } from '../context';
import { deviceFromArgs, openDeviceSession } from '../deviceArgs';

/**
 * `syslog <udid>`: streams the device log, one record per line (one JSON object per line with
 * --json), until Ctrl-C (exit 0) or until the device goes away (one line on stderr, exit 1).
 */
export const syslogCommand = command({
  usage: 'syslog <udid> [--process P] [--match REGEX] [--level L] [--json]',
  summary: 'stream the device log until Ctrl-C; --process names or pids joined by |, --level minimum level',
  flags: { values: ['process', 'match', 'level'] },
  async run(ctx) {
    const device = deviceFromArgs(ctx);
    // Bad filters are usage errors before anything touches the device.
    const filter = createLogFilter({ process: flagValue(ctx.args, 'process'), match: flagValue(ctx.args, 'match'), level: flagValue(ctx.args, 'level') });
    const session = await openDeviceSession(ctx, device);
    const relay = new SyslogRelayService(session);
    const stop = () => relay.close();
    try {
      await relay.connect();
      ctx.signal.addEventListener('abort', stop, { once: true });
      if (ctx.signal.aborted) return 0;
      for await (const batch of relay.batches()) {
        let text = '';
        for (const entry of batch) {
          const line = formatLogEntry(entry);
          if (matchesLogFilter(entry, filter, line)) text += (ctx.json ? JSON.stringify(entry) : line) + '\n';
        }
        // One write per arrived batch keeps a fast stream cheap.
        if (text) ctx.out(text);
      }
      return 0;
    } finally {
      ctx.signal.removeEventListener('abort', stop);
      relay.close();
      await session.close();
    }
  },
});
