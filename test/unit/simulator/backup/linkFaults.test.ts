import assert from 'node:assert/strict';
import { LineLogger } from '../../../../src/common/logger';
import { readLinkFaults } from '../../../../src/simulator/backup/linkFaults';

/** A logger that keeps its lines, to see which switches were ignored. */
function recordingLogger(): { logger: LineLogger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new LineLogger((_level, line) => lines.push(line), 'warn'), lines };
}

describe('simulator link faults (scenario switches)', () => {
  it('reads dropLink with nth defaulting to 1, and trickle with its stall', () => {
    const { logger, lines } = recordingLogger();
    const faults = readLinkFaults(
      {
        dropLink: { operation: 'restore', when: 'after', message: 'DLMessageDownloadFiles' },
        trickle: { bytesPerSecond: 1000, stallAfterBytes: 50, stallMs: 20 },
        disconnectAfterFiles: 3,
      },
      logger,
    );
    assert.deepEqual(faults, {
      dropLink: { operation: 'restore', when: 'after', message: 'DLMessageDownloadFiles', nth: 1 },
      trickle: { bytesPerSecond: 1000, stallAfterBytes: 50, stallMs: 20 },
    });
    assert.deepEqual(lines, []);
  });

  it('a stall without stallMs lasts longer than any host waits', () => {
    const { logger } = recordingLogger();
    const stallMs = readLinkFaults({ trickle: { bytesPerSecond: 10, stallAfterBytes: 0 } }, logger).trickle?.stallMs ?? 0;
    assert.ok(stallMs >= 10 * 60_000, `${stallMs}`);
  });

  for (const [name, raw] of [
    ['an unknown message', { dropLink: { operation: 'backup', when: 'before', message: 'DLMessageTeleport' } }],
    ['a message the host sends', { dropLink: { operation: 'backup', when: 'before', message: 'DLMessageStatusResponse' } }],
    ['an unknown operation', { dropLink: { operation: 'sync', when: 'before', message: 'DLMessageUploadFiles' } }],
    ['a bad moment', { dropLink: { operation: 'backup', when: 'during', message: 'DLMessageUploadFiles' } }],
    ['nth 0', { dropLink: { operation: 'backup', when: 'before', message: 'DLMessageUploadFiles', nth: 0 } }],
    ['a zero rate', { trickle: { bytesPerSecond: 0 } }],
    ['a negative stall', { trickle: { bytesPerSecond: 10, stallAfterBytes: -1 } }],
    ['a string', { trickle: '10 KB/s' }],
  ] as const) {
    it(`ignores ${name} with a warning instead of failing the run`, () => {
      const { logger, lines } = recordingLogger();
      assert.deepEqual(readLinkFaults(raw as Record<string, unknown>, logger), {});
      assert.equal(lines.length, 1);
      assert.match(lines[0], /scenario fault ignored fault=(dropLink|trickle)/);
    });
  }
});
